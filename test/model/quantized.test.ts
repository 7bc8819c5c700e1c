// The weight-only int8 graphs (models/recipe/quantize.py): a quarter of the download, close to the fp32 graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRunner, type BackendName } from '../../src/model/backend.js';
import { loadFlowModel } from '../../src/model/load-node.js';
import { parseManifest } from '../../src/model/manifest.js';
import { ModelLoadError } from '../../src/errors.js';
import { readParityFixture, relativeError, SHIPPED_FIXTURE, SHIPPED_MANIFEST } from './fixture.js';

const fixture = readParityFixture(SHIPPED_FIXTURE);
const manifest = parseManifest(readFileSync(SHIPPED_MANIFEST, 'utf8'));
const dir = dirname(SHIPPED_MANIFEST);

// Per-row int8 weights put ~0.4 % noise on each weight; through 8 blocks and 4 guided steps the outputs stay
// within a few per cent. The tick runs at the manifest's few-step guidance, which multiplies the rounding in the
// guided difference: measured 2.2e-2 step velocity and 5.0e-2 tick mel for the session-17 hh-flow-s (few-step
// guidance 3), 1.2e-2 and 7.3e-3 for the session-16 one (guidance 1.5).
const BOUND = { step: 0.05, tick: 0.08 };

for (const backend of ['node', 'wasm'] as BackendName[]) {
  for (const graph of ['step', 'tick'] as const) {
    test(`int8 ${graph} graph: < 40 % of the fp32 file, outputs within ${BOUND[graph]} of PyTorch's on onnxruntime-${backend}`, async () => {
      const q = manifest.files.quantized;
      assert.ok(q, 'the shipped manifest lists quantized graphs');
      const fp32 = statSync(join(dir, manifest.files[graph])).size, int8 = statSync(join(dir, q[graph])).size;
      assert.ok(int8 < 0.4 * fp32, `${q[graph]}: ${int8} bytes vs ${fp32}`);
      const runner = await createRunner(new Uint8Array(readFileSync(join(dir, q[graph]))), backend, q[graph]);
      try {
        const out = await runner.run(fixture[graph].inputs);
        const [name, want] = Object.entries(fixture[graph].outputs)[0]!;
        const err = relativeError(out[name]!.data, want.data);
        console.log(`int8 ${graph} (${backend}): ${name} relative error ${err.toExponential(2)}; ${int8} vs ${fp32} bytes`);
        assert.ok(err <= BOUND[graph], `${name}: relative error ${err}`);
      } finally { await runner.release(); }
    });
  }
}

test('loadFlowModel({ quantized: true }) runs the int8 graphs, and refuses a manifest without them', async () => {
  const model = await loadFlowModel(SHIPPED_MANIFEST, 'node', { quantized: true });
  try {
    const frames = 8;
    const mel = await model.generate({ actionMel: new Float32Array(frames * 252), visualMel: new Float32Array(frames * manifest.conditioning.visualDim), steps: 2 });
    assert.equal(mel.length, frames * 80);
    assert.ok(mel.every(Number.isFinite));
  } finally { await model.dispose(); }
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const tmp = mkdtempSync(join(tmpdir(), 'hh-q-'));
  try {
    const raw = JSON.parse(readFileSync(SHIPPED_MANIFEST, 'utf8')) as { files: Record<string, unknown> };
    delete raw.files['quantized'];
    writeFileSync(join(tmp, 'm.json'), JSON.stringify(raw));
    await assert.rejects(loadFlowModel(join(tmp, 'm.json'), 'node', { quantized: true }), ModelLoadError);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});
