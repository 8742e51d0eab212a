// Live countdown; starts from the server's clock (the demo clock in demo mode), not the browser's.
(function () {
  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var deadline = Date.parse(el.dataset.deadline), skew = Date.parse(el.dataset.now) - Date.now();
    function tick() {
      var left = Math.max(0, deadline - (Date.now() + skew)) / 1000;
      var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600), m = Math.floor(left % 3600 / 60), s = Math.floor(left % 60);
      el.textContent = left <= 0 ? "已截止" : d + " 天 " + h + " 小时 " + m + " 分 " + s + " 秒";
    }
    tick(); setInterval(tick, 1000);
  });
})();
