// End-to-end security checks: nothing pasted leaves the page, the
// Content-Security-Policy holds, and pasted markup stays text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { servedApp, openPage, dist } from './harness.mjs';

const app = servedApp();

const HOSTILE = `$ kubectl get svc '<img src=x onerror="window.__xss=1">' -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations:
    note: "<script>window.__xss=2</script>"
spec:
  selector:
    app: "<img src=y onerror=window.__xss=3>"
  ports:
  - port: 80
$ kubectl get pods --show-labels
NAME READY STATUS RESTARTS AGE LABELS
web-1 1/1 Running 0 1m app=<b>web</b>
`;

test('the page requests only its own files, and nothing after it has loaded', async () => {
  const files = new Set(await readdir(dist));
  const { page, context, errors } = await openPage(app.browser, 'about:blank', { locale: 'en-US', acceptDownloads: true });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto(app.server.url);
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready');
  const atLoad = requests.length;
  // Everything a user does with a paste.
  await page.locator('#paste-input').fill(HOSTILE);
  await page.locator('#verdict:not([data-verdict="healthy"])').waitFor();
  await page.locator('#flowchart [data-step="B3"]').click();
  await page.locator('#share').click();
  await page.locator('#share-link').waitFor();
  await Promise.all([page.waitForEvent('download'), page.locator('#export-md').click()]);
  await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#result-title', { hasText: '诊断' }).waitFor();
  await page.waitForTimeout(300);
  const after = requests.slice(atLoad);
  // Downloads are built in the page as blob: URLs, never fetched from a
  // server. The requests after load are the app's own files: the Chinese
  // texts (zh.json), fetched the first time the page speaks Chinese, and
  // the Web Worker, started when the page first exports or masks (the
  // worker makes the exports).
  const later = ['zh.json', 'worker_loader.js', 'worker.js', 'worker_bg.wasm'].map((f) => new URL(f, app.server.url).href);
  assert.deepEqual(
    after.filter((u) => !u.startsWith('blob:') && !later.includes(u)),
    [],
    'no request after load but the Chinese texts and the Web Worker',
  );
  for (const url of requests) {
    if (url.startsWith('blob:')) continue;
    const u = new URL(url);
    assert.equal(u.origin, new URL(app.server.url).origin, url);
    assert.equal(u.search, '', url);
    const name = u.pathname.slice(1) || 'index.html';
    assert.ok(files.has(name), `${url} is not one of the app's files`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Content-Security-Policy forbids inline and foreign scripts, and the app runs under it', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US' });
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.match(csp, /default-src 'none'/);
  const blocked = await page.evaluate(async () => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.__inline = 1';
    document.head.append(inline);
    // A string timer is compiled from text when it fires: refused without
    // 'unsafe-eval'. (The driver's own evaluate bypasses the policy.)
    setTimeout('window.__evaluated = 1', 0);
    const img = new Image();
    img.src = 'https://example.com/pixel.png';
    await new Promise((r) => setTimeout(r, 200));
    return { inline: window.__inline ?? null, evaluated: window.__evaluated ?? null, seen };
  });
  assert.equal(blocked.inline, null);
  assert.equal(blocked.evaluated, null);
  assert.ok(blocked.seen.includes('script-src'), JSON.stringify(blocked.seen));
  assert.ok(blocked.seen.includes('script-src-elem'), JSON.stringify(blocked.seen));
  assert.ok(blocked.seen.includes('img-src'), JSON.stringify(blocked.seen));
  // The violations above are the page refusing them (console errors by design).
  assert.ok(errors.every((e) => /Content Security Policy/.test(e)), errors.join('\n'));
  await context.close();
});

test('pasted HTML and JavaScript are shown as text, never run', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US' });
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    d.dismiss();
  });
  await page.locator('#verdict').waitFor();
  await page.locator('#paste-input').fill(HOSTILE);
  await page.locator('.outputs .output').first().waitFor();
  await page.locator('#root-cause, #verdict[data-verdict="need-evidence"]').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('main script, main b').count(), 0);
  // The markup is on the page as text: in the outputs list and the report.
  const outputs = await page.locator('.outputs').innerText();
  assert.ok(outputs.includes(`kubectl get svc '<img src=x onerror="window.__xss=1">' -o yaml`), outputs);
  const report = await page.locator('section.result').innerText();
  assert.ok(report.includes('<img src=y onerror=window.__xss=3>'), report);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('with masking on, share links and exports hide IPs and names and keep the diagnosis', async () => {
  const BROKEN = `[root@k8s-master ~]# kubectl get svc shop-web -n payments -o yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  namespace: payments
spec:
  clusterIP: 10.104.0.64
  ports:
  - port: 80
    targetPort: 80
  selector:
    app: shop-web
[root@k8s-master ~]# kubectl get deployment shop-web -n payments -o yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  namespace: payments
spec:
  selector:
    matchLabels:
      app: Shop-web
  template:
    metadata:
      labels:
        app: Shop-web
`;
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US', acceptDownloads: true });
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  await page.locator('#redact').check();
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  assert.match(await page.locator('#redacted-note').innerText(), /Masked: 1 addresses and 3 names/);
  // The masked text is shown before anything is copied: the link is copied
  // only by its own button.
  const preview = await page.locator('#masked-preview pre').innerText();
  assert.equal(preview.trimEnd().split('\n').length, BROKEN.trimEnd().split('\n').length);
  assert.ok(!preview.includes('10.104.0.64') && !preview.includes('shop-web'), preview);
  assert.equal(await page.locator('.toast').count(), 0, 'nothing copied yet');
  await page.locator('#share-copy').click();
  await page.locator('.toast').waitFor();
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  const { readFile } = await import('node:fs/promises');
  const exported = await readFile(await json.path(), 'utf8');
  assert.equal(JSON.parse(exported).root_cause.code, 'EP301');
  for (const secret of ['shop-web', 'Shop-web', 'payments', '10.104.0.64']) {
    assert.ok(!exported.includes(secret), `${secret} in the export`);
  }
  // What the page shows itself is not masked.
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  await context.close();
  const other = await openPage(app.browser, link, { locale: 'en-US' });
  await other.page.locator('#root-cause[data-code="EP301"]').waitFor();
  const shared = await other.page.locator('#paste-input').inputValue();
  // The prompt's host name is masked too.
  for (const secret of ['shop-web', 'Shop-web', 'payments', '10.104.0.64', 'k8s-master']) {
    assert.ok(!shared.includes(secret), `${secret} in the shared paste:\n${shared}`);
  }
  assert.equal(shared.split('\n').length, BROKEN.split('\n').length);
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
});

test('hostile YAML ends in a message on its line, and the page stays usable', async () => {
  const bomb = ['$ kubectl get cm bomb -o yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bomb', 'data:',
    '  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
    bomb.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  // 100,000 levels of [ ]: 200 KB, so diagnosed in the Web Worker.
  const deep = `$ kubectl get svc deep -o yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: deep\nspec:\n  x: ${'['.repeat(100000)}${']'.repeat(100000)}\n`;
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US' });
  await page.locator('#verdict').waitFor();
  await page.evaluate((text) => {
    const area = document.querySelector('#paste-input');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, `${bomb.join('\n')}\n${deep}`);
  await page.locator('.outputs .diag', { hasText: 'repetition limit exceeded' }).waitFor({ timeout: 30000 });
  await page.locator('.outputs .diag', { hasText: 'line 22: YAML nested more than 128 levels deep here: not read' }).waitFor({ timeout: 30000 });
  // Still answering.
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#result-title', { hasText: '诊断' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
