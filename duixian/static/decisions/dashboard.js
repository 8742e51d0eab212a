/* Dashboard charts: the same numbers as the tables below them (read from #chart-data). */
(function () {
  if (typeof echarts === "undefined") return;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var colours = ["#8a5a00", "#1e6b3a", "#b3261e", "#5b6470", "#7a2e8e", "#9aa3ad"];
  var font = {fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"};
  // Axis and series words come from the chart elements (translated by the template).
  var cityWords = document.getElementById("chart-cities").dataset;
  var clauseWords = document.getElementById("chart-clauses").dataset;
  var cities = echarts.init(document.getElementById("chart-cities"), null, {renderer: "svg"});
  cities.setOption({
    textStyle: font, color: colours, animation: false,
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 40, right: 16, top: 60, bottom: 60},
    xAxis: {type: "category", data: data.cities, axisLabel: {interval: 0, rotate: 40}},
    yAxis: {type: "value", minInterval: 1, name: cityWords.axis || "申报数"},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", stack: "state", data: s.data}; })
  });
  var clauses = echarts.init(document.getElementById("chart-clauses"), null, {renderer: "svg"});
  clauses.setOption({
    textStyle: font, color: ["#1d3f72", "#1e6b3a"], animation: false,
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 60, right: 16, top: 40, bottom: 40},
    xAxis: {type: "category", data: data.clauses},
    yAxis: {type: "value", name: clauseWords.unit || "万元"},
    series: [
      {name: clauseWords.amount || "拟申请金额", type: "bar", data: data.clause_amounts.map(Number)},
      {name: clauseWords.recommended || "其中已推荐", type: "bar", data: data.clause_recommended_amounts.map(Number)}
    ]
  });
  window.addEventListener("resize", function () { cities.resize(); clauses.resize(); });
})();
