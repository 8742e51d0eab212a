// Live countdown; starts from the server's clock (the demo clock in demo mode), not the browser's.
(function () {
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var deadline = Date.parse(el.dataset.deadline), skew = Date.parse(el.dataset.now) - Date.now();
    function tick() {
      var left = Math.max(0, deadline - (Date.now() + skew)) / 1000;
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = Math.floor(left % 60);
      // The words come from the page (translated by the template); Chinese if the page gives none.
      var closed = el.dataset.closedText || "已截止", format = el.dataset.format || "{d} 天 {h} 小时 {m} 分 {s} 秒";
      el.textContent = left <= 0 ? closed : format.replace("{d}", d).replace("{h}", h).replace("{m}", m).replace("{s}", s);
    }
    tick(); setInterval(tick, 1000);
  });
})();
