// Rapid-test dashboard: the monthly pass-rate trend with its 95% Wilson interval (ECharts).
// Data comes from the json_script block "trend-data"; labels and URLs from data attributes, so
// the page needs no inline script (Content-Security-Policy: script-src 'self'). Drawn again
// when the filter form's htmx swap replaces the figures.
function drawTrend() {
  var holder = document.getElementById("trend");
  var source = document.getElementById("trend-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  if (!data.length) return;
  var previous = echarts.getInstanceByDom(holder);
  if (previous) previous.dispose();
  var chart = echarts.init(holder);
  var pick = function (key) { return data.map(function (d) { return d[key]; }); };
  var names = [holder.dataset.rateLabel, holder.dataset.lowLabel, holder.dataset.highLabel];
  chart.setOption({
    tooltip: {trigger: "axis"},
    // A legend entry for every series (issue 19), above the plot.
    legend: {data: names, top: 4},
    grid: {top: 48, left: 48, right: 24, bottom: 32},
    xAxis: {type: "category", data: pick("month")},
    yAxis: {type: "value", min: function (v) { return Math.floor(v.min); }, max: 100, name: "%"},
    series: [
      {name: names[0], type: "line", data: pick("rate")},
      {name: names[1], type: "line", lineStyle: {type: "dashed"}, symbol: "none", data: pick("low")},
      {name: names[2], type: "line", lineStyle: {type: "dashed"}, symbol: "none", data: pick("high")}
    ]
  });
  chart.on("click", function (point) {
    var query = holder.dataset.query ? holder.dataset.query + "&" : "";
    window.location = holder.dataset.recordsUrl + "?" + query + "month=" + encodeURIComponent(point.name);
  });
}
window.addEventListener("resize", function () {
  var holder = document.getElementById("trend");
  var chart = holder && window.echarts && echarts.getInstanceByDom(holder);
  if (chart) chart.resize();
});
document.addEventListener("DOMContentLoaded", drawTrend);
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.target && event.target.id === "dashboard-figures") drawTrend();
});
