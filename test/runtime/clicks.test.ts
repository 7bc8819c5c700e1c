import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findClicks } from '../../src/runtime/clicks.js';

const rate = 16000;
const decaying = (n: number, at: number) => Float32Array.from({ length: n }, (_, i) => (i < at ? 0 : 0.5 * Math.exp(-(i - at) / 800) * Math.sin((i - at) * 0.3)));

test('a clean decaying tone has no clicks; its attack is allowed at its onset', () => {
  const x = decaying(8000, 1000);
  assert.deepEqual(findClicks(x, rate, [1000 / rate]), []);
});

test('a sound cut off mid-decay, and a glitched sample, are clicks', () => {
  const x = decaying(8000, 1000);
  x.fill(0, 2000); // cut off while still loud
  const found = findClicks(x, rate, [1000 / rate]);
  assert.ok(found.length >= 1 && found.every((i) => i >= 1999 && i <= 2000), `clicks at ${found}`);
  const y = decaying(8000, 1000);
  y[3000] = y[3000]! + 0.3;
  assert.ok(findClicks(y, rate, [1000 / rate]).includes(3000));
});
