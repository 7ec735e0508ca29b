// The unit map: a unit's children as polygons (official boundaries, or approximate cells),
// drawn with MapLibre GL from our own GeoJSON — no base tiles, nothing from the internet.
// Clicking a unit opens its page.

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

function colourExpression() {
  // A stable colour per feature from its index (set below as 'ci').
  const expr = ["match", ["%", ["get", "ci"], PALETTE.length]];
  PALETTE.forEach((c, i) => expr.push(i, c));
  expr.push(PALETTE[0]);
  return expr;
}

// Choropleth: colour units by a figure, in five classes (quintiles), darker is better.
const CLASSES = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
const CLASSES_GOOD = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];

async function loadValues(url, data) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  const rows = await response.json();
  const byKey = new Map(rows.map((r) => [r.unit, r.value]));
  data.features.forEach((f) => { f.properties.v = byKey.has(f.properties.key) ? byKey.get(f.properties.key) : null; });
  const values = rows.map((r) => r.value).filter((v) => v !== null).sort((a, b) => a - b);
  if (!values.length) return null;
  const higherIsBetter = (document.getElementById("map").dataset.direction || "up") === "up";
  const palette = higherIsBetter ? CLASSES_GOOD : CLASSES;
  const breaks = [1, 2, 3, 4].map((q) => values[Math.floor((q / 5) * (values.length - 1))]);
  const expression = ["case", ["==", ["get", "v"], null], "#cccccc",
    ["step", ["to-number", ["get", "v"]], palette[0], breaks[0], palette[1], breaks[1], palette[2], breaks[2], palette[3], breaks[3], palette[4]]];
  const legend = document.createElement("div");
  legend.className = "map-legend";
  const number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  const edges = [values[0], ...breaks, values[values.length - 1]];
  palette.forEach((c, i) => {
    const row = document.createElement("div");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = c;
    row.appendChild(swatch);
    row.appendChild(document.createTextNode(` ${number.format(edges[i])} – ${number.format(edges[i + 1])}`));
    legend.appendChild(row);
  });
  return { expression, legend };
}

function webglAvailable() {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch (e) {
    return false;
  }
}

async function start(el) {
  const maplibregl = window.maplibregl;
  const dark = el.dataset.theme === "dark";
  if (!maplibregl || !webglAvailable()) {
    document.getElementById("map-fallback")?.removeAttribute("hidden");
    el.dataset.state = "no-webgl";
    return;
  }
  if (maplibregl.setWorkerUrl) maplibregl.setWorkerUrl(el.dataset.workerUrl);
  else maplibregl.workerUrl = el.dataset.workerUrl;

  const response = await fetch(el.dataset.mapUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    el.dataset.state = "error";
    el.textContent = `Không tải được bản đồ (${response.status})`;
    return;
  }
  const data = await response.json();
  data.features.forEach((f, i) => (f.properties.ci = i));
  const choropleth = el.dataset.valuesUrl ? await loadValues(el.dataset.valuesUrl, data) : null;
  if (data.approximate) document.getElementById("map-note")?.removeAttribute("hidden");

  const map = new maplibregl.Map({
    container: el,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "bg", type: "background", paint: { "background-color": dark ? "#0b1520" : "#e8eef4" } }],
    },
    bounds: data.bbox || [102, 8, 110, 23.5],
    fitBoundsOptions: { padding: 24 },
    attributionControl: false,
    dragRotate: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");

  map.on("load", () => {
    if (data.unit.outline) {
      map.addSource("outline", { type: "geojson", data: { type: "Feature", geometry: data.unit.outline, properties: {} } });
      map.addLayer({ id: "outline-fill", type: "fill", source: "outline", paint: { "fill-color": dark ? "#132235" : "#ffffff", "fill-opacity": 0.6 } });
    }
    map.addSource("units", { type: "geojson", data, promoteId: "key" });
    map.addLayer({
      id: "units-fill", type: "fill", source: "units", filter: ["!=", ["geometry-type"], "Point"],
      paint: {
        "fill-color": choropleth ? choropleth.expression : colourExpression(),
        "fill-opacity": ["case",
          ["boolean", ["feature-state", "hover"], false], 0.85,
          ["==", ["get", "focus"], false], 0.15,
          dark ? 0.45 : 0.55],
      },
    });
    map.addLayer({
      id: "units-line", type: "line", source: "units", filter: ["!=", ["geometry-type"], "Point"],
      paint: { "line-color": dark ? "#d0d7de" : "#ffffff", "line-width": 1,
               "line-dasharray": ["case", ["get", "approximate"], ["literal", [2, 1]], ["literal", [1, 0]]] },
    });
    map.addLayer({
      id: "units-point", type: "circle", source: "units", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-radius": 6, "circle-color": colourExpression(), "circle-stroke-color": "#fff", "circle-stroke-width": 1 },
    });
    if (data.focus) {
      map.addLayer({
        id: "focus-line", type: "line", source: "units", filter: ["==", ["get", "focus"], true],
        paint: { "line-color": dark ? "#ffd54f" : "#1b2430", "line-width": 3 },
      });
    }
    if (data.unit.outline) {
      map.addLayer({ id: "outline-line", type: "line", source: "outline", paint: { "line-color": dark ? "#ff5252" : "#c62828", "line-width": 2 } });
    }

    const tip = document.createElement("div");
    tip.className = "map-tip";
    tip.hidden = true;
    el.appendChild(tip);
    let hovered = null;
    const layers = ["units-fill", "units-point"];
    map.on("mousemove", (e) => {
      const f = map.queryRenderedFeatures(e.point, { layers })[0];
      if (hovered !== null) map.setFeatureState({ source: "units", id: hovered }, { hover: false });
      hovered = f ? f.properties.key : null;
      map.getCanvas().style.cursor = f ? "pointer" : "";
      if (!f) { tip.hidden = true; return; }
      map.setFeatureState({ source: "units", id: hovered }, { hover: true });
      const figure = f.properties.v !== undefined ? ` · ${f.properties.v === null ? "–" : new Intl.NumberFormat("vi-VN").format(f.properties.v)}` : "";
      tip.textContent = `${f.properties.name}${figure} · ${f.properties.type}${f.properties.approximate ? " · ranh giới gần đúng" : ""}`;
      tip.style.left = `${e.point.x + 12}px`;
      tip.style.top = `${e.point.y + 12}px`;
      tip.hidden = false;
    });
    map.on("click", (e) => {
      const f = map.queryRenderedFeatures(e.point, { layers })[0];
      if (f) window.location.href = `${el.dataset.unitUrl}${encodeURIComponent(f.properties.key)}/`;
    });
    if (choropleth) el.appendChild(choropleth.legend);
    map.once("idle", () => { el.dataset.state = "ready"; });
    el.dispatchEvent(new CustomEvent("map:ready", { detail: map }));
  });
  window.toancanhMap = map; // for tests and the console
}

function boot() {
  const el = document.getElementById("map");
  if (el) start(el).catch((err) => { el.dataset.state = "error"; console.error(err); });
}
if (document.readyState === "complete") boot();
else window.addEventListener("load", boot);
