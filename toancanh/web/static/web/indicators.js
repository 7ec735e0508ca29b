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

// A period code as people say it (the same words as Period.label_vi on the server):
// "2026-10" → "Tháng 10/2026", "2026Q3" → "Quý III/2026"; in English "10/2026", "Q3 2026".
const VI = (document.documentElement.lang || "vi").startsWith("vi");
const ROMAN = ["I", "II", "III", "IV"];
export function periodLabel(code) {
  let m;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(code))) return `${m[3]}/${m[2]}/${m[1]}`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(code))) return VI ? `Tháng ${m[2]}/${m[1]}` : `${m[2]}/${m[1]}`;
  if ((m = /^(\d{4})Q([1-4])$/.exec(code))) return VI ? `Quý ${ROMAN[m[2] - 1]}/${m[1]}` : `Q${m[2]} ${m[1]}`;
  if ((m = /^(\d{4})H([12])$/.exec(code))) {
    if (!VI) return `H${m[2]} ${m[1]}`;
    return `${m[2] === "1" ? "6 tháng đầu năm" : "6 tháng cuối năm"} ${m[1]}`;
  }
  if ((m = /^(\d{4})$/.exec(code))) return VI ? `Năm ${m[1]}` : m[1];
  return code;
}

async function timeChart() {
  const el = document.getElementById("chart");
  if (!el || !window.echarts) return;
  const response = await fetch(el.dataset.seriesUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) { el.textContent = `${VI ? "Không tải được dữ liệu" : "Could not load the figures"} (${response.status})`; return; }
  const series = await response.json();
  const number = fmt(el.dataset.decimals);
  const points = series.points;
  const anomalies = points.filter((p) => p.anomaly_z !== null).map((p) => ({ coord: [periodLabel(p.period), p.value], value: "!" }));
  const chart = window.echarts.init(el, dark ? "dark" : null);
  const font = '"Noto Sans", "DejaVu Sans", Roboto, sans-serif';
  chart.setOption({
    backgroundColor: "transparent",
    animation: false,
    textStyle: { fontFamily: font },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "–" : number.format(v)) },
    grid: { left: 60, right: 20, top: 20, bottom: 60 },
    xAxis: { type: "category", data: points.map((p) => periodLabel(p.period)) },
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
