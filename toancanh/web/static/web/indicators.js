// Indicator pages: sparklines on tiles, the time chart, and self-submitting selects.
// ECharts is served locally (window.echarts); nothing loads from the internet.

const dark = document.documentElement.dataset.theme === "dark";
const fmt = (decimals) => new Intl.NumberFormat(document.documentElement.lang === "en" ? "en" : "vi-VN",
  { maximumFractionDigits: Number(decimals || 0) });

function sparklines() {
  document.querySelectorAll(".spark[data-spark]").forEach((el) => {
    const data = JSON.parse(el.dataset.spark || "[]");
    if (!data.length || !window.echarts) return;
    const chart = window.echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: "category", show: false, data: data.map((_, i) => i) },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ type: "line", data, symbol: "none", lineStyle: { width: 1.5, color: dark ? "#58a6ff" : "#1565c0" },
                 areaStyle: { opacity: 0.12 } }],
    });
  });
}

async function timeChart() {
  const el = document.getElementById("chart");
  if (!el || !window.echarts) return;
  const response = await fetch(el.dataset.seriesUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) { el.textContent = `Không tải được dữ liệu (${response.status})`; return; }
  const series = await response.json();
  const number = fmt(el.dataset.decimals);
  const points = series.points;
  const anomalies = points.filter((p) => p.anomaly_z !== null).map((p) => ({ coord: [p.period, p.value], value: "!" }));
  const chart = window.echarts.init(el, dark ? "dark" : null);
  const font = '"Noto Sans", "DejaVu Sans", Roboto, sans-serif';
  chart.setOption({
    backgroundColor: "transparent",
    animation: false,
    textStyle: { fontFamily: font },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "–" : number.format(v)) },
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: "category", data: points.map((p) => p.period) },
    yAxis: { type: "value", scale: true, axisLabel: { formatter: (v) => number.format(v) } },
    dataZoom: [{ type: "slider", start: points.length > 36 ? 50 : 0, end: 100 }],
    series: [{
      name: el.dataset.measure, type: "line", data: points.map((p) => p.value), smooth: false, symbolSize: 4,
      markPoint: anomalies.length ? { data: anomalies, symbol: "pin", symbolSize: 30, itemStyle: { color: "#e65100" } } : undefined,
    }],
  });
  window.addEventListener("resize", () => chart.resize());
  el.dataset.state = "ready";
}

function autosubmit() {
  document.querySelectorAll("select.autosubmit").forEach((s) =>
    s.addEventListener("change", () => s.value && s.form.submit()));
}

function boot() {
  sparklines();
  timeChart().catch((e) => console.error(e));
  autosubmit();
}
if (document.readyState === "complete") boot();
else window.addEventListener("load", boot);
