// A station's charts: each quantity's hourly mean with its min–max band over the last days.
// ECharts is served locally (window.echarts); nothing loads from the internet.
const dark = document.documentElement.dataset.theme === "dark";

async function draw(el) {
  const response = await fetch(el.dataset.seriesUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) { el.dataset.state = "error"; return; }
  const body = await response.json();
  const points = body.points || [];
  const chart = window.echarts.init(el, dark ? "dark" : null);
  const time = (p) => new Date(p.time).getTime();
  chart.setOption({
    backgroundColor: "transparent",
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : `${Number(v).toLocaleString("vi-VN", { maximumFractionDigits: 2 })} ${el.dataset.unit}`) },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: el.dataset.unit, scale: true },
    series: [
      { name: "min", type: "line", data: points.map((p) => [time(p), p.min ?? p.value]), lineStyle: { opacity: 0 }, stack: "band", symbol: "none" },
      { name: "max", type: "line", data: points.map((p) => [time(p), (p.max ?? p.value) - (p.min ?? p.value)]), lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, stack: "band", symbol: "none", tooltip: { show: false } },
      { name: el.dataset.name, type: "line", data: points.map((p) => [time(p), p.value]), symbolSize: 3 },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  el.dataset.state = "ready";
}

function start() {
  if (!window.echarts) { window.addEventListener("load", start, { once: true }); return; }
  document.querySelectorAll(".telemetry-chart").forEach((el) => draw(el));
}
start();
