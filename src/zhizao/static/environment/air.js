// Air page: the calendar heat map of daily AQI (a click opens the day's station-hours) and the
// composite-index trend (ECharts). Data from json_script blocks, labels from data attributes,
// so the page needs no inline script (Content-Security-Policy: script-src 'self').
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var holder = document.getElementById("aqi-calendar");
  var source = document.getElementById("calendar-data");
  if (holder && source) {
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: {formatter: function (p) { return p.value[0] + " · AQI " + (p.value[1] === null ? "—" : p.value[1]); }},
      visualMap: {
        type: "piecewise", orient: "horizontal", left: "center", top: 0, show: false,
        pieces: [
          {min: 0, max: 50, color: "#00E400"}, {min: 51, max: 100, color: "#FFFF00"},
          {min: 101, max: 150, color: "#FF7E00"}, {min: 151, max: 200, color: "#FF0000"},
          {min: 201, max: 300, color: "#99004C"}, {min: 301, color: "#7E0023"}
        ]
      },
      calendar: {top: 30, left: 40, right: 10, cellSize: ["auto", 18], range: String(data.year),
                 yearLabel: {show: false}},
      series: [{type: "heatmap", coordinateSystem: "calendar", name: holder.dataset.title,
                data: data.days.filter(function (d) { return d[1] !== null; })}]
    });
    chart.on("click", function (point) {
      window.location = holder.dataset.dayUrl.replace("0000-00-00", point.value[0]);
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var trendHolder = document.getElementById("composite-trend");
  var trendSource = document.getElementById("trend-data");
  if (trendHolder && trendSource) {
    var trend = JSON.parse(trendSource.textContent);
    var trendChart = echarts.init(trendHolder);
    var names = [trendHolder.dataset.indexLabel, trendHolder.dataset.goodLabel];
    trendChart.setOption({
      tooltip: {trigger: "axis"},
      legend: {data: names, top: 4},
      grid: {top: 48, left: 48, right: 48, bottom: 32},
      xAxis: {type: "category", data: trend.map(function (t) { return String(t[0]); })},
      yAxis: [{type: "value", name: names[0]}, {type: "value", name: names[1], position: "right"}],
      series: [
        {name: names[0], type: "line", data: trend.map(function (t) { return t[1]; })},
        {name: names[1], type: "bar", yAxisIndex: 1, data: trend.map(function (t) { return t[2]; }),
         itemStyle: {opacity: 0.35}}
      ]
    });
    window.addEventListener("resize", function () { trendChart.resize(); });
  }
});
