// Accessibility and layout in headless Chromium: axe-core finds no
// violation on the page's main states, in both languages; on a phone the
// verdict comes right after the paste and the flowchart's steps are big
// enough to read and tap; the keyboard reaches the diagnosis quickly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { servedApp, openPage, screenshot, BROKEN } from './harness.mjs';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');


const app = servedApp();

/** axe-core's violations on the page as it is, one line each. */
async function violations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('axe-core finds no violation: first screen, root cause, step details, Chinese, phone', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US' });
  await page.locator('#verdict[data-verdict="healthy"]').waitFor();
  const found = {};
  found['first screen'] = await violations(page);
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  found['root cause'] = await violations(page);
  await page.locator('#flowchart [data-step="B3"]').click();
  await page.locator('#step-details').waitFor();
  found['step details'] = await violations(page);
  await page.locator('#lang-select').selectOption('zh');
  await page.locator('#result-title', { hasText: '诊断' }).waitFor();
  found.Chinese = await violations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  found.phone = await violations(page);
  const all = Object.entries(found).flatMap(([state, list]) => list.map((v) => `${state}: ${v}`));
  assert.deepEqual(all, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the verdict comes right after the paste, and the flowchart stays readable', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US', viewport: { width: 390, height: 844 } });
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  const top = (selector) => page.locator(selector).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
  const verdict = await top('#verdict');
  assert.ok(verdict < await top('#outputs-title'), 'the outputs list comes after the diagnosis');
  assert.ok(verdict < 1.5 * 844, `the verdict is ${verdict} px down`);
  const boxes = await page.locator('#flowchart .fc-step rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().height));
  assert.equal(boxes.length, 16);
  assert.ok(Math.min(...boxes) >= 44, `steps ${Math.min(...boxes)} px tall`);
  const text = await page.locator('#flowchart .fc-step text').first().evaluate((t) => t.getBoundingClientRect().height);
  assert.ok(text >= 11, `step text ${text} px tall`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);
  await screenshot(page, 'phone-ep301.png', true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('at 1366 px the toolbar is one row', async () => {
  for (const locale of ['en-US', 'zh-CN']) {
    const { page, context, errors } = await openPage(app.browser, app.server.url, { locale, viewport: { width: 1366, height: 768 } });
    await page.locator('#verdict').waitFor();
    const tops = await page.locator('.toolbar > *').evaluateAll((items) => items.map((el) => Math.round(el.getBoundingClientRect().bottom)));
    assert.equal(new Set(tops).size, 1, `${locale}: toolbar items end at ${tops.join(', ')}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a skip link leads to the diagnosis, and the first evidence is a few Tabs from the paste box', async () => {
  const { page, context, errors } = await openPage(app.browser, app.server.url, { locale: 'en-US' });
  await page.locator('#verdict').waitFor();
  // The first Tab of the page reaches the skip link.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'diagnosis');
  await page.locator('#paste-input').fill(BROKEN);
  await page.locator('#root-cause[data-code="EP301"]').waitFor();
  // From the paste box, Tab by Tab, to the root cause's first evidence.
  await page.locator('#paste-input').focus();
  let tabs = 0;
  while (tabs < 40) {
    await page.keyboard.press('Tab');
    tabs += 1;
    if (await page.evaluate(() => document.activeElement.matches('#root-cause button.evidence'))) break;
  }
  assert.ok(tabs <= 10, `${tabs} Tabs from the paste box to the first evidence`);
  assert.deepEqual(errors, []);
  await context.close();
});
