// Public dashboard: one ECharts line chart per trend over the published years. The data comes
// from the json_script block "dashboard-charts" (no inline script: Content-Security-Policy
// script-src 'self'). Series of a second unit get a second axis on the right.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("dashboard-charts");
  if (!window.echarts || !source) return;
  var charts = JSON.parse(source.textContent);
  var drawn = [];
  charts.forEach(function (chart) {
    var holder = document.getElementById("chart-" + chart.key);
    if (!holder) return;
    var units = [];
    chart.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) units.push(s.unit); });
    units = units.slice(0, 2);
    var instance = echarts.init(holder);
    instance.setOption({
      tooltip: {trigger: "axis"},
      legend: {type: "scroll", top: 0, data: chart.series.map(function (s) { return s.name; })},
      grid: {top: 56, left: 44, right: units.length > 1 ? 44 : 16, bottom: 28},
      xAxis: {type: "category", data: chart.years.map(String)},
      yAxis: units.map(function (unit, index) {
        return {type: "value", name: unit, scale: true, position: index ? "right" : "left"};
      }),
      series: chart.series.map(function (s) {
        var axis = Math.max(0, units.indexOf(s.unit));
        return {name: s.name, type: "line", yAxisIndex: axis, connectNulls: false,
                symbolSize: 7, data: s.values};
      })
    });
    drawn.push(instance);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
});
