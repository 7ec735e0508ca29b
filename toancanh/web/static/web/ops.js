// The live operations screen: alerts and situations on the map and in the ticker, kept current by
// Server-Sent Events (the browser reconnects by itself; the page never needs a reload).
// What is open when the page is served comes with the page (#live-initial), so it is drawn at once.
// Times are Vietnamese time whatever the zone of the browser; the lists kept in memory are capped.

const root = document.getElementById("ops");
const alerts = new Map();
const situations = new Map();
const MAX_ALERTS = 500;
const MAX_SITUATIONS = 200;
const SHOWN_ALERTS = 40;
const SHOWN_SITUATIONS = 20;
const ZONE = "Asia/Ho_Chi_Minh";
const HOUR_MINUTE = new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hour12: false });
const CLOCK = new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const DAY = new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, weekday: "long", day: "numeric", month: "numeric", year: "numeric" });
const SEVERITY_COLOUR = { Extreme: "#ff1744", Severe: "#ff5252", Moderate: "#ffab40", Minor: "#ffd740", Unknown: "#90a4ae" };
const CLOSED = new Set(["resolved", "closed"]);
let map = null;
let updatedAt = null;

async function load(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  return r.ok ? (await r.json()).items : [];
}

// Keep the newest entries only: a screen that runs for days must not grow.
const capped = { alerts: false, situations: false };
function cap(store, max, when, name) {
  if (store.size < max) { capped[name] = false; return; }
  capped[name] = true; // at the cap, the counts say "500+": older entries are in the inbox
  if (store.size === max) return;
  const oldest = [...store.values()].sort((a, b) => (when(a) || "").localeCompare(when(b) || ""));
  for (const x of oldest.slice(0, store.size - max)) store.delete(x.id);
}

function touch(when) {
  updatedAt = when ? new Date(when) : new Date();
  const el = document.getElementById("updated");
  el.textContent = CLOCK.format(updatedAt);
  el.dateTime = updatedAt.toISOString();
}

function tick() {
  const now = new Date();
  document.getElementById("clock").textContent = CLOCK.format(now);
  document.getElementById("clock-date").textContent = DAY.format(now);
}

function placed(x) {
  return x.lat !== null && x.lat !== undefined && x.lon !== null && x.lon !== undefined;
}

function features() {
  const out = [];
  for (const a of alerts.values()) if (placed(a))
    out.push({ type: "Feature", geometry: { type: "Point", coordinates: [a.lon, a.lat] }, properties: { kind: "alert", id: a.id, severity: a.severity, title: a.message || a.rule } });
  for (const s of situations.values()) if (placed(s))
    out.push({ type: "Feature", geometry: { type: "Point", coordinates: [s.lon, s.lat] }, properties: { kind: "situation", id: s.id, severity: s.severity, title: s.title } });
  return { type: "FeatureCollection", features: out };
}

// Layers that the core and the packs declare (stations, vessels, ports …), under the live markers.
let packLayersAdded = false;
async function drawPackLayers() {
  if (!map || packLayersAdded || !root.dataset.layersUrl) return;
  packLayersAdded = true;
  // Areas first, then lines, then points: a pack's filled areas never cover another pack's stations.
  const rank = (l) => ({ fill: 0, line: 1 })[(l.style || {}).type || "circle"] ?? 2;
  const layers = (await load(root.dataset.layersUrl)).sort((a, b) => rank(a) - rank(b));
  const shown = [];
  for (const l of layers) {
    try {
      map.addSource(`pack-${l.code}`, { type: "geojson", data: new URL(l.url, window.location.href).href });
      const style = Object.assign({ type: "circle" }, l.style);
      map.addLayer(Object.assign({}, style, { id: `pack-${l.code}`, source: `pack-${l.code}` }), map.getLayer("live-halo") ? "live-halo" : undefined);
      shown.push(l.code);
    } catch (err) {
      console.warn(`layer ${l.code} cannot be drawn: ${err}`);
    }
  }
  root.dataset.layers = shown.join(" ");
}

const SEVERITY_EXPRESSION = ["match", ["get", "severity"], "Extreme", "#ff1744", "Severe", "#ff5252", "Moderate", "#ffab40", "Minor", "#ffd740", "#90a4ae"];

function drawLayers() {
  if (!map) return;
  drawPackLayers();
  const data = features();
  root.dataset.markers = String(data.features.length);
  if (map.getSource("live")) { map.getSource("live").setData(data); return; }
  map.addSource("live", { type: "geojson", data });
  map.addLayer({ id: "live-halo", type: "circle", source: "live", paint: {
    "circle-radius": ["case", ["==", ["get", "kind"], "situation"], 26, 20], "circle-opacity": 0.3, "circle-color": SEVERITY_EXPRESSION } });
  map.addLayer({ id: "live-dot", type: "circle", source: "live", paint: {
    "circle-radius": ["case", ["==", ["get", "kind"], "situation"], 11, 8], "circle-stroke-color": "#fff", "circle-stroke-width": 2,
    "circle-color": SEVERITY_EXPRESSION } });
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
  const at = new Date(when || Date.now());
  time.textContent = HOUR_MINUTE.format(at);
  time.dateTime = at.toISOString();
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
  cap(alerts, MAX_ALERTS, (a) => a.last_at, "alerts");
  cap(situations, MAX_SITUATIONS, (s) => s.opened_at, "situations");
  const ticker = document.getElementById("ticker");
  const list = [...alerts.values()].sort((a, b) => (b.last_at || "").localeCompare(a.last_at || ""));
  ticker.replaceChildren(...(list.length ? list.slice(0, SHOWN_ALERTS).map((a) => line(`${a.rule}: ${a.message}`, a.severity, a.last_at, a.situation ? `/situations/${a.situation}/` : null)) : [empties.ticker]));
  const sits = document.getElementById("situations");
  const slist = [...situations.values()].sort((a, b) => (b.opened_at || "").localeCompare(a.opened_at || ""));
  sits.replaceChildren(...(slist.length ? slist.slice(0, SHOWN_SITUATIONS).map((s) => line(s.title, s.severity, s.opened_at, `/situations/${s.id}/`)) : [empties.situations]));
  document.getElementById("k-alerts").textContent = `${alerts.size}${capped.alerts ? "+" : ""}`;
  document.getElementById("k-severe").textContent = list.filter((a) => a.severity === "Severe" || a.severity === "Extreme").length;
  document.getElementById("k-situations").textContent = `${situations.size}${capped.situations ? "+" : ""}`;
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

function replaceAll(alertRows, situationRows) {
  alerts.clear();
  situations.clear();
  alertRows.forEach((x) => alerts.set(x.id, x));
  situationRows.filter((x) => !CLOSED.has(x.status)).forEach((x) => situations.set(x.id, x));
}

// After a lost connection, events may have been missed: read the whole picture again.
async function resync() {
  const [a, s] = await Promise.all([load(root.dataset.alertsUrl), load(root.dataset.situationsUrl)]);
  replaceAll(a, s);
  touch();
  render();
}

function listen() {
  const source = new EventSource(root.dataset.streamUrl);
  const state = document.getElementById("live-state");
  let lost = false;
  source.onopen = () => {
    state.className = "live on";
    state.title = "trực tuyến";
    if (lost) resync().catch((err) => console.warn(err));
    lost = false;
  };
  source.onerror = () => { state.className = "live off"; state.title = "đang kết nối lại…"; lost = true; };
  source.addEventListener("alert.raised", (m) => {
    const e = JSON.parse(m.data);
    const before = alerts.get(e.id) || {};
    alerts.set(e.id, Object.assign(before, { id: e.id, rule: e.rule, sector: e.sector, message: e.message, severity: e.severity,
      lat: e.lat ?? before.lat ?? null, lon: e.lon ?? before.lon ?? null, last_at: new Date().toISOString() }));
    touch();
    render();
  });
  source.addEventListener("alert.cleared", (m) => { alerts.delete(JSON.parse(m.data).id); touch(); render(); });
  source.addEventListener("situation.opened", (m) => {
    const e = JSON.parse(m.data);
    situations.set(e.id, { id: e.id, title: e.title, severity: e.severity, lat: e.lat, lon: e.lon, opened_at: new Date().toISOString() });
    touch();
    render();
  });
  source.addEventListener("situation.updated", (m) => {
    const e = JSON.parse(m.data);
    if (CLOSED.has(e.status)) situations.delete(e.id);
    touch();
    render();
  });
}

function boot() {
  for (const id of ["ticker", "situations"]) empties[id] = document.querySelector(`#${id} .empty-line`);
  tick();
  setInterval(tick, 1000);
  const mapEl = document.getElementById("map");
  // map.js announces the map once its style has loaded: draw what is open at once.
  mapEl.addEventListener("map:ready", (ev) => { map = ev.detail; drawLayers(); });
  const initial = JSON.parse(document.getElementById("live-initial").textContent);
  replaceAll(initial.alerts, initial.situations);
  touch(initial.at);
  render();
  listen();
  root.dataset.state = "ready";
}
if (root) boot();
