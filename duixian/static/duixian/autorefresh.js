// Reload the page every N seconds while its "自动刷新" box is ticked (WCAG 2.2.1: the user can
// stop a timed refresh; a <meta http-equiv="refresh"> cannot be stopped).
(function () {
  var box = document.querySelector("[data-autorefresh]");
  if (!box) return;
  var seconds = parseInt(box.dataset.autorefresh, 10) || 15;
  setInterval(function () { if (box.checked) window.location.reload(); }, seconds * 1000);
})();
