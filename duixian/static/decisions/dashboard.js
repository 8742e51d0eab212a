/* Dashboard charts: the same numbers as the tables below them (read from #chart-data). */
(function () {
  if (typeof echarts === "undefined") return;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var colours = ["#8a5a00", "#1e6b3a", "#b3261e", "#5b6470", "#7a2e8e", "#9aa3ad"];
  var font = {fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif"};
  var cities = echarts.init(document.getElementById("chart-cities"), null, {renderer: "svg"});
  cities.setOption({
    textStyle: font, color: colours, animation: false,
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 40, right: 16, top: 60, bottom: 60},
    xAxis: {type: "category", data: data.cities, axisLabel: {interval: 0, rotate: 40}},
    yAxis: {type: "value", minInterval: 1, name: "申报数"},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", stack: "state", data: s.data}; })
  });
  var clauses = echarts.init(document.getElementById("chart-clauses"), null, {renderer: "svg"});
  clauses.setOption({
    textStyle: font, color: ["#1d3f72", "#1e6b3a"], animation: false,
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 60, right: 16, top: 40, bottom: 40},
    xAxis: {type: "category", data: data.clauses},
    yAxis: {type: "value", name: "万元"},
    series: [
      {name: "拟申请金额", type: "bar", data: data.clause_amounts.map(Number)},
      {name: "其中已推荐", type: "bar", data: data.clause_recommended_amounts.map(Number)}
    ]
  });
  window.addEventListener("resize", function () { cities.resize(); clauses.resize(); });
})();
