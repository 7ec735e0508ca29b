// The report form: suggestions as the citizen types, the place by GPS or a tap on the map (with
// the commune looked up), photos shrunk in the browser (canvas, at most 1600 px, JPEG), open
// reports nearby offered to follow, then sending — or keeping it on the phone when offline.
import { deviceId, enqueue, remember, send } from "./queue.js";

const form = document.getElementById("report-form");
const $ = (id) => document.getElementById(id);
const MAX_SIDE = 1600;
const MAX_PHOTOS = 5;
let photos = []; // {dataUrl, public}
let marker = null;
let map = null;
let skipDupes = false;

function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// --- suggestions ----------------------------------------------------------------------------
const suggest = debounce(async () => {
  const text = $("description").value;
  const box = $("suggest");
  if (text.trim().length < 8 || !navigator.onLine) { box.textContent = ""; return; }
  try {
    const r = await fetch(`${form.dataset.suggestUrl}?q=${encodeURIComponent(text)}`);
    const { items } = await r.json();
    box.textContent = "";
    if (!items.length) return;
    box.appendChild(document.createTextNode("Gợi ý: "));
    items.forEach((it) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "fb-chip";
      b.dataset.code = it.code;
      b.textContent = it.name;
      b.addEventListener("click", () => { $("category").value = it.code; });
      box.appendChild(b);
    });
  } catch (e) { /* offline: no suggestion */ }
}, 400);
$("description").addEventListener("input", suggest);

// --- place ------------------------------------------------------------------------------------
async function setPlace(lat, lon) {
  $("lat").value = lat.toFixed(6);
  $("lon").value = lon.toFixed(6);
  if (map && window.maplibregl) {
    if (!marker) marker = new window.maplibregl.Marker({ color: "#d33" });
    marker.setLngLat([lon, lat]).addTo(map);
  }
  $("place").textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  if (!navigator.onLine) return;
  try {
    const r = await fetch(`${form.dataset.locateUrl}?lat=${lat}&lon=${lon}`);
    const body = await r.json();
    $("place").textContent = r.ok ? body.name : body.error;
    $("place").classList.toggle("fb-error", !r.ok);
  } catch (e) { /* keep the coordinates */ }
}

$("gps").addEventListener("click", () => {
  if (!navigator.geolocation) { $("place").textContent = "Máy không hỗ trợ định vị: chạm vào bản đồ."; return; }
  $("place").textContent = "Đang lấy vị trí…";
  navigator.geolocation.getCurrentPosition(
    (p) => { setPlace(p.coords.latitude, p.coords.longitude); map?.flyTo({ center: [p.coords.longitude, p.coords.latitude], zoom: 15 }); },
    () => { $("place").textContent = "Không lấy được vị trí: chạm vào bản đồ."; },
    { enableHighAccuracy: true, timeout: 10000 },
  );
});

function basemap() {
  const meta = document.querySelector('meta[name="toancanh-basemap"]');
  if (!meta || !meta.content) return { sources: {}, layers: [] };
  return {
    sources: { basemap: { type: "raster", tiles: [meta.content], tileSize: 256, attribution: meta.dataset.attribution || "" } },
    layers: [{ id: "basemap", type: "raster", source: "basemap" }],
  };
}

function startMap() {
  const el = $("pick-map");
  const lib = window.maplibregl;
  if (!lib) { el.dataset.state = "no-map"; return; }
  try {
    if (lib.setWorkerUrl) lib.setWorkerUrl(form.dataset.workerUrl);
    const b = basemap();
    const [w, s, e, n] = form.dataset.bbox.split(",").map(Number);
    map = new lib.Map({
      container: el,
      style: { version: 8, sources: b.sources, layers: [{ id: "bg", type: "background", paint: { "background-color": "#e8eef4" } }, ...b.layers] },
      bounds: [w, s, e, n], attributionControl: false, dragRotate: false,
    });
    map.on("click", (ev) => setPlace(ev.lngLat.lat, ev.lngLat.lng));
    map.on("load", () => { el.dataset.state = "ready"; });
  } catch (err) { el.dataset.state = "no-map"; }
}
window.addEventListener("load", startMap);

// --- photos -----------------------------------------------------------------------------------
function shrink(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      const c = document.createElement("canvas");
      c.width = Math.round(img.naturalWidth * scale);
      c.height = Math.round(img.naturalHeight * scale);
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(url);
      resolve(c.toDataURL("image/jpeg", 0.8));
    };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("not an image")); };
    img.src = url;
  });
}

function drawPreviews() {
  const box = $("previews");
  box.textContent = "";
  photos.forEach((p, i) => {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.src = p.dataUrl;
    img.alt = `Ảnh ${i + 1}`;
    const label = document.createElement("label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.checked = p.public;
    tick.addEventListener("change", () => { p.public = tick.checked; });
    label.append(tick, " Công khai");
    const del = document.createElement("button");
    del.type = "button";
    del.className = "fb-link";
    del.textContent = "Bỏ";
    del.addEventListener("click", () => { photos.splice(i, 1); drawPreviews(); });
    fig.append(img, label, del);
    box.appendChild(fig);
  });
}

$("photos").addEventListener("change", async (ev) => {
  const files = Array.from(ev.target.files || []);
  for (const f of files) {
    if (photos.length >= MAX_PHOTOS) { $("form-error").textContent = "Tối đa 5 ảnh."; break; }
    try { photos.push({ dataUrl: await shrink(f), public: true }); }
    catch (e) { $("form-error").textContent = `“${f.name}” không phải là ảnh.`; }
  }
  ev.target.value = "";
  drawPreviews();
});

// --- duplicates and sending -----------------------------------------------------------------
function fields() {
  const f = {};
  ["category", "description", "lat", "lon", "address", "name", "phone"].forEach((k) => { f[k] = (form.elements[k] && form.elements[k].value) || ""; });
  f.device = deviceId();
  f.anonymous = f.name || f.phone ? "0" : "1";
  return f;
}

function done(body) {
  remember(body.code, body.token);
  form.hidden = true;
  $("sent").hidden = false;
  $("sent-code").textContent = body.code;
  $("sent-link").href = body.url;
  if (body.due_at) $("sent-due").textContent = `Hạn trả lời: ${new Date(body.due_at).toLocaleString("vi-VN")}`;
}

async function showDupes(f) {
  if (skipDupes || !navigator.onLine || !f.category || !f.lat) return false;
  try {
    const r = await fetch(`${form.dataset.dupesUrl}?category=${encodeURIComponent(f.category)}&lat=${f.lat}&lon=${f.lon}&q=${encodeURIComponent(f.description)}`);
    const { items } = await r.json();
    if (!items.length) return false;
    const box = $("dupes");
    box.textContent = "";
    const h = document.createElement("p");
    h.textContent = "Gần đây đã có phản ánh tương tự đang được xử lý. Bạn có thể theo dõi phản ánh đó thay vì gửi mới:";
    box.appendChild(h);
    items.forEach((it) => {
      const row = document.createElement("div");
      row.className = "fb-dupe";
      row.textContent = `${it.title} — ${it.distance_m} m, ${it.status} `;
      const b = document.createElement("button");
      b.type = "button";
      b.className = "fb-secondary";
      b.textContent = "Theo dõi";
      b.dataset.testid = "follow";
      b.addEventListener("click", async () => {
        const body = new FormData();
        body.append("device", f.device);
        body.append("phone", f.phone);
        const res = await fetch(`/phan-anh/theo-doi/${it.code}/`, { method: "POST", body, headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value } });
        if (res.ok) window.location.href = (await res.json()).url;
      });
      row.appendChild(b);
      box.appendChild(row);
    });
    const anyway = document.createElement("button");
    anyway.type = "button";
    anyway.className = "fb-link";
    anyway.textContent = "Không phải, vẫn gửi phản ánh mới";
    anyway.addEventListener("click", () => { skipDupes = true; box.hidden = true; form.requestSubmit(); });
    box.appendChild(anyway);
    box.hidden = false;
    return true;
  } catch (e) { return false; }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const err = $("form-error");
  err.textContent = "";
  const f = fields();
  if (!f.description.trim()) { err.textContent = "Hãy mô tả điều bạn thấy."; return; }
  if (!f.category) { err.textContent = "Hãy chọn lĩnh vực."; return; }
  if (!f.lat) { err.textContent = "Hãy chọn vị trí: dùng vị trí của bạn hoặc chạm vào bản đồ."; return; }
  if (await showDupes(f)) return;
  const entry = { url: form.dataset.submitUrl, fields: f, photos };
  $("send").disabled = true;
  try {
    if (!navigator.onLine) throw new Error("offline");
    const r = await send(entry.url, entry);
    if (r.ok) done(r.body);
    else err.textContent = r.body.error || `Lỗi ${r.status}`;
  } catch (e) {
    enqueue(entry);
    form.hidden = true;
    $("sent").hidden = false;
    $("sent").querySelector("h1").textContent = "Đã lưu trên máy";
    $("sent-code").textContent = "(chưa có mã)";
    $("sent-due").textContent = "Chưa có mạng: phản ánh sẽ tự gửi khi có kết nối trở lại.";
    $("sent-link").href = "/phan-anh/tra-cuu/";
  } finally {
    $("send").disabled = false;
  }
});
