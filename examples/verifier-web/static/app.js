// The verifier page: loads the Go engine (verifier.wasm), hands it the
// trust list, root key and status lists, and shows verdicts for the share
// link the page was opened with, a pasted code, or the camera.
'use strict';

const CACHE = 'ikd-verifier-v2';
const SEEN = 'ikd-seen'; // localStorage: the replay keys of accepted codes
const $ = (id) => document.getElementById(id);
const t0 = performance.now();
const timing = {};
window.ikdTiming = timing; // read by the tests and docs/benchmarks.md
let listsDate = 0; // when the server sent the trust list (its Date header)
let listsLoaded = 0; // when the page last loaded lists into the engine (Date.now())
let info = null; // the engine's description of the lists it holds
let index = null; // lists/index.json
let countdown = 0;

// The link the page was opened with is read once and taken out of the
// address bar and the tab's history at once (history.replaceState), before
// anything else runs: the presentation then stays only where the link was
// sent (the chat), not in this browser's back/forward list, and a reload
// verifies nothing again.
let opened = takeFragment();

function takeFragment() {
  if (location.hash.length <= 1) return '';
  const link = location.href;
  history.replaceState(null, '', location.pathname + location.search);
  return link;
}

function status(id, en) {
  $('status-id').textContent = id;
  $('status-en').textContent = en;
}

// grab fetches url from the network, keeps a copy for offline use, and
// falls back to the kept copy when the network fails.
async function grab(url) {
  try {
    const resp = await fetch(url, { cache: 'no-cache' });
    if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status);
    if ('caches' in window) {
      const c = await caches.open(CACHE);
      await c.put(new URL(url, location.href).href, resp.clone());
    }
    return resp;
  } catch (err) {
    if ('caches' in window) {
      const hit = await caches.match(new URL(url, location.href).href);
      if (hit) return hit;
    }
    throw err;
  }
}

async function bytes(url) {
  const resp = await grab(url);
  return { data: new Uint8Array(await resp.arrayBuffer()), date: Date.parse(resp.headers.get('Date') || '') || 0 };
}

async function hasBarcodeDetector() {
  if (!('BarcodeDetector' in window)) return false;
  try {
    return (await BarcodeDetector.getSupportedFormats()).includes('qr_code');
  } catch (e) {
    return false;
  }
}

// loadLists downloads the trust list, the root key and the status lists
// (or takes the kept copies offline) and loads them into a new engine,
// which keeps the memory of accepted codes. It returns the engine's answer.
async function loadLists(seen) {
  const [trust, root, ...lists] = await Promise.all(
    [index.trust, index.root, ...index.status].map(bytes));
  const args = [trust.data, root.data, lists.map((l) => l.data), index.allow];
  if (seen) args.push(seen);
  const loaded = JSON.parse(ikd.load(...args));
  if (loaded.ok) {
    listsDate = trust.date;
    listsLoaded = Date.now();
    info = loaded.info;
    showLists();
    timing.refreshes = (timing.refreshes || 0) + 1;
  }
  return loaded;
}

// refresh loads the lists again when the page is online; a failure keeps
// the lists the engine holds (they still refuse by their own dates).
async function refresh() {
  if (navigator.onLine === false) return;
  try {
    await loadLists('');
  } catch (e) {
    // offline or the server is gone: keep what the engine holds
  }
}

async function start() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  }
  index = await (await grab('/lists/index.json')).json();
  const detector = await hasBarcodeDetector();
  const wasmURL = detector && index.wasmLite ? index.wasmLite : index.wasm;
  timing.engine = wasmURL.split('?')[0];
  const ready = new Promise((resolve) => { window.ikdReady = resolve; });
  const go = new Go();
  const resp = await grab(wasmURL);
  const { instance } = await WebAssembly.instantiateStreaming(resp, go.importObject);
  timing.compiled = performance.now() - t0;
  go.run(instance);
  await ready;
  timing.started = performance.now() - t0;

  let seen = '';
  try {
    seen = localStorage.getItem(SEEN) || '';
  } catch (e) {
    // no storage (a locked-down browser): the memory lasts one page load
  }
  const loaded = await loadLists(seen);
  if (!loaded.ok) {
    document.body.dataset.state = 'error';
    status('Daftar tepercaya tidak dapat dimuat: ' + loaded.error, 'The trusted lists could not be loaded: ' + loaded.error);
    return;
  }
  timing.ready = performance.now() - t0;
  $('origin').textContent = 'Pemeriksa di · Verifier at ' + location.origin;
  $('origin').dataset.origin = location.origin;
  $('root').textContent = 'Kunci akar · Root key (SHA-256): ' + info.root + ' · Daftar tepercaya no. · Trust list no. ' + info.sequence;
  $('root').dataset.root = info.root;
  setInterval(showLists, 30000);
  // An open page fetches the lists again every refresh seconds, so a
  // revocation reaches it without a reload; check() does it too before
  // verifying when the lists are older than that.
  const every = Math.max(1, index.refresh || 300) * 1000;
  setInterval(refresh, every);

  status('Siap. Pindai atau tempel kode.', 'Ready. Scan or paste a code.');
  $('check').disabled = false;
  $('scan').disabled = !(ikd.canScan || detector) || !navigator.mediaDevices;
  $('scan').addEventListener('click', () => camera(detector));
  $('paste').addEventListener('submit', (e) => {
    e.preventDefault();
    check($('text').value.trim());
  });
  document.body.dataset.state = 'ready';
  if (opened) check(opened);
  opened = '';
  // A link opened while the page is open changes only the fragment.
  window.addEventListener('hashchange', () => {
    const link = takeFragment();
    if (link) check(link);
  });
  keepOffline([index.trust, index.root, ...index.status, wasmURL, '/lists/index.json']);
}

// keepOffline waits for the service worker and makes sure everything the
// page used is kept, then says so.
async function keepOffline(urls) {
  if (!('serviceWorker' in navigator) || !('caches' in window)) return;
  try {
    await navigator.serviceWorker.ready;
    const c = await caches.open(CACHE);
    for (const u of urls) {
      const key = new URL(u, location.href).href;
      if (!(await c.match(key))) await c.add(key);
    }
    document.body.dataset.offline = 'ready';
    $('offline').textContent = 'Dapat dipakai tanpa jaringan · Works offline';
  } catch (e) {
    $('offline').textContent = '';
  }
}

function ago(ms) {
  const min = Math.max(0, Math.round(ms / 60000));
  if (min < 1) return ['baru saja', 'just now'];
  if (min < 120) return [min + ' menit lalu', min + ' min ago'];
  const h = Math.round(min / 60);
  if (h < 48) return [h + ' jam lalu', h + ' h ago'];
  const d = Math.round(h / 24);
  return [d + ' hari lalu', d + ' days ago'];
}

function showLists() {
  if (!listsDate || !info) return;
  const [id, en] = ago(Date.now() - listsDate);
  $('lists').textContent = 'Daftar penerbit dan status diunduh ' + id + ' · Issuer and status lists downloaded ' + en;
  $('lists').dataset.age = String(Date.now() - listsDate);
  const [sid, sen] = ago(Date.now() - info.statusSignedAt);
  const stale = Date.now() > info.statusFreshUntil;
  $('status-age').textContent = 'Daftar status ditandatangani ' + sid + ' · Status lists signed ' + sen +
    (stale ? ' · Melewati masa pembaruan: sambungkan ke internet dan muat ulang · Past its refresh time: go online and reload' : '');
  $('status-age').dataset.signedAt = String(info.statusSignedAt);
  $('status-age').dataset.stale = String(stale);
}

async function check(text) {
  if (!text) return;
  const every = Math.max(1, (index && index.refresh) || 300) * 1000;
  if (Date.now() - listsLoaded > every) await refresh();
  const s = performance.now();
  const v = JSON.parse(ikd.verify(text));
  timing.verify = performance.now() - s;
  if (v.accepted) {
    try {
      localStorage.setItem(SEEN, ikd.seen());
    } catch (e) {
      // no storage: refused again only while this page stays open
    }
  }
  v.linkHost = linkHost(text);
  show(v);
}

// linkHost returns the host a link names when it is not this page's: the
// verdict is this page's, made with this page's lists, whatever host the
// sender put in the link.
function linkHost(text) {
  const m = /^https?:\/\/([^/?#]*)/i.exec(text);
  if (!m || m[1].toLowerCase() === location.host.toLowerCase()) return '';
  return m[1];
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

function show(v) {
  const box = $('verdict');
  box.hidden = false;
  box.dataset.accepted = String(!!v.accepted);
  box.dataset.verified = String(!!v.accepted); // the engine's verdict, kept when the time runs out
  box.dataset.reason = v.reason ? v.reason.key : '';
  $('headline-id').textContent = v.accepted ? 'DITERIMA' : 'DITOLAK';
  $('headline-en').textContent = v.accepted ? 'ACCEPTED' : 'REFUSED';
  $('holder').textContent = v.holder || '';
  box.dataset.expired = 'false';
  $('linkhost').textContent = v.linkHost ? 'Tautan ini menyebut ' + v.linkHost + '; diperiksa di ' + location.origin +
    ' · This link names ' + v.linkHost + '; verified here at ' + location.origin : '';
  $('reason-id').textContent = v.reason ? v.reason.id : '';
  $('reason-en').textContent = v.reason ? v.reason.en : '';
  const dl = $('claims');
  clear(dl);
  for (const c of v.claims || []) {
    const dt = document.createElement('dt');
    dt.textContent = c.labelId;
    const dte = document.createElement('span');
    dte.className = 'en';
    dte.textContent = c.labelEn;
    dt.appendChild(dte);
    const dd = document.createElement('dd');
    dd.textContent = c.valueId;
    if (c.valueEn !== c.valueId) {
      const dde = document.createElement('span');
      dde.className = 'en';
      dde.textContent = c.valueEn;
      dd.appendChild(dde);
    }
    dd.dataset.claim = c.key;
    dl.append(dt, dd);
  }
  $('issuer').textContent = v.accepted ? 'Penerbit · Issuer: ' + v.issuer : '';
  const ul = $('warnings');
  clear(ul);
  for (const w of v.warnings || []) {
    const li = document.createElement('li');
    li.textContent = w.id + ' · ' + w.en;
    ul.appendChild(li);
  }
  clearInterval(countdown);
  $('timeleft').textContent = '';
  if (v.accepted && v.expires) {
    const tick = () => {
      const left = Math.floor((v.expires - Date.now()) / 1000);
      if (left <= 0) {
        // The share's time is over: the verdict is "expired" now, and
        // the shared data is no longer shown.
        clearInterval(countdown);
        box.dataset.accepted = 'false';
        box.dataset.expired = 'true';
        box.dataset.reason = 'presentation_expired';
        $('headline-id').textContent = 'KEDALUWARSA';
        $('headline-en').textContent = 'EXPIRED';
        $('reason-id').textContent = 'Kode kedaluwarsa. Minta kode baru.';
        $('reason-en').textContent = 'Code expired. Ask for a fresh code.';
        $('timeleft').textContent = 'Waktu habis: minta kode baru · Time is up: ask for a new code';
        box.dataset.done = String(Date.now());
        return;
      }
      const m = Math.floor(left / 60), s = String(left % 60).padStart(2, '0');
      $('timeleft').textContent = 'Sisa waktu ' + m + ':' + s + ' · Time left ' + m + ':' + s;
    };
    tick();
    countdown = setInterval(tick, 1000);
  }
  box.dataset.done = String(Date.now());
  box.scrollIntoView({ block: 'start' });
}

// camera reads frames from the back camera, at most ten a second, and
// verifies the first code it reads: with the browser's BarcodeDetector
// where it reads QR codes, otherwise with the Go decoder on gray pixels.
// A frame is read only when the previous one is done: frames are dropped,
// never queued.
async function camera(detector) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
  } catch (e) {
    status('Kamera tidak tersedia: ' + e.name, 'No camera: ' + e.name);
    return;
  }
  const video = $('video');
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  $('scan').disabled = true;
  status('Arahkan kamera ke kode.', 'Point the camera at the code.');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const bd = detector ? new BarcodeDetector({ formats: ['qr_code'] }) : null;
  const stop = () => {
    stream.getTracks().forEach((tr) => tr.stop());
    video.hidden = true;
    $('scan').disabled = false;
  };
  const frame = async () => {
    if (video.readyState < 2) return setTimeout(frame, 100);
    const scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    const w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
    canvas.width = w;
    canvas.height = h;
    ctx.drawImage(video, 0, 0, w, h);
    let text = '';
    if (bd) {
      const codes = await bd.detect(canvas).catch(() => []);
      if (codes.length) text = codes[0].rawValue;
    } else {
      const rgba = ctx.getImageData(0, 0, w, h).data;
      const gray = new Uint8Array(w * h);
      for (let i = 0, j = 0; j < gray.length; i += 4, j++) {
        gray[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8; // BT.601 luma
      }
      text = ikd.scan(gray, w, h);
    }
    timing.frames = (timing.frames || 0) + 1;
    if (text) {
      stop();
      check(text);
      return;
    }
    setTimeout(frame, 100);
  };
  frame();
}

start().catch((err) => {
  document.body.dataset.state = 'error';
  status('Pemeriksa tidak dapat dimuat: ' + err.message, 'The verifier could not be loaded: ' + err.message);
});
