// The app's service worker: the pages and their files are kept so the form opens without a
// connection (the offline queue then keeps what is sent). Pages: network first; files: cache first.
const CACHE = "tc-feedback-v1";
const STATIC = "__STATIC__";
const SHELL = ["/phan-anh/", `${STATIC}citizen.css`, `${STATIC}report.js`, `${STATIC}queue.js`, `${STATIC}offline.js`, `${STATIC}icon.svg`];

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (ev) => {
  const req = ev.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    ev.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
      return res;
    })));
    return;
  }
  if (req.mode === "navigate" && url.pathname.startsWith("/phan-anh/")) {
    ev.respondWith(fetch(req).then((res) => {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
      return res;
    }).catch(() => caches.match(req).then((hit) => hit || caches.match("/phan-anh/"))));
  }
});
