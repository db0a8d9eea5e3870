// The annual report's charts (ECharts). Data from the json_script block "report-charts", so the
// page needs no inline script (Content-Security-Policy: script-src 'self').
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("report-charts");
  if (!window.echarts || !source) return;
  JSON.parse(source.textContent).forEach(function (chart) {
    var holder = document.getElementById("chart-" + chart.key);
    if (!holder) return;
    var two = chart.series.length === 2;
    var instance = echarts.init(holder);
    instance.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 4},
      grid: {top: 48, left: 56, right: two ? 56 : 16, bottom: 48},
      xAxis: {type: "category", data: chart.categories, axisLabel: {interval: 0}},
      yAxis: two ? [{type: "value"}, {type: "value", position: "right"}] : [{type: "value"}],
      series: chart.series.map(function (s, i) {
        return {name: s.name, type: s.type, data: s.data, yAxisIndex: two ? i : 0,
                itemStyle: s.type === "bar" ? {opacity: 0.6} : undefined};
      })
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
