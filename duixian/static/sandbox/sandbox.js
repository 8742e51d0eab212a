/* 政策沙盘 charts: before/after totals by clause and by city (the same numbers as the tables). */
(function () {
  if (typeof echarts === "undefined") return;
  var node = document.getElementById("sandbox-chart");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var font = {fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"};
  function bars(id, categories, before, after, rotate) {
    var el = document.getElementById(id);
    if (!el) return null;
    var chart = echarts.init(el, null, {renderer: "svg"});
    // Axis and series words come from the page (translated by the template).
    var words = el.dataset;
    chart.setOption({
      textStyle: font, color: ["#9aa3ad", "#1d3f72"], animation: false,
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0},
      grid: {left: 60, right: 16, top: 40, bottom: rotate ? 70 : 40},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0, rotate: rotate ? 40 : 0}},
      yAxis: {type: "value", name: words.unit || "万元"},
      series: [
        {name: words.before || "试算前", type: "bar", data: before.map(Number)},
        {name: words.after || "试算后", type: "bar", data: after.map(Number)}
      ]
    });
    return chart;
  }
  var charts = [
    bars("chart-clauses", data.clauses, data.clause_before, data.clause_after, false),
    bars("chart-cities", data.cities, data.city_before, data.city_after, true)
  ];
  window.addEventListener("resize", function () { charts.forEach(function (c) { if (c) c.resize(); }); });
})();
