// The release archive as the people who host it use it: unpacked into a
// sub-path of a docs site and served with its precompressed siblings, served
// by `python3 -m http.server` as HOSTING.md tells learners, and the zip
// holding the same files. scripts/package.sh (run by the test command
// before these tests) wrote the archives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serve, launch, openPage, root, dist } from './harness.mjs';
import { workspaceVersion } from '../scripts/package.mjs';

const version = workspaceVersion();
const base = `svcdoctor-web-${version}`;
const out = path.join(root, 'target', 'package');
const tarball = path.join(out, `${base}.tar.gz`);
const zipFile = path.join(out, `${base}.zip`);
const prefix = '/docs/tools/svcdoctor/';

let browser;
let work;
let site;

function files(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const p = path.join(rel, name);
    if (statSync(path.join(dir, p)).isDirectory()) out.push(...files(dir, p));
    else out.push(p);
  }
  return out;
}

before(async () => {
  assert.ok(existsSync(tarball), `${tarball} is missing: run scripts/package.sh`);
  work = mkdtempSync(path.join(tmpdir(), 'svcdoctor-package-'));
  site = path.join(work, 'site', ...prefix.split('/').filter(Boolean));
  execFileSync('mkdir', ['-p', site]);
  // As HOSTING.md says: into the sub-path, without the archive's folder.
  execFileSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', site]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the archive holds dist/, each file with .br and .gz siblings, and HOSTING.md', () => {
  const packed = files(site);
  const plain = packed.filter((f) => !f.endsWith('.br') && !f.endsWith('.gz') && f !== 'HOSTING.md');
  assert.deepEqual(plain, files(dist), 'the archive holds exactly the files of dist/');
  for (const f of plain) {
    const raw = readFileSync(path.join(site, f));
    assert.deepEqual(raw, readFileSync(path.join(dist, f)), `${f} differs from dist/`);
    assert.deepEqual(brotliDecompressSync(readFileSync(path.join(site, `${f}.br`))), raw, `${f}.br`);
    assert.deepEqual(gunzipSync(readFileSync(path.join(site, `${f}.gz`))), raw, `${f}.gz`);
  }
  assert.ok(plain.includes('index.html'));
  assert.ok(plain.some((f) => f.endsWith('_bg.wasm')));
});

test('HOSTING.md names this version, every kind of host, and the policy the page carries', () => {
  const hosting = readFileSync(path.join(site, 'HOSTING.md'), 'utf8');
  assert.match(hosting, new RegExp(`^# Hosting svcdoctor ${version.replaceAll('.', '\\.')}$`, 'm'));
  assert.ok(!hosting.includes('VERSION'), 'a VERSION placeholder was left in HOSTING.md');
  for (const word of ['nginx', 'Apache', 'S3', 'MkDocs', 'Docusaurus', 'Hugo', 'python3 -m http.server', 'application/wasm', 'brotli_static', 'gzip_static']) {
    assert.ok(hosting.includes(word), `HOSTING.md does not mention ${word}`);
  }
  // The header it tells hosts to send is the policy the page carries.
  const html = readFileSync(path.join(site, 'index.html'), 'utf8');
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  const header = hosting.match(/^\s*Content-Security-Policy: (.+)$/m)[1];
  assert.equal(header, meta);
  for (const line of hosting.split('\n').filter((l) => l.includes("default-src 'none'"))) {
    assert.ok(line.includes(meta), `a CSP in HOSTING.md differs from the page's:\n${line}`);
  }
});

test('unpacked under a sub-path and served precompressed, the page diagnoses its example', async () => {
  const server = await serve(site, prefix, { precompressed: true });
  try {
    const { page, context, errors } = await openPage(browser, server.url, { locale: 'en-US' });
    await page.locator('#verdict[data-verdict="healthy"]').waitFor();
    assert.equal(await page.locator('#root-cause').count(), 0);
    assert.equal(await page.locator('#version').innerText(), `v${version}`);
    const wasm = server.served.filter((s) => s.path.endsWith('_bg.wasm'));
    assert.ok(wasm.length > 0);
    assert.ok(wasm.every((s) => s.encoding === 'br' && s.type === 'application/wasm'), JSON.stringify(wasm));
    assert.ok(server.served.every((s) => s.path.startsWith(prefix)), JSON.stringify(server.served));
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
});

test('served by python3 -m http.server as HOSTING.md tells learners, the page works', async () => {
  const folder = path.join(work, 'offline');
  execFileSync('mkdir', ['-p', folder]);
  execFileSync('tar', ['-xzf', tarball, '-C', folder]);
  const python = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], {
    cwd: path.join(folder, base),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const port = await new Promise((resolve, reject) => {
      let text = '';
      python.stdout.on('data', (chunk) => {
        text += chunk;
        const m = text.match(/port (\d+)/);
        if (m) resolve(Number(m[1]));
      });
      python.on('exit', (code) => reject(new Error(`python3 -m http.server exited with ${code}: ${text}`)));
    });
    const { page, context, errors } = await openPage(browser, `http://127.0.0.1:${port}/`, { locale: 'en-US' });
    await page.locator('#verdict[data-verdict="healthy"]').waitFor();
    assert.equal(await page.locator('#version').innerText(), `v${version}`);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    python.kill();
  }
});

test('the zip holds the same files as the tarball, and unzip accepts it', () => {
  assert.ok(existsSync(zipFile), `${zipFile} is missing`);
  execFileSync('unzip', ['-tq', zipFile]);
  const fromZip = path.join(work, 'zip');
  execFileSync('unzip', ['-q', zipFile, '-d', fromZip]);
  const fromTar = path.join(work, 'tar');
  execFileSync('mkdir', ['-p', fromTar]);
  execFileSync('tar', ['-xzf', tarball, '-C', fromTar]);
  const zipped = files(fromZip);
  assert.deepEqual(zipped, files(fromTar));
  assert.ok(zipped.every((f) => f.startsWith(`${base}${path.sep}`)), 'one top folder');
  for (const f of zipped) {
    assert.deepEqual(readFileSync(path.join(fromZip, f)), readFileSync(path.join(fromTar, f)), f);
  }
  const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
  assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${base}\\.tar\\.gz$`, 'm'));
  assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${base}\\.zip$`, 'm'));
  execFileSync('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: out });
});

test('the page and svcdoctor --version show the same version', async () => {
  const cli = execFileSync(path.join(root, 'target', 'debug', 'svcdoctor'), ['--version'], { encoding: 'utf8' });
  assert.equal(cli.trim(), `svcdoctor ${version}`);
  const server = await serve();
  try {
    const { page, context } = await openPage(browser, server.url);
    assert.equal(await page.locator('#version').innerText(), `v${version}`);
    await context.close();
  } finally {
    await server.close();
  }
});
