// The field form's service worker: keeps the page, its script and its stylesheet so
// that the form opens with no network. Everything else (the places, the batches) goes
// to the network; the page keeps its own copies in IndexedDB.
"use strict";
const CACHE = "couloir-field-v1";
const SHELL = ["/field/", "/static/couloir-field.js", "/static/couloir.css", "/field/manifest.webmanifest"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()));
});

// The shell: from the network when it answers within three seconds (a new version, the
// chosen language), kept for next time; from the cache when it does not.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  const path = url.pathname === "/field" ? "/field/" : url.pathname;
  if (!SHELL.includes(path)) return;
  const cached = () => caches.match(path).then((response) => response || Response.error());
  const network = fetch(event.request).then((response) => {
    if (!response.ok) throw new Error(String(response.status));
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(path, copy));
    return response;
  });
  const slow = new Promise((resolve, reject) => setTimeout(() => reject(new Error("slow")), 3000));
  event.respondWith(Promise.race([network, slow]).catch(() => cached().then((response) =>
    response.type === "error" ? network : response)));
});
