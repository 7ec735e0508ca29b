// The offline queue of reports: a report made without a connection is kept on the phone
// (localStorage, photos already shrunk) and sent when the connection returns.
const KEY = "tc-feedback-queue";
const TOKENS = "tc-feedback-tokens";

export function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export function deviceId() {
  let id = localStorage.getItem("tc-device");
  if (!id) {
    id = (crypto.randomUUID && crypto.randomUUID()) || String(Math.random()).slice(2) + Date.now();
    localStorage.setItem("tc-device", id);
  }
  return id;
}

export function queued() {
  try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
}

function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

export function enqueue(entry) {
  const items = queued();
  items.push({ ...entry, at: new Date().toISOString() });
  save(items);
}

export function remember(code, token) {
  const all = JSON.parse(localStorage.getItem(TOKENS) || "{}");
  all[code] = { token, at: new Date().toISOString() };
  localStorage.setItem(TOKENS, JSON.stringify(all));
}

export function tokens() {
  try { return JSON.parse(localStorage.getItem(TOKENS) || "{}"); } catch (e) { return {}; }
}

function blobOf(dataUrl) {
  const [head, body] = dataUrl.split(",");
  const bytes = atob(body);
  const arr = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
  return new Blob([arr], { type: head.slice(5).split(";")[0] });
}

// Send one report: {fields, photos: [{dataUrl, public}]}. Resolves to {ok, status, body}; a
// network failure rejects (the caller queues it).
export async function send(url, entry) {
  const form = new FormData();
  Object.entries(entry.fields).forEach(([k, v]) => form.append(k, v));
  (entry.photos || []).forEach((p, i) => {
    form.append("photos", blobOf(p.dataUrl), `anh-${i + 1}.jpg`);
    form.append("photo_public", p.public ? "1" : "0");
  });
  const response = await fetch(url, { method: "POST", body: form, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" });
  let body = {};
  try { body = await response.json(); } catch (e) { body = {}; }
  if (response.ok) remember(body.code, body.token);
  return { ok: response.ok, status: response.status, body };
}

// Send what is waiting. A refusal (4xx) is dropped with its reason shown; a network error keeps it.
export async function flush(onChange) {
  let items = queued();
  if (!items.length || !navigator.onLine) return;
  const left = [];
  const done = [];
  for (const item of items) {
    try {
      const r = await send(item.url, item);
      if (r.ok) done.push(r.body.code);
      else if (r.status >= 500) left.push(item);
      else done.push(`✗ ${r.body.error || r.status}`);
    } catch (e) {
      left.push(item);
    }
  }
  save(left);
  if (onChange) onChange(left.length, done);
}
