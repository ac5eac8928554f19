// The page's colour pairs meet WCAG AA (4.5:1 for text) in the light and the
// dark theme. Reads the custom properties of static/style.css.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { root } from './harness.mjs';

function themes(css) {
  const block = (text) => Object.fromEntries([...text.matchAll(/--([a-z-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1], m[2]]));
  const light = block(css.slice(css.indexOf(':root'), css.indexOf('}', css.indexOf(':root'))));
  const darkStart = css.indexOf('prefers-color-scheme: dark');
  const dark = { ...light, ...block(css.slice(darkStart, css.indexOf('}\n}', darkStart))) };
  return { light, dark };
}

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const PAIRS = [
  ['fg', 'bg'], ['fg', 'panel'], ['muted', 'bg'], ['muted', 'panel'], ['accent', 'bg'], ['accent', 'panel'],
  ['pass', 'pass-bg'], ['fail', 'fail-bg'], ['warn', 'warn-bg'], ['unknown', 'unknown-bg'], ['fail', 'bg'], ['muted', 'unknown-bg'],
];

test('text colours reach WCAG AA contrast in both themes', async () => {
  const css = await readFile(path.join(root, 'static', 'style.css'), 'utf8');
  const { light, dark } = themes(css);
  const failures = [];
  for (const [name, theme] of [['light', light], ['dark', dark]]) {
    for (const [fg, bg] of PAIRS) {
      assert.ok(theme[fg] && theme[bg], `${name}: --${fg} and --${bg} are defined`);
      const ratio = contrast(theme[fg], theme[bg]);
      if (ratio < 4.5) failures.push(`${name}: --${fg} on --${bg} is ${ratio.toFixed(2)}:1`);
    }
  }
  assert.deepEqual(failures, []);
});
