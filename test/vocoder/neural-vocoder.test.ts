// The neural vocoder path: the recipe (models/recipe/vocoder.py) trains a few steps on the tiny dataset and exports
// ONNX + manifest + a parity fixture; the graph matches PyTorch on onnxruntime-node and -web (wasm); NeuralVocoder
// turns log-mel into 16 kHz audio through the DSP core's iSTFT; bad manifests and files are typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dsp } from '../../src/dsp/index.js';
import { FileIoError, ModelLoadError, ModelMismatchError } from '../../src/errors.js';
import { createRunner } from '../../src/model/backend.js';
import { loadNeuralVocoder } from '../../src/vocoder/load-neural-vocoder.js';
import { readGraphFixture, relativeError } from '../model/fixture.js';
import { recipeSkip, runRecipe } from '../model/recipe.js';

const skip = recipeSkip(['torch', 'torchaudio', 'onnx', 'numpy']);

test('vocoder recipe: a few steps on the tiny dataset → ONNX that matches PyTorch (node, wasm) and vocodes through the iSTFT', { skip, timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hh-vocoder-'));
  try {
    runRecipe(['tiny_dataset.py', '--out', join(dir, 'data'), '--items', '6', '--seconds', '1.5']);
    const log = runRecipe(['vocoder.py', '--data', join(dir, 'data'), '--out', join(dir, 'voc'), '--max-steps', '3', '--minutes', '2',
      '--dim', '32', '--blocks', '2', '--fixture', join(dir, 'voc.fixture.json')]);
    assert.match(log, /"steps": 3/);
    const manifest = JSON.parse(readFileSync(join(dir, 'voc.json'), 'utf8'));
    assert.equal(manifest.format, 'hearing-hands/vocoder@1');
    assert.equal(manifest.features.hop, 256);
    const fixture = readGraphFixture(join(dir, 'voc.fixture.json'));
    const dsp = await Dsp.create();
    for (const backend of ['node', 'wasm'] as const) {
      const runner = await createRunner(new Uint8Array(readFileSync(join(dir, 'voc.onnx'))), backend, 'vocoder');
      const out = await runner.run(fixture.inputs);
      for (const name of ['real', 'imag']) {
        const err = relativeError(out[name]!.data, fixture.outputs[name]!.data);
        assert.ok(err <= 1e-4, `${backend} ${name}: relative error ${err}`);
      }
      await runner.release();
      const vocoder = await loadNeuralVocoder(join(dir, 'voc.json'), dsp, backend);
      const frames = 30;
      const wave = await vocoder.vocode(new Float32Array(frames * 80).fill(-6), frames);
      assert.equal(wave.length, 256 * (frames - 1));
      assert.ok(wave.every(Number.isFinite));
      await assert.rejects(vocoder.vocode(new Float32Array(10), 3), /frames/);
      await vocoder.release();
    }
    // A manifest whose features disagree with the DSP core's, a corrupt graph, a missing manifest: typed errors.
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...manifest, features: { ...manifest.features, hop: 160 } }));
    await assert.rejects(loadNeuralVocoder(join(dir, 'bad.json'), dsp), ModelMismatchError);
    writeFileSync(join(dir, 'corrupt.onnx'), 'not an onnx file');
    writeFileSync(join(dir, 'corrupt.json'), JSON.stringify({ ...manifest, onnx: 'corrupt.onnx' }));
    await assert.rejects(loadNeuralVocoder(join(dir, 'corrupt.json'), dsp), ModelLoadError);
    await assert.rejects(loadNeuralVocoder(join(dir, 'none.json'), dsp), FileIoError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
