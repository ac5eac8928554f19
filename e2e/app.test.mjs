// End-to-end: the release build in dist/, served from 127.0.0.1, in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { servedApp, serve, openPage, screenshot, dist, generated, BROKEN } from './harness.mjs';


const app = servedApp();

async function fresh(options = {}) {
  return openPage(app.browser, app.server.url, { locale: 'en-US', ...options });
}

test('the preloaded tutorial example shows no root cause', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  assert.equal(await page.locator('#root-cause').count(), 0);
  assert.match(await page.locator('#paste-input').inputValue(), /kubectl get pods,svc/);
  assert.equal(await page.locator('#flowchart [data-step="B8"]').getAttribute('data-status'), 'pass');
  // The learner's curl to the cluster IP, said in words.
  assert.match(await page.locator('#case .reached.pass').innerText(), /^Your Service answers on its cluster IP \(10\.104\.0\.64:80\)/);
  await screenshot(page, 'tutorial-healthy-en.png', true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pasting a broken Service and Deployment shows the EP301 card', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  await page.locator('#paste-input').fill(BROKEN);
  const card = page.locator('#root-cause[data-code="EP301"]');
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /selector app=web matches no pod; pods of deployment web are labelled app=Web/);
  assert.match(text, /lines 13–14/);
  assert.match(text, /kubectl patch service web -n default/);
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'root-cause');
  assert.equal(await page.locator('#flowchart [data-step="B3"]').getAttribute('data-status'), 'fail');
  await screenshot(page, 'ep301.png');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every evidence range of a finding is marked in the paste, and a key pressed after the click cannot delete it', async () => {
  const { page, context, errors } = await fresh();
  // Lines before the evidence, so that showing it needs scrolling.
  const filler = Array.from({ length: 120 }, (_, i) => `# note ${i + 1}`).join('\n');
  const text = `${filler}\n${BROKEN}`;
  await page.locator('#paste-input').fill(text);
  const buttons = page.locator('#root-cause button.evidence');
  await buttons.first().waitFor();
  const count = await buttons.count();
  assert.ok(count >= 2, 'EP301 cites the Service and the Deployment');
  // The root cause's evidence is marked before any click.
  assert.equal(await page.locator('.marks .mark').count(), count);
  const last = buttons.nth(count - 1);
  await last.click();
  const want = await last.getAttribute('data-lines');
  assert.equal(await page.locator('.marks .mark.focus').getAttribute('data-lines'), want);
  // Focus stays on the button: typing replaces nothing.
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('evidence')), true);
  await page.keyboard.press('x');
  assert.equal(await page.locator('#paste-input').inputValue(), text);
  // The focused mark is drawn over its line, inside the visible box.
  const [first] = want.split('-').map(Number);
  const geometry = await page.evaluate((first) => {
    const area = document.querySelector('#paste-input');
    const mark = document.querySelector('.marks .mark.focus').getBoundingClientRect();
    const box = area.getBoundingClientRect();
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight);
    const expected = box.top + 11 + (first - 1) * lineHeight - area.scrollTop;
    return { top: mark.top, expected, inside: mark.top >= box.top && mark.bottom <= box.bottom };
  }, first);
  assert.ok(Math.abs(geometry.top - geometry.expected) < 2, JSON.stringify(geometry));
  assert.ok(geometry.inside, JSON.stringify(geometry));
  // The marked lines are the cited ones.
  const lines = text.split('\n');
  assert.match(lines[first - 1], /selector|matchLabels|labels|app:/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('read problems are counted in the diagnosis and marked on their lines, in both languages', async () => {
  const { page, context, errors } = await fresh();
  const bad = ['$ kubectl get svc web -o yaml', 'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:',
    '  selector:', '    app: web', '  ports:', '  - port: 80', '   targetPort: 8080'].join('\n');
  await page.locator('#paste-input').fill(`${bad}\n`);
  const panel = page.locator('#read-problems');
  await panel.waitFor();
  assert.match(await panel.innerText(), /1 output could not be read in full/);
  assert.match(await panel.innerText(), /line 11 \(kubectl get svc web -o yaml\): YAML not understood here/);
  assert.equal(await page.locator('.marks .mark.problem').getAttribute('data-lines'), '11-11');
  await panel.locator('button').first().click();
  assert.equal(await page.locator('.marks .mark.focus').getAttribute('data-lines'), '11-11');
  // Everything speaks the page's language: the count, the remark, the tab.
  assert.match(await page.title(), /why does my Service not answer/);
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#read-problems', { hasText: '有 1 段输出未能完整读取' }).waitFor();
  assert.match(await page.locator('#read-problems').innerText(), /第 11 行/);
  assert.match(await page.title(), /为什么我的 Service 无法访问/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('copy buttons copy one runnable command each, and a step without evidence says how to check it', async () => {
  const { page, context, errors } = await fresh();
  await page.addInitScript(() => {
    window.copied = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text) => { window.copied.push(text); } } });
  });
  await page.reload();
  await page.locator('#paste-input').fill(BROKEN);
  const card = page.locator('#root-cause[data-code="EP301"]');
  await card.waitFor();
  // The fix's prose is text; its commands are boxes of their own.
  const commands = card.locator('.command code');
  assert.ok((await commands.count()) >= 1);
  await card.locator('.command button.copy').first().click();
  const copied = await page.evaluate(() => window.copied.at(-1));
  assert.equal(copied, await commands.first().innerText());
  assert.match(copied, /^kubectl patch service web -n default -p '\{"spec":\{"selector":\{"app":"Web"\}\}\}'$/);
  // A1 has no evidence in this paste: its details give the command to run.
  await page.locator('#flowchart [data-step="A1"]').click();
  const details = page.locator('#step-details[data-step="A1"]');
  await details.waitFor();
  assert.equal(await details.locator('.command code').innerText(), 'kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide');
  await details.locator('.command button.copy').click();
  assert.equal(await page.evaluate(() => window.copied.at(-1)), 'kubectl get pods -n kube-system -l k8s-app=kube-dns -o wide');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the example is labelled, can be swapped for one\'s own output, is noticed when mixed in, and every replacement undoes with Ctrl+Z', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  const tutorial = await page.locator('#paste-input').inputValue();
  assert.match(await page.locator('#practice').innerText(), /An example: the tutorial's healthy cluster/);
  // One click empties the box; Ctrl+Z brings the example back.
  await page.locator('#start-own').click();
  assert.equal(await page.locator('#paste-input').inputValue(), '');
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('#paste-input').inputValue(), tutorial);
  // A paste that lands inside the example: the page says so, and one click
  // takes the example out.
  const mixed = `${tutorial}\n${BROKEN}`;
  await page.locator('#paste-input').fill(mixed);
  await page.locator('#example-mixed').waitFor();
  await page.locator('#remove-example').click();
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  assert.equal(await page.locator('#example-mixed').count(), 0);
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('#paste-input').inputValue(), mixed);
  await page.locator('#remove-example').click();
  // Ctrl+Z in another text field is that field's own.
  await page.locator('.add-output summary').click();
  await page.locator('#add-input').type('abc');
  await page.locator('#add-input').press('Control+z');
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  await page.locator('.add-output summary').click();
  // Removing an output, then Ctrl+Z in the text box itself.
  await page.locator('.output button.remove').first().click();
  assert.notEqual(await page.locator('#paste-input').inputValue(), BROKEN);
  await page.locator('#paste-input').focus();
  await page.keyboard.press('Control+z');
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  // A practice case, then the Undo button.
  page.once('dialog', (d) => d.accept());
  await page.locator('#example-select').selectOption('b5-cross-node-traffic-lost');
  await page.locator('#root-cause[data-code="NET501"]').waitFor();
  await page.locator('#undo').click();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  // Once the user types, Ctrl+Z is the text box's own again.
  await page.locator('#paste-input').press('End');
  await page.locator('#paste-input').type('x');
  assert.equal(await page.locator('#undo').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the print view shows the walk: flowchart, verdict, root cause with its evidence and fix, without the tools', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.toolbar', '#paste-input', '#outputs-title']) {
    assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not printed`);
  }
  for (const shown of ['#verdict', '#root-cause', '#root-cause button.evidence', '#flowchart [data-step="B3"]']) {
    assert.equal(await page.locator(shown).first().isVisible(), true, `${shown} is printed`);
  }
  assert.equal(await page.locator('#flowchart [data-step="B3"]').getAttribute('data-status'), 'fail');
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10_000, `a ${pdf.length}-byte PDF`);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('#print').isVisible(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the line under the caret is named: its output, and the findings that cite it', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  const area = page.locator('#paste-input');
  await area.focus();
  // The caret at the start of line 13 ("  selector:"), then one step right.
  await area.evaluate((el) => {
    const at = el.value.split('\n').slice(0, 12).join('\n').length + 1;
    el.setSelectionRange(at, at);
  });
  await page.keyboard.press('ArrowRight');
  const info = page.locator('#line-info .hint');
  assert.equal(await info.innerText(), 'line 13: kubectl get svc web -o yaml — Kubernetes objects (YAML, JSON) · cited by EP301');
  // A line no finding cites names only its output.
  await area.evaluate((el) => el.setSelectionRange(3, 3));
  await page.keyboard.press('ArrowRight');
  assert.equal(await info.innerText(), 'line 1: kubectl get svc web -o yaml — Kubernetes objects (YAML, JSON)');
  assert.equal(await area.inputValue(), BROKEN, 'nothing typed');
  // An iptables rule, a resolv.conf option: said in plain words.
  await area.fill('[root@k8s-node1 ~]# iptables-save -t nat | grep web\n-A KUBE-SERVICES -d 10.104.0.64/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G\n/ # cat /etc/resolv.conf\nnameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');
  await page.locator('#verdict:not([aria-busy="true"])').first().waitFor();
  await page.waitForTimeout(300);
  await area.evaluate((el) => { const at = el.value.indexOf('-A KUBE'); el.setSelectionRange(at, at); });
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#line-explained').innerText(), 'Connections to 10.104.0.64 port 80/tcp (a Service\'s cluster IP) jump to KUBE-SVC-LOLE4ISW44XBNF3G, which picks an endpoint.');
  await area.evaluate((el) => { const at = el.value.indexOf('options'); el.setSelectionRange(at, at); });
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('#line-explained').innerText(), /^ndots:5: a name with fewer than 5 dots/);
  // The kind menus speak the page's language too.
  await page.locator('#lang-select').selectOption('zh');
  await page.waitForFunction(() => {
    const menu = document.querySelector('.outputs .output select');
    return menu && menu.selectedOptions[0].textContent.startsWith('iptables 规则');
  });
  // The line under the caret is said again, in Chinese (the Web Worker
  // gets the Chinese texts with its first request in Chinese).
  await area.focus();
  await area.evaluate((el) => { const at = el.value.indexOf('options'); el.setSelectionRange(at, at); });
  await page.keyboard.press('ArrowRight');
  await page.locator('#line-explained', { hasText: 'ndots:5：点少于 5 个的名称' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('guess first: a practice case hides its answer until the learner guesses the step', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  await page.locator('#example-select').selectOption('b3-selector-typo');
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  await page.locator('#guess-first').check();
  // The answer is gone: no root cause, no statuses, no marks.
  await page.locator('#guess').waitFor();
  assert.equal(await page.locator('#root-cause').count(), 0);
  assert.equal(await page.locator('#flowchart [data-step="B3"]').getAttribute('data-status'), 'no evidence');
  assert.equal(await page.locator('.marks .mark').count(), 0);
  // A wrong guess is told the right step, and the answer shows.
  await page.locator('#guess-step').selectOption('A3');
  await page.locator('#guess-check').click();
  assert.match(await page.locator('#guess-result').innerText(), /Your guess was A3; the failing step is B3/);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('#flowchart [data-step="B3"]').getAttribute('data-status'), 'fail');
  // The next case asks again; a right guess is said so.
  page.once('dialog', (d) => d.accept());
  await page.locator('#example-select').selectOption('b3-selector-typo');
  await page.locator('#guess').waitFor();
  await page.locator('#guess-step').selectOption('B3');
  await page.locator('#guess-check').click();
  assert.match(await page.locator('#guess-result').innerText(), /Your guess, B3, is right/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a dump pasted alone says what was read from it, and each output counts its facts', async () => {
  const dump = generated('iptables', '40');
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(dump);
  const summary = page.locator('#read-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /^Read from the paste: 40 Services in proxy rules, \d+ endpoints\.$/);
  assert.match(await page.locator('.outputs .output .read').first().innerText(), /40 Services in proxy rules/);
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#read-summary', { hasText: '从粘贴内容中读到：40个代理规则中的 Service' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a step without evidence can be answered by the person, marked as stated, and the answer travels in share links', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  const a2 = page.locator('#flowchart [data-step="A2"]');
  assert.equal(await a2.getAttribute('data-status'), 'no evidence');
  await a2.click();
  await page.locator('#step-details[data-step="A2"] #state-yes').click();
  await page.locator('#flowchart [data-step="A2"][data-status="pass"]').waitFor();
  assert.match(await a2.getAttribute('class'), /\bstated\b/);
  assert.match(await page.locator('#stated').innerText(), /Stated by you: yes/);
  assert.equal(await page.locator('#stated-summary').innerText(), 'Stated by you, not shown by the paste: A2 yes');
  // A "no" is never healthy: its check comes next.
  await page.locator('#flowchart [data-step="B6"]').click();
  await page.locator('#step-details[data-step="B6"] #state-no').click();
  await page.locator('#verdict[data-verdict="need-evidence"]').waitFor();
  assert.equal(await page.locator('#next-step').getAttribute('data-step'), 'B6');
  // Share links carry the answers.
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  await context.close();
  const other = await openPage(app.browser, link, { locale: 'en-US' });
  await other.page.locator('#verdict[data-verdict="need-evidence"]').waitFor();
  assert.equal(await other.page.locator('#stated-summary').innerText(), 'Stated by you, not shown by the paste: A2 yes, B6 no');
  // Taken back (the link opened on B6's details), the step waits for
  // evidence again.
  await other.page.locator('#step-details[data-step="B6"] #state-forget').click();
  await other.page.locator('#verdict[data-verdict="healthy"]').waitFor();
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
});

test('a practice case loads and is diagnosed', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  await page.locator('#example-select').selectOption('b5-cross-node-traffic-lost');
  await page.locator('#root-cause[data-code="NET501"]').waitFor();
  assert.match(await page.locator('#paste-input').inputValue(), /Connection timed out/);
  assert.ok((await page.locator('#example-select option').count()) >= 13);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page says which Service the case is about, and another can be chosen', async () => {
  const { page, context, errors } = await fresh();
  const two = `${BROKEN}
[root@k8s-master ~]# kubectl get svc api
NAME   TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE
api    ClusterIP   10.96.0.30     <none>        80/TCP    5d
`;
  await page.locator('#paste-input').fill(two);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.match(await page.locator('#case-service').innerText(), /Service in question: default\/web/);
  assert.match(await page.locator('#root-cause .subject').innerText(), /Service default\/web/);
  // Asking about the other Service: web's selector is no longer its cause.
  await page.locator('#service-choice').selectOption({ label: 'default/api' });
  await page.locator('#case-service', { hasText: 'api' }).waitFor();
  assert.match(await page.locator('#case-service').innerText(), /named by you/);
  assert.equal(await page.locator('#root-cause[data-code="EP301"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the language switches to Chinese, and follows the app.browser on a first visit', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause').waitFor();
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#root-cause', { hasText: '没有匹配到任何 Pod' }).waitFor();
  assert.match(await page.locator('#result-title').innerText(), /诊断/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await screenshot(page, 'ep301-zh.png');
  await context.close();
  const zh = await openPage(app.browser, app.server.url, { locale: 'zh-CN' });
  await zh.page.locator('#verdict[data-verdict="healthy"]').waitFor();
  assert.match(await zh.page.locator('#verdict').innerText(), /正常/);
  await screenshot(zh.page, 'tutorial-healthy-zh.png', true);
  assert.deepEqual([...errors, ...zh.errors], []);
  await zh.context.close();
});

test('a reload keeps the input, and clear wipes it', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause').waitFor();
  await page.reload();
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  page.once('dialog', (d) => d.accept());
  await page.locator('#clear').click();
  await page.locator('#verdict[data-verdict="need-evidence"]').waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the report exports as Markdown and JSON', async () => {
  const { page, context, errors } = await fresh({ acceptDownloads: true });
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause').waitFor();
  const [md] = await Promise.all([page.waitForEvent('download'), page.locator('#export-md').click()]);
  assert.equal(md.suggestedFilename(), 'svcdoctor-report.md');
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  const { readFile } = await import('node:fs/promises');
  const report = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(report.root_cause.code, 'EP301');
  assert.match(await readFile(await md.path(), 'utf8'), /## Root cause: EP301/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after one visit the page works offline', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready');
  await context.setOffline(true);
  await page.reload();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  // The Web Worker (practice transcripts, line explanations, exports) comes
  // from the cache too.
  page.once('dialog', (d) => d.accept());
  await page.locator('#example-select').selectOption('b4-pods-not-ready');
  await page.locator('#practice', { hasText: 'Pods run but get no traffic' }).waitFor();
  await page.locator('#root-cause[data-code]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  const json = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.ok(json.root_cause, 'the export made offline holds the root cause');
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after an upgrade the page gets the new files that keep their names', async () => {
  // A copy of dist/ whose unhashed files change between two loads, as on a
  // docs site that installs a new release over the old one.
  const dir = await mkdtemp(path.join(tmpdir(), 'svcdoctor-upgrade-'));
  await cp(dist, dir, { recursive: true });
  const site = await serve(dir);
  try {
    const { page, context, errors } = await openPage(app.browser, site.url, { locale: 'en-US' });
    await page.locator('#verdict[data-verdict="healthy"]').waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready');
    assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker controls the page');
    const fetchText = (name) => page.evaluate((n) => fetch(n).then((r) => r.text()), name);
    const before = await fetchText('collect.sh');
    await appendFile(path.join(dir, 'collect.sh'), '# a newer release\n');
    assert.equal(await fetchText('collect.sh'), `${before}# a newer release\n`);
    // Offline, the cache answers with what was fetched last.
    await context.setOffline(true);
    assert.equal(await fetchText('collect.sh'), `${before}# a newer release\n`);
    await context.setOffline(false);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await site.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a practice case never replaces the user\'s own paste without asking', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  // Declined: the paste stays.
  page.once('dialog', (d) => d.dismiss());
  await page.locator('#example-select').selectOption('b5-cross-node-traffic-lost');
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  // Accepted: the case replaces it.
  page.once('dialog', (d) => d.accept());
  await page.locator('#example-select').selectOption('b5-cross-node-traffic-lost');
  await page.locator('#root-cause[data-code="NET501"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link opened in a tab that has the page loads it', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  page.once('dialog', (d) => d.accept());
  await page.locator('#clear').click();
  await page.locator('#root-cause').waitFor({ state: 'detached' });
  await page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page works under a sub-path of a docs site', async () => {
  const sub = await serve(undefined, '/docs/tools/svcdoctor/');
  try {
    const { page, context, errors } = await openPage(app.browser, sub.url, { locale: 'en-US' });
    await page.locator('#verdict[data-verdict="healthy"]').waitFor();
    await page.locator('#example-select').selectOption('b3-selector-typo');
    await page.locator('#root-cause[data-code="EP301"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});

test('a share link carries the state in its fragment and restores it', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause').waitFor();
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#flowchart [data-step="B3"]').click();
  await page.locator('#step-details[data-step="B3"]').waitFor();
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  assert.match(await page.locator('#share-panel').innerText(), /链接包含你粘贴的全部内容/);
  assert.equal(await page.locator('#long-link').count(), 0, 'a short link gets no warning');
  const url = new URL(link);
  assert.ok(url.hash.startsWith('#s='), link);
  assert.equal(url.search, '', 'data only in the fragment');
  await context.close();
  // A new app.browser with nothing saved opens the link.
  const other = await openPage(app.browser, link, { locale: 'en-US' });
  await other.page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await other.page.locator('#paste-input').inputValue(), BROKEN);
  assert.equal(await other.page.locator('#lang-select').inputValue(), 'zh');
  // The link opens on the step its sender was looking at.
  await other.page.locator('#step-details[data-step="B3"]').waitFor();
  assert.equal(new URL(other.page.url()).hash, '', 'the fragment is dropped once read');
  await other.context.close();
  // A damaged link says so instead of showing a blank page.
  const broken = await openPage(app.browser, app.server.url + '#s=@@@', { locale: 'en-US' });
  await broken.page.locator('.notice[role="alert"]', { hasText: 'share link is damaged' }).waitFor();
  await broken.page.locator('#verdict').waitFor();
  assert.deepEqual([...errors, ...other.errors, ...broken.errors], []);
  await broken.context.close();
});

test('a share link too long to send safely gets a warning and the offer of a file', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US', acceptDownloads: true });
  // Distinct lines, so that the packed link stays long.
  const lines = Array.from({ length: 1500 }, (_, i) => `pod-${(i * 7919).toString(36)} 1/1 Running ${i} ${(i * 104729) % 9973}m`);
  await page.locator('#paste-input').fill(`${BROKEN}\n${lines.join('\n')}\n`);
  await page.locator('#root-cause').waitFor();
  await page.locator('#share').click();
  const link = await page.locator('#share-link').inputValue();
  assert.ok(link.length > 8000, `${link.length} characters`);
  const warning = page.locator('#long-link');
  assert.match(await warning.innerText(), new RegExp(`${link.length} characters`));
  const [file] = await Promise.all([page.waitForEvent('download'), warning.locator('button').click()]);
  assert.equal(file.suggestedFilename(), 'svcdoctor-report.md');
  assert.deepEqual(errors, []);
  await context.close();
});

test('usable by keyboard and at 800 px', async () => {
  const { page, context, errors } = await fresh({ viewport: { width: 800, height: 900 } });
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 800 px (overflow ${overflow})`);
  await page.locator('#flowchart [data-step="B3"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#step-details[data-step="B3"]').waitFor();
  const focusable = await page.locator('#flowchart [data-step]').evaluateAll((els) => els.every((e) => e.getAttribute('tabindex') === '0'));
  assert.ok(focusable);
  await page.locator('#example-select').selectOption('a3-client-in-other-namespace');
  // The transcript comes from the Web Worker: the banner follows.
  await page.locator('#practice', { hasText: 'Works from one namespace only' }).waitFor();
  await page.locator('#root-cause[data-code="DNS104"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('chosen files are added to the paste and read', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  page.once('dialog', (d) => d.accept());
  await page.locator('#clear').click();
  await page.locator('#file-input').setInputFiles([
    { name: 'svc.yaml', mimeType: 'text/plain', buffer: Buffer.from(BROKEN.split('[root@k8s-master ~]# kubectl get deployment')[0]) },
    { name: 'deploy.yaml', mimeType: 'text/plain', buffer: Buffer.from('[root@k8s-master ~]# kubectl get deployment' + BROKEN.split('[root@k8s-master ~]# kubectl get deployment')[1]) },
  ]);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('.outputs .output').count(), 2);
  // Each keeps its file's name, in the outputs list and in the evidence.
  assert.deepEqual(await page.locator('.outputs .output .file').allInnerTexts(), ['svc.yaml', 'deploy.yaml']);
  const cited = await page.locator('#root-cause .evidence-lines').allInnerTexts();
  assert.ok(cited.some((c) => /^svc\.yaml · lines? \d/.test(c)), cited.join(' | '));
  assert.ok(cited.some((c) => /^deploy\.yaml · lines? \d/.test(c)), cited.join(' | '));
  assert.match(await page.locator('#paste-input').inputValue(), /^==> svc\.yaml <==\n/);
  // Clear, then Ctrl+Z, gives them back.
  page.once('dialog', (d) => d.accept());
  await page.locator('#clear').click();
  await page.keyboard.press('Control+z');
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('one more output can be added below the paste', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  const before = await page.locator('.outputs .output').count();
  await page.locator('.add-output summary').click();
  await page.locator('#add-input').fill('[root@k8s-node1 ~]# ipvsadm -ln\nIP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\nTCP 10.104.0.64:80 rr\n  -> 10.244.169.135:80 Masq 1 0 0\n');
  await page.locator('#add-button').click();
  await page.locator(`.outputs .output >> nth=${before}`).waitFor();
  assert.equal(await page.locator('.outputs .output').last().getAttribute('data-kind'), 'ipvs');
  assert.match(await page.locator('#paste-input').inputValue(), /ipvsadm -ln/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bundle from the collector gives the same verdict as the CLI, and the script downloads', async () => {
  const { execFileSync } = await import('node:child_process');
  const path = await import('node:path');
  const { root } = await import('./harness.mjs');
  const bundle = execFileSync('sh', [path.join(root, 'collect/collect.sh'), 'web', '--client', 'client'], {
    env: { ...process.env, KUBECTL: path.join(root, 'collect/testdata/fake-kubectl') },
  }).toString();
    const { spawnSync } = await import('node:child_process');
  // Exit status 1: a root cause was found.
  const run = spawnSync(path.join(root, 'target/debug/svcdoctor'), ['diagnose', '--format', 'json', '-'], { input: bundle });
  assert.equal(run.status, 1);
  const cli = JSON.parse(run.stdout.toString());
  const { page, context, errors } = await fresh({ acceptDownloads: true });
  await page.locator('#paste-input').fill(bundle);
  await page.locator(`#root-cause[data-code="${cli.root_cause.code}"]`).waitFor();
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), cli.verdict);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#collector').click()]);
  assert.equal(download.suggestedFilename(), 'collect.sh');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a large paste is diagnosed in the Web Worker while the page stays usable', async () => {
  // 1,000 Services: 2.6 MB of iptables-save, one Service rejecting.
  const dump = generated('iptables', '1000');
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  await page.evaluate((text) => {
    const area = document.querySelector('#paste-input');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, dump);
  await page.locator('#busy').waitFor();
  // The page answers while the worker runs.
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#result-title', { hasText: '诊断' }).waitFor();
  await page.locator('#busy').waitFor({ state: 'detached', timeout: 60000 });
  assert.equal(await page.locator('.outputs .output').count(), 1);
  assert.equal(await page.locator('.outputs .output').getAttribute('data-kind'), 'iptables');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Pastes `text` into the paste box as the app.browser does: a paste event
 * carrying the clipboard's text. */
async function paste(page, text) {
  await page.evaluate((t) => {
    const area = document.querySelector('#paste-input');
    area.focus();
    area.select();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('a paste of many MB is shown in part, diagnosed whole, and restored after a reload', async () => {
  const dump = generated('iptables', '1000');
  const text = `${dump}\n${BROKEN}`;
  const lines = text.split('\n').length - 1;
  const { page, context, errors } = await fresh();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  await paste(page, text);
  // Not in the textarea: a window of the lines, and the whole text diagnosed.
  await page.locator('#paste-large').waitFor();
  assert.equal(await page.locator('#paste-input').count(), 0);
  assert.match(await page.locator('#paste-large').innerText(), new RegExp(`${lines.toLocaleString('en-US').replace(/,/g, ',?')} lines`));
  assert.equal(await page.locator('#paste-preview li').count(), 200);
  await page.locator('#root-cause[data-code="EP301"]').waitFor({ timeout: 60000 });
  // Evidence moves the window to its lines, marked.
  await page.locator('#root-cause button.evidence').first().click();
  const marked = await page.locator('#paste-preview li.hl').allInnerTexts();
  assert.deepEqual(marked, ['  selector:', '    app: web']);
  // Paging and search through the whole text.
  await page.locator('#large-find').fill('KUBE-SVC');
  await page.locator('#large-find').press('Enter');
  const found = page.locator('#paste-preview li.found');
  assert.match(await found.innerText(), /KUBE-SVC/);
  const firstHit = Number(await page.locator('#paste-preview').getAttribute('start'));
  await page.locator('#large-find').press('Enter');
  assert.match(await found.innerText(), /KUBE-SVC/);
  await page.locator('#large-find').fill('no such text anywhere');
  await page.locator('#large-find').press('Enter');
  await page.locator('#large-not-found').waitFor();
  await page.locator('#large-next').click();
  const next = Number(await page.locator('#paste-preview').getAttribute('start'));
  assert.ok(next > firstHit, `${next} after ${firstHit}`);
  await page.locator('#large-prev').click();
  assert.equal(Number(await page.locator('#paste-preview').getAttribute('start')), Math.max(1, next - 200));
  // Saved (in IndexedDB: too large for local storage) and restored.
  await page.waitForTimeout(300);
  await page.reload();
  await page.locator('#paste-large').waitFor();
  await page.locator('#root-cause[data-code="EP301"]').waitFor({ timeout: 60000 });
  assert.match(await page.locator('#paste-large').innerText(), /MB/);
  // Editing it as text is offered, behind a warning.
  page.once('dialog', (d) => d.accept());
  await page.locator('#large-edit').click();
  assert.equal((await page.locator('#paste-input').inputValue()).length, text.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pastes and files the page cannot take are refused with a reason, and the text is kept', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  // 100 MB: over the page's limit.
  await page.evaluate(() => {
    const area = document.querySelector('#paste-input');
    const data = new DataTransfer();
    data.setData('text/plain', 'x'.repeat(100 << 20));
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.locator('#notice', { hasText: 'The paste was not taken: it is 100 MB, and the page takes up to 64 MB' }).waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  await page.locator('#notice button').click();
  // A binary file is refused; a file that is not UTF-8 is added with a remark.
  await page.locator('#file-input').setInputFiles([
    { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) },
  ]);
  await page.locator('#notice', { hasText: 'photo.png was not added: it holds NUL bytes' }).waitFor();
  await page.locator('#file-input').setInputFiles([
    { name: 'resolv.conf', mimeType: 'text/plain', buffer: Buffer.concat([Buffer.from('nameserver 10.96.0.10\nsearch default.svc.cluster.local \xff'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]) },
  ]);
  await page.locator('#notice', { hasText: 'resolv.conf is not valid UTF-8' }).waitFor();
  assert.match(await page.locator('#paste-input').inputValue(), /nameserver 10\.96\.0\.10/);
  assert.match(await page.locator('#paste-input').inputValue(), /^\[root@k8s-master/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('what was typed survives the tab being killed', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  await page.locator('#paste-input').fill('');
  await page.locator('#paste-input').pressSequentially('nameserver 10.96.0.10\nsearch default.svc.cluster.local', { delay: 5 });
  // The renderer dies at once: no unload handler, no chance to save late.
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  cdp.send('Page.crash').catch(() => {});
  await crashed;
  const again = await context.newPage();
  again.on('pageerror', (e) => errors.push(String(e)));
  await again.goto(app.server.url);
  await again.locator('#verdict').waitFor();
  assert.equal(await again.locator('#paste-input').inputValue(), 'nameserver 10.96.0.10\nsearch default.svc.cluster.local');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a damaged or old saved state gets a message, keeps what it can, and is not overwritten', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  await page.evaluate(() => localStorage.setItem('svcdoctor.v1', '{"text": "nameserver 10.96.0.10", "lang": '));
  await page.reload();
  await page.locator('#notice', { hasText: 'the saved input could not be read' }).waitFor();
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('svcdoctor.v1.unreadable')), '{"text": "nameserver 10.96.0.10", "lang": ');
  // An older shape: the text comes back, the settings do not.
  await page.evaluate((text) => localStorage.setItem('svcdoctor.v1', JSON.stringify({ text, language: 'en', version: 0 })), BROKEN);
  await page.reload();
  await page.locator('#notice', { hasText: 'its text was restored' }).waitFor();
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.equal(await page.locator('#paste-input').inputValue(), BROKEN);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when the app.browser cannot save the input, the page says so', async () => {
  const { page, context, errors } = await fresh();
  await page.locator('#verdict').waitFor();
  // Fill local storage to its quota with something else (the page's own
  // entry, whose space a save could reuse, goes first).
  await page.evaluate(() => {
    localStorage.removeItem('svcdoctor.v1');
    let chunk = 'x'.repeat(1 << 20);
    for (let i = 0; i < 64 && chunk.length > 16; i++) {
      try {
        localStorage.setItem(`filler-${i}`, chunk);
      } catch {
        chunk = chunk.slice(chunk.length / 2);
      }
    }
  });
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#notice', { hasText: 'the input could not be saved in local storage' }).waitFor();
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
