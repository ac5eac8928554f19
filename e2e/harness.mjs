// Shared pieces of the end-to-end tests: a static file server for dist/ on
// 127.0.0.1 and Debian's Chromium driven by playwright-core.
import http from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import { execFileSync } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');
export const dist = path.join(root, 'dist');
export const shots = path.join(root, 'target', 'e2e');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.sh': 'text/x-shellscript; charset=utf-8',
};

/**
 * Serves `dir` under `prefix` (for example "/docs/tools/svcdoctor/") on a free
 * port. With `precompressed`, a request that accepts brotli or gzip gets the
 * file's `.br` or `.gz` sibling with Content-Encoding, as nginx's
 * brotli_static and gzip_static do; `served` records what was sent.
 */
export async function serve(dir = dist, prefix = '/', { precompressed = false } = {}) {
  const served = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end('not under ' + prefix);
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    try {
      const info = await stat(file);
      const target = info.isDirectory() ? path.join(file, 'index.html') : file;
      const headers = { 'content-type': types[path.extname(target)] ?? 'application/octet-stream' };
      let body;
      const accepts = String(req.headers['accept-encoding'] ?? '');
      for (const [encoding, ext] of precompressed ? [['br', '.br'], ['gzip', '.gz']] : []) {
        if (!body && new RegExp(`\\b${encoding}\\b`).test(accepts)) {
          body = await readFile(target + ext).catch(() => undefined);
          if (body) {
            headers['content-encoding'] = encoding;
            headers.vary = 'Accept-Encoding';
          }
        }
      }
      body ??= await readFile(target);
      served.push({ path: url.pathname, encoding: headers['content-encoding'] ?? null, type: headers['content-type'] });
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    served,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Launches headless Chromium from Debian's package, never a downloaded one. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A page whose console errors and page errors fail the test at the end. */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, context, errors };
}

export async function screenshot(page, name, fullPage = false) {
  await mkdir(shots, { recursive: true });
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * dist/ served and Chromium launched for the tests of one file (both closed
 * after them): `shared.server.url`, `shared.browser`.
 */
export function servedApp() {
  const shared = {};
  before(async () => {
    shared.server = await serve();
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

/** The output of the project's generator (`svcdoctor-gen ARGS...`, built
 * by the test command's cargo steps), e.g. an iptables-save of N Services. */
export function generated(...args) {
  return execFileSync(path.join(root, 'target/debug/svcdoctor-gen'), args, { maxBuffer: 64 << 20 }).toString();
}

/** A Service whose selector (app=web) matches no pod of its Deployment
 * (labelled app=Web): EP301, with the prompts of the tutorial. */
export const BROKEN = `[root@k8s-master ~]# kubectl get svc web -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  clusterIP: 10.104.0.64
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  type: ClusterIP
[root@k8s-master ~]# kubectl get deployment web -o yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels:
      app: Web
  template:
    metadata:
      labels:
        app: Web
    spec:
      containers:
      - image: nginx
        name: nginx
`;
