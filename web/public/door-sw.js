// @ts-check
/// <reference lib="webworker" />
/**
 * The door's service worker (web/public, so it keeps the fixed URL /door-sw.js; scope /door): once the door has been opened,
 * it opens without a network. Pages are network-first (a new release shows when online) with the
 * cached shell as fallback; hashed assets (JavaScript, CSS, the QR worker and its .wasm) are
 * cache-first, since their names change with their content. The API is never cached: the door's
 * data lives in IndexedDB, and its scans must reach the server or the queue.
 */
/** @type {ServiceWorkerGlobalScope} */ // @ts-ignore: a service worker's global
const sw = self;

const CACHE = 'guichet-door-v1';
const SHELL = '/door';

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(SHELL)).then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('guichet-door-') && k !== CACHE).map((k) => caches.delete(k)))).then(() => sw.clients.claim()),
  );
});

// The page lists what it loaded before this worker controlled it; old hashed assets are dropped.
sw.addEventListener('message', (event) => {
  /** @type {{ type?: string; urls?: string[] } | null} */
  const data = event.data;
  if (data?.type !== 'cache' || !Array.isArray(data.urls)) return;
  const wanted = new Set(data.urls.map((/** @type {string} */ u) => new URL(u, sw.location.origin).href));
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await Promise.all([...wanted].map(async (url) => ((await cache.match(url)) ? undefined : cache.add(url).catch(() => undefined))));
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (url.pathname.startsWith('/assets/') && !wanted.has(url.href) && !url.pathname.endsWith('.wasm') && !url.pathname.includes('qr-worker')) await cache.delete(request);
      }
      // Tell the page its files are kept (it then knows the door opens offline).
      event.ports[0]?.postMessage('cached');
    }),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) void caches.open(CACHE).then((cache) => cache.put(SHELL, response.clone()));
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then((response) => {
            if (response.ok) void caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
            return response;
          }),
      ),
    );
    return;
  }
  // Anything else of the door (manifest, icon): network, then cache.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) void caches.open(CACHE).then((cache) => cache.put(request, response.clone()));
        return response;
      })
      .catch(async () => (await caches.match(request)) ?? Response.error()),
  );
});
