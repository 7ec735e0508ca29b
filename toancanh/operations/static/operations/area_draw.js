// Drawing a warning's area on a map: "Draw the area", a click at each corner, "Close the outline".
// The polygon goes into the form's hidden `area` field as GeoJSON; the server checks that it lies
// within the units picked. The base is the user's unit and its communes from our own GeoJSON
// (no tiles, nothing from the internet). Texts come from the page (data-* attributes), translated.

function webglAvailable() {
  try {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  } catch (e) {
    return false;
  }
}

function boundsOf(coords) {
  const xs = coords.map((c) => c[0]);
  const ys = coords.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

async function start(el) {
  const maplibregl = window.maplibregl;
  const input = document.getElementById(el.dataset.input);
  const field = el.closest(".area-draw");
  const status = field.querySelector("[data-draw-status]");
  const buttons = Object.fromEntries([...field.querySelectorAll("[data-draw]")].map((b) => [b.dataset.draw, b]));
  if (!maplibregl || !webglAvailable()) {
    document.getElementById("map-fallback")?.removeAttribute("hidden");
    Object.values(buttons).forEach((b) => { b.disabled = true; });
    el.hidden = true;
    return;
  }
  if (maplibregl.setWorkerUrl) maplibregl.setWorkerUrl(el.dataset.workerUrl);
  else maplibregl.workerUrl = el.dataset.workerUrl;
  const dark = el.dataset.theme === "dark";

  let base = null;
  if (el.dataset.mapUrl) {
    const response = await fetch(el.dataset.mapUrl, { headers: { Accept: "application/json" } });
    if (response.ok) base = await response.json();
  }
  let ring = [];
  let closed = false;
  if (input.value) {
    try {
      const g = JSON.parse(input.value);
      ring = (g.type === "Polygon" ? g.coordinates[0] : g.coordinates[0][0]).slice(0, -1);
      closed = ring.length >= 3;
    } catch (e) {
      ring = [];
    }
  }
  let drawing = false;

  const map = new maplibregl.Map({
    container: el,
    style: { version: 8, sources: {}, layers: [{ id: "bg", type: "background", paint: { "background-color": dark ? "#0b1520" : "#e8eef4" } }] },
    bounds: closed ? boundsOf(ring) : (base && base.bbox) || [102, 8, 110, 23.5],
    fitBoundsOptions: { padding: 24 },
    attributionControl: false,
    dragRotate: false,
    doubleClickZoom: false,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");

  function shape() {
    const features = ring.map((c) => ({ type: "Feature", geometry: { type: "Point", coordinates: c }, properties: {} }));
    if (closed) features.push({ type: "Feature", geometry: { type: "Polygon", coordinates: [[...ring, ring[0]]] }, properties: {} });
    else if (ring.length >= 2) features.push({ type: "Feature", geometry: { type: "LineString", coordinates: ring }, properties: {} });
    return { type: "FeatureCollection", features };
  }

  function refresh() {
    map.getSource("drawn")?.setData(shape());
    input.value = closed ? JSON.stringify({ type: "Polygon", coordinates: [[...ring, ring[0]]] }) : "";
    buttons.finish.disabled = !(drawing && ring.length >= 3);
    buttons.start.disabled = drawing;
    status.textContent = drawing ? status.dataset.drawing : closed ? status.dataset.done : status.dataset.idle;
    map.getCanvas().style.cursor = drawing ? "crosshair" : "";
    el.dataset.state = closed ? "drawn" : drawing ? "drawing" : "ready";
  }

  map.on("load", () => {
    if (base) {
      map.addSource("units", { type: "geojson", data: base });
      map.addLayer({ id: "units-fill", type: "fill", source: "units", filter: ["!=", ["geometry-type"], "Point"],
        paint: { "fill-color": dark ? "#132235" : "#ffffff", "fill-opacity": 0.7 } });
      map.addLayer({ id: "units-line", type: "line", source: "units", filter: ["!=", ["geometry-type"], "Point"],
        paint: { "line-color": dark ? "#5d6b7c" : "#9aa7b4", "line-width": 1 } });
      if (base.unit && base.unit.outline) {
        map.addSource("outline", { type: "geojson", data: { type: "Feature", geometry: base.unit.outline, properties: {} } });
        map.addLayer({ id: "outline-line", type: "line", source: "outline", paint: { "line-color": "#c62828", "line-width": 2 } });
      }
    }
    map.addSource("drawn", { type: "geojson", data: shape() });
    map.addLayer({ id: "drawn-fill", type: "fill", source: "drawn", filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": "#d9822b", "fill-opacity": 0.35 } });
    map.addLayer({ id: "drawn-line", type: "line", source: "drawn", filter: ["!=", ["geometry-type"], "Point"],
      paint: { "line-color": "#b35c00", "line-width": 2.5 } });
    map.addLayer({ id: "drawn-corner", type: "circle", source: "drawn", filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-radius": 4, "circle-color": "#fff", "circle-stroke-color": "#b35c00", "circle-stroke-width": 2 } });
    refresh();
    el.dispatchEvent(new CustomEvent("map:ready", { detail: map }));
  });

  map.on("click", (e) => {
    if (!drawing) return;
    ring.push([Number(e.lngLat.lng.toFixed(5)), Number(e.lngLat.lat.toFixed(5))]);
    refresh();
  });
  buttons.start.addEventListener("click", () => { ring = []; closed = false; drawing = true; refresh(); });
  buttons.finish.addEventListener("click", () => { if (ring.length >= 3) { closed = true; drawing = false; refresh(); } });
  buttons.clear.addEventListener("click", () => { ring = []; closed = false; drawing = false; refresh(); });
  window.toancanhAreaMap = map; // for tests and the console
}

function boot() {
  const el = document.getElementById("area-map");
  if (el) start(el).catch((err) => { el.dataset.state = "error"; console.error(err); });
}
if (document.readyState === "complete") boot();
else window.addEventListener("load", boot);
