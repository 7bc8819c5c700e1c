import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRunner, type BackendName } from '../../src/model/backend.js';
import { actionFeatures, toMelRate } from '../../src/model/conditioning.js';
import { parseManifest } from '../../src/model/manifest.js';
import { DISTILLED_FIXTURE, DISTILLED_MANIFEST, PARITY_MODELS, readParityFixture, relativeError, SHIPPED_FIXTURE, SHIPPED_MANIFEST } from './fixture.js';

// PyTorch outputs recorded by models/recipe/export.py on fixed inputs; no PyTorch needed here.
const fixture = readParityFixture(SHIPPED_FIXTURE);

for (const shipped of PARITY_MODELS) {
  const manifest = parseManifest(readFileSync(shipped.manifest, 'utf8'));
  const want = readParityFixture(shipped.fixture);
  const dir = dirname(shipped.manifest);
  for (const backend of ['node', 'wasm'] as BackendName[]) {
    for (const graph of ['step', 'tick'] as const) {
      test(`${manifest.name}: ${graph} graph matches PyTorch within 1e-4 relative on onnxruntime-${backend}`, async () => {
        const file = manifest.files[graph];
        const runner = await createRunner(new Uint8Array(readFileSync(join(dir, file))), backend, file);
        try {
          const out = await runner.run(want[graph].inputs);
          for (const [name, w] of Object.entries(want[graph].outputs)) {
            const got = out[name];
            assert.ok(got, `missing output ${name}`);
            assert.deepEqual([...got.dims], [...w.dims], name);
            const err = relativeError(got.data, w.data);
            assert.ok(err <= 1e-4, `${name}: relative error ${err}`);
          }
        } finally { await runner.release(); }
      });
    }
  }
}

test('the distilled model: its tick takes no guidance and one row of states', () => {
  const d = parseManifest(readFileSync(DISTILLED_MANIFEST, 'utf8'));
  const tick = readParityFixture(DISTILLED_FIXTURE).tick.inputs;
  assert.equal(d.stream.guidanceRows, 1);
  assert.equal(tick['guidance'], undefined);
  assert.equal(tick['state_0']!.dims[0], 1);
  assert.equal(parseManifest(readFileSync(SHIPPED_MANIFEST, 'utf8')).stream.guidanceRows, 2);
});

test('action features and causal upsampling equal the training data pipeline (data.py)', () => {
  const { keypoints } = fixture.conditioning.inputs;
  const { features, melRate } = fixture.conditioning.outputs;
  const feats = actionFeatures(keypoints!.data, 30);
  assert.equal(feats.length, features!.data.length);
  assert.ok(relativeError(feats, features!.data) <= 1e-6, `features: ${relativeError(feats, features!.data)}`);
  const up = toMelRate(feats, 252, 30, melRate!.dims[0]!, 0, undefined, fixture.conditioning.actionLookaheadFrames ?? 0);
  assert.equal(relativeError(up, melRate!.data), 0); // same rows (−0 and 0 alike)
});
