// The unit map: a unit's children as polygons (official boundaries, or approximate cells),
// drawn with MapLibre GL from our own GeoJSON, with their names; a base map only from the tile
// source the installation configures (TOANCANH_BASEMAP_URL), nothing from the internet by default.
// Clicking a unit opens its page (data-unit-url: a template with {key}, or a prefix).

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

export function unitHref(template, key) {
  const k = encodeURIComponent(key);
  return template.includes("{key}") ? template.replace("{key}", k) : `${template}${k}/`;
}

// Unit names as HTML labels (the map has no glyph server: nothing from the internet, and no glyph
// files are shipped). Each name shows when its unit is large enough on screen and does not collide
// with a larger unit's name; positions follow the map as MapLibre markers.
const LABEL_MIN_PX = 38; // the unit's size on screen (square root of its area) under which its name hides

function addLabels(maplibregl, map, el, features) {
  const labels = features
    .filter((f) => f.properties.label_lon !== undefined && f.properties.label_lon !== null)
    .sort((a, b) => (b.properties.area || 0) - (a.properties.area || 0))
    .map((f) => {
      const div = document.createElement("div");
      div.className = "map-label";
      div.textContent = f.properties.label || f.properties.name;
      div.dataset.key = f.properties.key;
      const marker = new maplibregl.Marker({ element: div, anchor: "center" })
        .setLngLat([f.properties.label_lon, f.properties.label_lat]).addTo(map);
      div.setAttribute("aria-label", div.textContent); // the marker's default name ("Map marker") hid the unit's
      return { f, div, marker, size: Math.sqrt(f.properties.area || 0) };
    });
  const place = () => {
    const pxPerDegree = (512 * 2 ** map.getZoom()) / 360;
    const taken = [];
    const box = el.getBoundingClientRect();
    let shown = 0;
    for (const l of labels) {
      let show = l.size * pxPerDegree >= LABEL_MIN_PX;
      if (show) {
        const p = map.project(l.marker.getLngLat());
        if (!l.w && l.div.offsetWidth) { l.w = l.div.offsetWidth; l.h = l.div.offsetHeight; } // measured while shown
        const w = l.w || l.div.textContent.length * 9, h = l.h || 18;
        const r = { x0: p.x - w / 2 - 2, x1: p.x + w / 2 + 2, y0: p.y - h / 2, y1: p.y + h / 2 };
        show = r.x0 >= 0 && r.y0 >= 0 && r.x1 <= box.width && r.y1 <= box.height &&
          !taken.some((t) => r.x0 < t.x1 && t.x0 < r.x1 && r.y0 < t.y1 && t.y0 < r.y1);
        if (show) taken.push(r);
      }
      l.div.hidden = !show;
      if (show) shown += 1;
    }
    el.dataset.labels = String(shown);
  };
  map.on("moveend", place);
  map.on("resize", () => { labels.forEach((l) => { l.w = 0; l.div.hidden = false; }); place(); });
  place();
}

// An optional base map from the installation's own tile source (TOANCANH_BASEMAP_URL): raster
// tiles from a URL template ({z}/{x}/{y}), e.g. the province's tile server or a local PMTiles
// file served as tiles. Nothing when unset.
function basemapSources() {
  const meta = document.querySelector('meta[name="toancanh-basemap"]');
  const url = meta && meta.content;
  if (!url) return { sources: {}, layers: [] };
  const tiles = [new URL(url, window.location.href).href.replace(/%7B/g, "{").replace(/%7D/g, "}")];
  return {
    sources: { basemap: { type: "raster", tiles, tileSize: 256, attribution: meta.dataset.attribution || "" } },
    layers: [{ id: "basemap", type: "raster", source: "basemap", paint: { "raster-opacity": 0.85 } }],
  };
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

  const basemap = basemapSources();
  const map = new maplibregl.Map({
    container: el,
    style: {
      version: 8,
      sources: basemap.sources,
      layers: [{ id: "bg", type: "background", paint: { "background-color": dark ? "#0b1520" : "#e8eef4" } }, ...basemap.layers],
    },
    bounds: data.bbox || [102, 8, 110, 23.5],
    fitBoundsOptions: { padding: 24 },
    attributionControl: basemap.layers.length ? { compact: true } : false,
    dragRotate: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");

  map.on("load", () => {
    if (data.unit.outline) {
      map.addSource("outline", { type: "geojson", data: { type: "Feature", geometry: data.unit.outline, properties: {} } });
      map.addLayer({ id: "outline-fill", type: "fill", source: "outline", paint: { "fill-color": dark ? "#132235" : "#ffffff", "fill-opacity": basemap.layers.length ? 0.15 : 0.6 } });
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
      map.addLayer({ id: "outline-line", type: "line", source: "outline", paint: { "line-color": dark ? "#ff5252" : "#c62828", "line-width": 2,
        "line-dasharray": data.unit.outline_approximate ? ["literal", [3, 2]] : ["literal", [1, 0]] } });
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
      if (f) window.location.href = unitHref(el.dataset.unitUrl, f.properties.key);
    });
    if (choropleth) el.appendChild(choropleth.legend);
    addLabels(maplibregl, map, el, data.features);
    // A screen that changes size (a wall switched to 4K, a window resized) shows the whole unit again,
    // unless the person has moved the map.
    let moved = false;
    map.on("movestart", (e) => { if (e.originalEvent) moved = true; });
    map.on("resize", () => { if (!moved && data.bbox) map.fitBounds(data.bbox, { padding: 24, animate: false }); });
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
