// Service worker of the verifier page: keeps the page, the engine and the
// lists so that the page works with no network once it has loaded. Every
// request goes to the network first (so a fresh trust list or status list
// wins whenever the server is reachable) and falls back to the last copy
// kept. A versioned engine (verifier.wasm?v=<hash>) is taken from the copy
// first: its address changes when it does.
'use strict';
const CACHE = 'ikd-verifier-v1';
const SHELL = ['./', 'app.js', 'app.css', 'wasm_exec.js', 'lists/index.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  // The page itself, at whatever path a link names, is one entry.
  const key = req.mode === 'navigate' ? new URL('./', self.location).href : url.href;
  event.respondWith(url.searchParams.has('v') ? cacheFirst(req, key) : networkFirst(req, key));
});

async function networkFirst(req, key) {
  const cache = await caches.open(CACHE);
  try {
    const resp = await fetch(req);
    if (resp.ok) await cache.put(key, resp.clone());
    return resp;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(req, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const resp = await fetch(req);
  if (resp.ok) await cache.put(key, resp.clone());
  return resp;
}
