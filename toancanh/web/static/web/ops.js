// The live operations screen: alerts and situations on the map and in the ticker, kept current by
// Server-Sent Events (the browser reconnects by itself; the page never needs a reload).

const root = document.getElementById("ops");
const alerts = new Map();
const situations = new Map();
const SEVERITY_COLOUR = { Extreme: "#ff1744", Severe: "#ff5252", Moderate: "#ffab40", Minor: "#ffd740", Unknown: "#90a4ae" };
let map = null;

async function load(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  return r.ok ? (await r.json()).items : [];
}

function features() {
  const out = [];
  for (const a of alerts.values()) if (a.lat !== null && a.lon !== null && a.lat !== undefined)
    out.push({ type: "Feature", geometry: { type: "Point", coordinates: [a.lon, a.lat] }, properties: { kind: "alert", severity: a.severity, title: a.message || a.rule } });
  for (const s of situations.values()) if (s.lat !== null && s.lon !== null && s.lat !== undefined)
    out.push({ type: "Feature", geometry: { type: "Point", coordinates: [s.lon, s.lat] }, properties: { kind: "situation", id: s.id, severity: s.severity, title: s.title } });
  return { type: "FeatureCollection", features: out };
}

function drawLayers() {
  if (!map) return;
  const data = features();
  if (map.getSource("live")) { map.getSource("live").setData(data); return; }
  map.addSource("live", { type: "geojson", data });
  map.addLayer({ id: "live-halo", type: "circle", source: "live", paint: {
    "circle-radius": ["case", ["==", ["get", "kind"], "situation"], 26, 20], "circle-opacity": 0.3,
    "circle-color": ["match", ["get", "severity"], "Extreme", "#ff1744", "Severe", "#ff5252", "Moderate", "#ffab40", "Minor", "#ffd740", "#90a4ae"] } });
  map.addLayer({ id: "live-dot", type: "circle", source: "live", paint: {
    "circle-radius": ["case", ["==", ["get", "kind"], "situation"], 11, 8], "circle-stroke-color": "#fff", "circle-stroke-width": 2,
    "circle-color": ["match", ["get", "severity"], "Extreme", "#ff1744", "Severe", "#ff5252", "Moderate", "#ffab40", "Minor", "#ffd740", "#90a4ae"] } });
  // Drill down from the map to the situation.
  map.on("click", "live-dot", (e) => {
    const f = e.features && e.features[0];
    if (f && f.properties.kind === "situation") window.location.href = `/situations/${f.properties.id}/`;
  });
}

function line(text, severity, when, href) {
  const li = document.createElement("li");
  const dot = document.createElement("span");
  dot.className = "sev";
  dot.style.background = SEVERITY_COLOUR[severity] || SEVERITY_COLOUR.Unknown;
  const time = document.createElement("time");
  time.textContent = new Date(when || Date.now()).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
  let label = document.createTextNode(" " + text);
  if (href) {
    label = document.createElement("a");
    label.href = href;
    label.textContent = text;
  }
  li.append(dot, time, label);
  return li;
}

function render() {
  const ticker = document.getElementById("ticker");
  const list = [...alerts.values()].sort((a, b) => (b.last_at || "").localeCompare(a.last_at || ""));
  ticker.replaceChildren(...(list.length ? list.slice(0, 30).map((a) => line(`${a.rule}: ${a.message}`, a.severity, a.last_at)) : [emptyLine("ticker")]));
  const sits = document.getElementById("situations");
  const slist = [...situations.values()];
  sits.replaceChildren(...(slist.length ? slist.slice(0, 20).map((s) => line(s.title, s.severity, s.opened_at, `/situations/${s.id}/`)) : [emptyLine("situations")]));
  document.getElementById("k-alerts").textContent = alerts.size;
  document.getElementById("k-severe").textContent = list.filter((a) => a.severity === "Severe" || a.severity === "Extreme").length;
  document.getElementById("k-situations").textContent = situations.size;
  const perSector = {};
  for (const a of alerts.values()) if (a.sector) perSector[a.sector] = (perSector[a.sector] || 0) + 1;
  document.querySelectorAll("#sector-panels li").forEach((li) => {
    const n = perSector[li.dataset.sector] || 0;
    li.querySelector(".n").textContent = n;
    li.classList.toggle("hot", n > 0);
  });
  drawLayers();
}

const empties = {};
function emptyLine(id) { return empties[id]; }

function listen() {
  const source = new EventSource(root.dataset.streamUrl);
  const state = document.getElementById("live-state");
  source.onopen = () => { state.className = "live on"; state.title = "trực tuyến"; };
  source.onerror = () => { state.className = "live off"; state.title = "đang kết nối lại…"; };
  source.addEventListener("alert.raised", (m) => {
    const e = JSON.parse(m.data);
    alerts.set(e.id, { id: e.id, rule: e.rule, sector: e.sector, message: e.message, severity: e.severity, lat: e.lat, lon: e.lon, last_at: new Date().toISOString() });
    render();
  });
  source.addEventListener("alert.cleared", (m) => { alerts.delete(JSON.parse(m.data).id); render(); });
  source.addEventListener("situation.opened", (m) => {
    const e = JSON.parse(m.data);
    situations.set(e.id, { id: e.id, title: e.title, severity: e.severity, lat: e.lat, lon: e.lon, opened_at: new Date().toISOString() });
    render();
  });
  source.addEventListener("situation.updated", (m) => {
    const e = JSON.parse(m.data);
    if (e.status === "closed" || e.status === "resolved") situations.delete(e.id);
    render();
  });
}

async function boot() {
  for (const id of ["ticker", "situations"]) empties[id] = document.querySelector(`#${id} .empty-line`);
  const mapEl = document.getElementById("map");
  mapEl.addEventListener("map:ready", (ev) => { map = ev.detail; map.on("load", drawLayers); if (map.loaded()) drawLayers(); });
  listen();
  const [a, s] = await Promise.all([load(root.dataset.alertsUrl), load(root.dataset.situationsUrl)]);
  a.forEach((x) => alerts.set(x.id, x));
  s.forEach((x) => situations.set(x.id, x));
  render();
  root.dataset.state = "ready";
}
if (root) boot();
