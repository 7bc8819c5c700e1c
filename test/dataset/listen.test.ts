import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../src/dataset/png.js';
import { writeListeningSet } from '../../src/dataset/listening-set.js';
import { ACTION_NAMES } from '../../src/sim/actions.js';
import { MATERIAL_NAMES } from '../../src/sim/materials.js';
import { InvalidArgumentError } from '../../src/errors.js';

/** Minimal PNG reader for the test: checks chunk CRCs' presence, returns size and raw scanlines. */
function decodePng(bytes: Uint8Array): { width: number; height: number; raw: Uint8Array } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 8, width = 0, height = 0;
  const idat: Uint8Array[] = [];
  while (o < bytes.length) {
    const len = view.getUint32(o), type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') { width = view.getUint32(o + 8); height = view.getUint32(o + 12); assert.equal(data[8], 8); assert.equal(data[9], 2); }
    if (type === 'IDAT') idat.push(data);
    o += 12 + len;
  }
  return { width, height, raw: inflateSync(Buffer.concat(idat)) };
}

test('encodePng writes a valid 8-bit RGB PNG whose pixels decode back', () => {
  const w = 5, h = 3, rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
  const png = decodePng(encodePng(rgb, w, h));
  assert.equal(png.width, w); assert.equal(png.height, h);
  for (let y = 0; y < h; y++) {
    assert.equal(png.raw[y * (w * 3 + 1)], 0, 'filter 0');
    assert.deepEqual([...png.raw.subarray(y * (w * 3 + 1) + 1, (y + 1) * (w * 3 + 1))], [...rgb.subarray(y * w * 3, (y + 1) * w * 3)]);
  }
  assert.throws(() => encodePng(rgb, 4, 3), InvalidArgumentError);
});

test('the listening set covers every material × action, aligns onsets with contacts, and draws one sheet', async () => {
  const out = mkdtempSync(join(tmpdir(), 'hh-listen-'));
  try {
    const { clips, sheetPath } = await writeListeningSet({ out, seed: 3, perCell: 1, durationSec: 3 });
    assert.equal(clips.length, MATERIAL_NAMES.length * ACTION_NAMES.length);
    assert.equal(readdirSync(join(out, 'wav')).length, clips.length);
    // Pressing a rigid surface is silent by design (no sliding, nothing to crumple); every other action is heard.
    const heard = clips.filter((c) => c.onsetErrorMs !== null);
    const active = clips.filter((c) => c.action !== 'press');
    const activeHeard = active.filter((c) => c.onsetErrorMs !== null);
    assert.ok(activeHeard.length > 0.75 * active.length, `${activeHeard.length}/${active.length} non-press clips have an audible contact`);
    const errs = heard.map((c) => Math.abs(c.onsetErrorMs!)).sort((a, b) => a - b);
    assert.ok(errs[Math.floor(errs.length / 2)]! < 1, `median onset error ${errs[Math.floor(errs.length / 2)]} ms`);
    // Metal rings longer than fabric; materials differ in brightness.
    const t60 = (m: string) => clips.filter((c) => c.material === m && c.decayT60Sec !== null).map((c) => c.decayT60Sec!);
    const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    assert.ok(mean(t60('metal')) > 2 * mean(t60('fabric')), `metal decay ${mean(t60('metal')).toFixed(2)} s vs fabric ${mean(t60('fabric')).toFixed(2)} s`);
    const png = decodePng(readFileSync(sheetPath));
    assert.ok(png.width > 500 && png.height > 1000, `sheet ${png.width}×${png.height}`);
    assert.equal(readFileSync(join(out, 'features.csv'), 'utf8').trim().split('\n').length, clips.length + 1);
    const views = decodePng(readFileSync(join(out, 'views.png')));
    assert.equal(views.height, 16 + MATERIAL_NAMES.length * 66, 'one row of views per material');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
