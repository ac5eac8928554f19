// svcdoctor's service worker: keeps the app's own files so that the page
// works offline after the first visit. It only ever stores same-origin GET
// responses of the app itself; what the user pastes never goes through it.
const CACHE = 'svcdoctor-v1';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page sends the URLs it loaded before the worker took control.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'cache' && Array.isArray(event.data.urls)) {
    event.waitUntil(
      caches
        .open(CACHE)
        .then((cache) => cache.addAll(event.data.urls))
        .then(() => event.source && event.source.postMessage({ type: 'cached' })),
    );
  }
});

// Files whose names carry a hash of their content (Trunk's
// `svcdoctor-web-0123456789abcdef_bg.wasm`, `style-….css`) never change:
// they are served from the cache. Everything else (the page, boot.js, the
// Web Worker's files, collect.sh) keeps its name across releases, so it is
// fetched first and the cache is only the fallback when offline; otherwise
// a docs site that upgrades svcdoctor would serve the new page with the old
// worker for ever.
const HASHED = /-[0-9a-f]{16}(_bg\.wasm|\.js|\.css|\.svg)$/;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (HASHED.test(url.pathname)) {
        const hit = await cache.match(request);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      }
      try {
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      } catch {
        const hit = await cache.match(request, { ignoreSearch: true });
        if (hit) return hit;
        if (request.mode === 'navigate') return (await cache.match('./')) || Response.error();
        return Response.error();
      }
    })(),
  );
});
