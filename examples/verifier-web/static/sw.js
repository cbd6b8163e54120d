// Service worker of the verifier page: keeps the page, the engine and the
// lists so that the page works with no network once it has loaded. Every
// request goes to the network first (so a fresh trust list or status list
// wins whenever the server is reachable) and falls back to the last copy
// kept. A versioned engine (/verifier.wasm?v=<hash>) is taken from the copy
// first: its address changes when it does.
//
// Only exact, known addresses are kept, each under its own address: the
// page's files, the lists under /lists/ and the versioned engines. A
// navigation (the page opened at /, /S/ or any other path a link names)
// is kept as the page only when the server answered it with HTML, and
// offline every navigation gets that page: opening /app.css#IKD1:... can
// no longer put a style sheet in the page's place.
'use strict';
const CACHE = 'ikd-verifier-v2';
const PAGE = '/';
const SHELL = [PAGE, '/app.js', '/app.css', '/wasm_exec.js', '/lists/index.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

// kept reports whether url is one the worker keeps a copy of.
function kept(url) {
  const p = url.pathname;
  if (SHELL.includes(p) && url.search === '') return true;
  if (/^\/lists\/[A-Za-z0-9._-]+$/.test(p) && url.search === '') return true;
  return /^\/verifier(-lite)?\.wasm$/.test(p) && /^\?v=[0-9a-f]+$/.test(url.search);
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(navigate(req));
    return;
  }
  if (!kept(url)) return; // the browser's own handling, nothing kept
  const key = url.origin + url.pathname + url.search;
  event.respondWith(url.searchParams.has('v') ? cacheFirst(req, key) : networkFirst(req, key));
});

function isHTML(resp) {
  return (resp.headers.get('Content-Type') || '').toLowerCase().startsWith('text/html');
}

// navigate answers a navigation from the network, keeping the answer as
// the page only when it is HTML; with no network, it answers with the
// page kept.
async function navigate(req) {
  const cache = await caches.open(CACHE);
  try {
    const resp = await fetch(req);
    if (resp.ok && isHTML(resp) && resp.type === 'basic') await cache.put(PAGE, resp.clone());
    return resp;
  } catch (err) {
    const hit = await cache.match(PAGE);
    if (hit) return hit;
    throw err;
  }
}

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
