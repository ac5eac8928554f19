// Browser timings for scripts/bench.sh (not a test): cold load to the first
// diagnosis on screen, the tutorial's diagnosis, a 10,000-Service dump, and
// the longest main-thread block while the page takes that dump.
import { readFile } from 'node:fs/promises';
import { serve, launch, openPage } from './harness.mjs';

const dumpPath = process.argv[2];
const server = await serve();
const browser = await launch();
const results = {};
try {
  // Cold load: a new context, nothing cached.
  const cold = await openPage(browser, server.url, { locale: 'en-US' });
  await cold.page.locator('#verdict[data-verdict="healthy"]').waitFor();
  results.cold_load_to_first_diagnosis_ms = await cold.page.evaluate(
    () => performance.getEntriesByName('svcdoctor-first-diagnosis')[0]?.startTime ?? NaN,
  );
  const tutorial = await readFile(new URL('../samples/tutorial.txt', import.meta.url), 'utf8');
  results.tutorial_diagnosis_ms = await cold.page.evaluate((text) => {
    const runs = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      window.wasmBindings.diagnose(text);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    return runs[10];
  }, tutorial);
  if (dumpPath) {
    const dump = await readFile(dumpPath, 'utf8');
    results.dump_bytes = dump.length;
    results.dump_diagnosis_ms = await cold.page.evaluate((text) => {
      const t = performance.now();
      window.wasmBindings.diagnose(text);
      return performance.now() - t;
    }, dump);
    // Paste it into the page and watch the main thread. The text is handed
    // to the page first, so that the driver's own transfer of 27 MB is not
    // counted as the page's block.
    await cold.page.evaluate((text) => {
      window.__dump = text;
    }, dump);
    await cold.page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    // Paste it as the browser would, through a paste event carrying the
    // clipboard's text (the page takes large pastes from the event itself).
    const t0 = Date.now();
    try {
      await cold.page.evaluate(() => {
        const text = window.__dump;
        const area = document.querySelector('#paste-input');
        area.focus();
        area.select();
        const data = new DataTransfer();
        data.setData('text/plain', text);
        area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        delete window.__dump;
      });
      await cold.page.waitForFunction(
        // Done when the report is the dump's: one iptables output, not busy.
        () => {
          const outputs = document.querySelectorAll('.output');
          return outputs.length === 1 && outputs[0].dataset.kind === 'iptables'
            && document.querySelector('section.result')?.getAttribute('aria-busy') === 'false';
        },
        null,
        { timeout: 300000, polling: 500 },
      );
      results.dump_paste_to_result_ms = Date.now() - t0;
      results.longest_main_thread_block_ms = await cold.page.evaluate(() => window.__longest);
    } catch (error) {
      results.dump_paste_error = String(error.message).split('\n')[0].slice(0, 200);
    }
  }
  await cold.context.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(results));
