// Registers the service worker (relative URL: the page may live under any
// sub-path) and hands it the files this visit loaded, so that the next visit
// works offline. Sets document.documentElement.dataset.offline = "ready".
(function () {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', async function () {
    try {
      await navigator.serviceWorker.register('./sw.js');
      const ready = await navigator.serviceWorker.ready;
      const page = location.href.split('#')[0];
      const files = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => new URL(url).origin === location.origin);
      navigator.serviceWorker.addEventListener('message', function (event) {
        if (event.data && event.data.type === 'cached') document.documentElement.dataset.offline = 'ready';
      });
      // The Web Worker's files are fetched only for big pastes, the Chinese
      // texts only when the page speaks Chinese: keep them too.
      const worker = ['worker_loader.js', 'worker.js', 'worker_bg.wasm', 'zh.json'].map((f) => new URL(f, page).href);
      // The icon is fetched by the browser, outside the resource timings.
      const links = Array.from(document.querySelectorAll('link[rel~="icon"], link[rel="stylesheet"]')).map((l) => l.href);
      const urls = Array.from(new Set([page].concat(files, worker, links)));
      ready.active.postMessage({ type: 'cache', urls: urls });
    } catch (error) {
      console.warn('svcdoctor: offline use is not available here', error);
    }
  });
})();
