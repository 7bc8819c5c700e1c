// What the C# component sends to HearingHands_Create (JsonUtility's JSON: every field, '' for "not set") becomes the
// runtime's HearingHands.create options; anything else is refused at create with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUnityOptions, toHearingHandsOptions } from '../../src/unity/unity-options.js';
import { InvalidArgumentError } from '../../src/errors.js';

const embedded = () => ({ worker: 'blob:worker', worklet: 'blob:worklet' });
// HearingHandsOptions (unity/Runtime/HearingHandsOptions.cs) as JsonUtility writes it, field order included.
const fromCSharp = (fields: Record<string, unknown>) => JSON.stringify({
  material: 'wood', surfaceHeightM: 0, marginSec: 0.015, modelUrl: '', modelTickFrames: 0, backend: '', ortUrl: '', allowProceduralFallback: true,
  onsetBackstop: true, workerUrl: '', workletUrl: '', ...fields,
});

test('C# defaults: procedural, embedded Worker/worklet, no model', () => {
  assert.deepEqual(toHearingHandsOptions(parseUnityOptions(fromCSharp({})), embedded, {}), {
    workerUrl: 'blob:worker', workletUrl: 'blob:worklet', material: 'wood', surfaceHeightM: 0, marginSec: 0.015, allowProceduralFallback: true,
    onsetBackstop: true,
  });
});

test('a model from StreamingAssets: manifest URL, backend, onnxruntime-web folder, fallback off; the page\'s audio output', () => {
  const context = {} as AudioContext, destination = {} as AudioNode;
  const o = toHearingHandsOptions(parseUnityOptions(fromCSharp({
    material: 'metal', surfaceHeightM: 0.75, modelUrl: 'StreamingAssets/hearing-hands/models/hh-flow-s.json', modelTickFrames: 2, backend: 'wasm',
    ortUrl: 'StreamingAssets/hearing-hands/ort/', allowProceduralFallback: false, onsetBackstop: false, workerUrl: '/w.js',
  })), embedded, { context, destination });
  assert.deepEqual(o, {
    workerUrl: '/w.js', workletUrl: 'blob:worklet', material: 'metal', surfaceHeightM: 0.75, marginSec: 0.015,
    model: { manifestUrl: 'StreamingAssets/hearing-hands/models/hh-flow-s.json' }, modelTickFrames: 2, backend: 'wasm',
    ortUrl: 'StreamingAssets/hearing-hands/ort/', allowProceduralFallback: false, onsetBackstop: false, audioContext: context, destination,
  });
});

test('refused with INVALID_ARGUMENT: not JSON, not an object, wrong types, unknown backend, margin out of range', () => {
  for (const bad of ['{', '[]', '"x"', fromCSharp({ material: 3 }), fromCSharp({ backend: 'cuda' }), fromCSharp({ marginSec: 2 }),
    fromCSharp({ surfaceHeightM: 'high' }), fromCSharp({ allowProceduralFallback: 'yes' }), fromCSharp({ onsetBackstop: 1 }), fromCSharp({ modelTickFrames: 1.5 }),
    fromCSharp({ modelTickFrames: -1 }), fromCSharp({ modelTickFrames: 65 })]) {
    assert.throws(() => parseUnityOptions(bad), InvalidArgumentError, bad);
  }
  assert.deepEqual(parseUnityOptions(''), {});
});
