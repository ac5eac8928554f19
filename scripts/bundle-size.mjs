// Prints the brotli size of the built app in dist/ and fails when the page's
// own wasm + JS exceed the budget. Sizes are deterministic for one lockfile
// and one checkout path (panic locations carry the path: a clone in another
// directory differs by a few hundred bytes), so this is a check, not a
// benchmark.
//
//   node scripts/bundle-size.mjs [DIST] [BUDGET_KB]
//
// The budget covers what every visit downloads before the first diagnosis:
// the app's wasm and its wasm-bindgen JS. The Web Worker (worker*.js,
// worker_bg.wasm) is started only when needed (large pastes, practice
// cases, line explanations, exports and masking; the service worker fetches
// it after load for offline use) and is reported on its own line. Sizes use brotli quality 11, as static hosts precompress.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
// The page keeps the whole engine (a diagnosis on first load is the
// product), so the budget is a ratchet: today's size plus about 1 KB for the
// checkout and cargo paths that panic locations carry. It moves down when
// the page shrinks; a feature that needs more raises it by what it needs
// and says why (docs/performance.md lists each raise).
const budgetKb = Number(process.argv[3] ?? process.env.SVCDOCTOR_BUNDLE_BUDGET_KB ?? 419.4);
const targetKb = 250;

function brotli(path) {
  const raw = readFileSync(path);
  const compressed = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  return { raw: raw.length, br: compressed.length };
}

let files;
try {
  files = readdirSync(dist).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
} catch (err) {
  console.error(`bundle-size: cannot read ${dist}/ (${err.code}); run trunk build --release first`);
  process.exit(2);
}
const isWorker = (f) => f.startsWith('worker');
const isStatic = (f) => f === 'sw.js' || f === 'offline.js';
const app = files.filter((f) => !isWorker(f) && !isStatic(f));
if (!app.some((f) => f.endsWith('.wasm'))) {
  console.error(`bundle-size: no app .wasm in ${dist}/; run trunk build --release first`);
  process.exit(2);
}

const kb = (n) => (n / 1024).toFixed(1);
function group(name, list) {
  let raw = 0;
  let br = 0;
  for (const f of list.sort()) {
    const s = brotli(join(dist, f));
    raw += s.raw;
    br += s.br;
    console.log(`  ${f.padEnd(44)} ${kb(s.raw).padStart(8)} KB raw ${kb(s.br).padStart(7)} KB brotli`);
  }
  console.log(`  ${name.padEnd(44)} ${kb(raw).padStart(8)} KB raw ${kb(br).padStart(7)} KB brotli`);
  return br;
}

console.log('bundle size (brotli quality 11):');
const appBr = group('= page wasm + JS', app);
const worker = files.filter(isWorker);
if (worker.length) group('= Web Worker (started when needed)', worker);
const other = files.filter(isStatic);
if (other.length) group('= service worker and offline scripts', other);

const appKb = appBr / 1024;
console.log(`page wasm + JS: ${kb(appBr)} KB brotli; budget ${budgetKb} KB; goal ${targetKb} KB`);
if (appKb > budgetKb) {
  console.error(`bundle-size: page wasm + JS is ${kb(appBr)} KB brotli, over the ${budgetKb} KB budget`);
  process.exit(1);
}
