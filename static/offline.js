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
      ready.active.postMessage({ type: 'cache', urls: [page].concat(files) });
    } catch (error) {
      console.warn('svcdoctor: offline use is not available here', error);
    }
  });
})();
