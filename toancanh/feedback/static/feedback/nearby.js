// The public map of reports: open ones red, answered green; a tap opens the report.
const el = document.getElementById("public-map");

function start() {
  const lib = window.maplibregl;
  if (!lib || !el) return;
  try {
    if (lib.setWorkerUrl) lib.setWorkerUrl(el.dataset.workerUrl);
    const [w, s, e, n] = el.dataset.bbox.split(",").map(Number);
    const meta = document.querySelector('meta[name="toancanh-basemap"]');
    const sources = meta && meta.content ? { basemap: { type: "raster", tiles: [meta.content], tileSize: 256 } } : {};
    const layers = [{ id: "bg", type: "background", paint: { "background-color": "#e8eef4" } }];
    if (sources.basemap) layers.push({ id: "basemap", type: "raster", source: "basemap" });
    const map = new lib.Map({ container: el, style: { version: 8, sources, layers }, bounds: [w, s, e, n], attributionControl: false, dragRotate: false });
    map.on("load", () => {
      map.addSource("reports", { type: "geojson", data: el.dataset.url });
      map.addLayer({ id: "reports", type: "circle", source: "reports", paint: {
        "circle-radius": 6, "circle-stroke-width": 1, "circle-stroke-color": "#fff",
        "circle-color": ["case", ["get", "open"], "#d62728", "#2ca02c"] } });
      map.on("click", "reports", (ev) => { window.location.href = `/phan-anh/tra-cuu/${ev.features[0].properties.code}/`; });
      el.dataset.state = "ready";
    });
  } catch (err) { el.dataset.state = "no-map"; }
}
window.addEventListener("load", start);
