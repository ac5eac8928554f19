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

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (request.mode === 'navigate') {
        // The page itself: fresh when online (new builds have new file names).
        try {
          const response = await fetch(request);
          if (response.ok) cache.put(request, response.clone());
          return response;
        } catch {
          return (await cache.match(request, { ignoreSearch: true })) || (await cache.match('./')) || Response.error();
        }
      }
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    })(),
  );
});
