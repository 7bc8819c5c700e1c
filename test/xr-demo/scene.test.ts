// The bundled scene: a real .splat the loader reads (32-byte rows, y stored downwards) that is small enough to ship,
// and an annotation whose regions sit where the splats are and find the right material under a hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAnnotation, regionUnder, InvalidAnnotationError } from '../../xr-demo/src/annotation.js';

const read = (f: string) => readFileSync(new URL(`../../xr-demo/scene/${f}`, import.meta.url));

test('bundled splat: 32-byte rows, ≤ 3 MB, splats on every annotated top face', () => {
  const bytes = read('room.splat');
  assert.equal(bytes.length % 32, 0);
  assert.ok(bytes.length <= 3e6 && bytes.length / 32 > 30_000, `${bytes.length / 32} splats, ${bytes.length} bytes`);
  const f32 = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const annotation = parseAnnotation(JSON.parse(read('room.annotation.json').toString()));
  for (const r of annotation.regions) {
    let onTop = 0;
    for (let i = 0; i < f32.length; i += 8) {
      const x = f32[i]!, y = -f32[i + 1]!, z = f32[i + 2]!; // stored y-down
      if (x >= r.min[0] && x <= r.max[0] && z >= r.min[2] && z <= r.max[2] && Math.abs(y - r.max[1]) < 0.03) onTop++;
    }
    assert.ok(onTop > 5, `region ${r.name}: ${onTop} splats on its top`);
  }
});

test('annotation: the surface a hand would land on', () => {
  const a = parseAnnotation(JSON.parse(read('room.annotation.json').toString()));
  assert.equal(regionUnder(a, 0.3, 1.0, -0.65)?.name, 'pot', 'above the pot');
  assert.equal(regionUnder(a, 0.3, 0.8, -0.65)?.name, 'table', 'beside the pot, below its lid: the table');
  assert.equal(regionUnder(a, 0.0, 0.9, -0.42)?.name, 'table');
  assert.equal(regionUnder(a, 1.0, 0.7, -0.6)?.material, 'fabric');
  assert.equal(regionUnder(a, 5, 1, 5), null);
  assert.throws(() => parseAnnotation({ format: 'hearing-hands/annotation@1', regions: [{ name: 'x', material: 'unobtainium', min: [0, 0, 0], max: [1, 1, 1] }] }), InvalidAnnotationError);
  assert.throws(() => parseAnnotation({ format: 'nope', regions: [] }), /format/);
});
