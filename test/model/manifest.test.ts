import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FEATURES } from '../../src/dsp/features.js';
import { ModelLoadError, ModelMismatchError } from '../../src/errors.js';
import { assertCompatible, parseManifest } from '../../src/model/manifest.js';
import { FlowModel } from '../../src/model/flow-model.js';
import { loadFlowModel } from '../../src/model/load-node.js';
import { SHIPPED_MANIFEST } from './fixture.js';

const text = readFileSync(SHIPPED_MANIFEST, 'utf8');
const edit = (f: (m: Record<string, any>) => void) => { const m = JSON.parse(text); f(m); return JSON.stringify(m); };

test('the shipped manifest parses and matches the runtime feature contract', () => {
  const m = parseManifest(text);
  assert.deepEqual({ ...m.features }, { ...FEATURES });
  assertCompatible(m);
  assert.equal(m.conditioning.actionDim, 252);
  assert.ok(m.stream.stateShapes.length > 0);
  assert.ok(m.parameters > 0 && m.parameters < 3_000_000);
});

test('a model trained with other features is refused with a ModelMismatchError naming each difference', () => {
  const m = parseManifest(edit((j) => { j.features.hop = 512; j.features.nMels = 64; }));
  assert.throws(() => assertCompatible(m), (e: unknown) => {
    assert.ok(e instanceof ModelMismatchError);
    assert.equal(e.code, 'MODEL_MISMATCH');
    assert.match(e.message, /hop: expected 256, got 512/);
    assert.match(e.message, /nMels: expected 80, got 64/);
    return true;
  });
  const missing = parseManifest(edit((j) => { delete j.features.logFloor; }));
  assert.throws(() => assertCompatible(missing), /logFloor: expected 0.00001|logFloor: expected 1e-5/);
});

test('FlowModel.create refuses a mismatching manifest before creating any session', async () => {
  const m = parseManifest(edit((j) => { j.features.sampleRate = 22050; }));
  await assert.rejects(FlowModel.create(m, new Uint8Array(1), new Uint8Array(1), 'node'),
    (e: unknown) => e instanceof ModelMismatchError && /sampleRate: expected 16000, got 22050/.test(e.message));
});

test('malformed manifests are ModelLoadErrors; another format is a ModelMismatchError', () => {
  assert.throws(() => parseManifest('{not json'), ModelLoadError);
  assert.throws(() => parseManifest(edit((j) => { delete j.melNorm; })), (e: unknown) => e instanceof ModelLoadError && /melNorm/.test(e.message));
  assert.throws(() => parseManifest(edit((j) => { j.stream.stateShapes = [[128, -2]]; })), ModelLoadError);
  assert.throws(() => parseManifest(edit((j) => { j.format = 'hearing-hands/model@9'; })), ModelMismatchError);
  assert.throws(() => parseManifest(edit((j) => { j.stream.guidanceRows = 3; })), (e: unknown) => e instanceof ModelLoadError && /guidanceRows/.test(e.message));
});

test('conditioning.materialPrior: the shipped model has one over its label materials; absent means none; a mix outside [0, 1] is refused', () => {
  const m = parseManifest(text);
  assert.ok(m.conditioning.materialPrior, 'the shipped model should carry its material prior');
  assert.ok(m.conditioning.materialPrior.mix > 0 && m.conditioning.materialPrior.mix <= 1);
  assert.deepEqual([...m.conditioning.materialPrior.materials], [...m.labels.materials]);
  assert.equal(parseManifest(edit((j) => { delete j.conditioning.materialPrior; })).conditioning.materialPrior, null);
  for (const mix of [-0.1, 1.5, 'half']) {
    assert.throws(() => parseManifest(edit((j) => { j.conditioning.materialPrior.mix = mix; })),
      (e: unknown) => e instanceof ModelLoadError && /materialPrior/.test(e.message));
  }
  assert.throws(() => parseManifest(edit((j) => { j.conditioning.materialPrior.materials = [1, 2]; })), ModelLoadError);
});

test('sampling.guidanceFrom: absent means 0 (every step guided); a flow time outside [0, 1) is refused', () => {
  assert.equal(parseManifest(edit((j) => { delete j.sampling.guidanceFrom; })).sampling.guidanceFrom, 0);
  assert.equal(parseManifest(edit((j) => { j.sampling.guidanceFrom = 0.25; })).sampling.guidanceFrom, 0.25);
  for (const bad of [1, -0.1, '0.4']) {
    assert.throws(() => parseManifest(edit((j) => { j.sampling.guidanceFrom = bad; })),
      (e: unknown) => e instanceof ModelLoadError && /guidanceFrom/.test(e.message));
  }
});

test('sampling.fewGuidanceFrom (the tick graph\'s guidance interval): absent means 0; a flow time outside [0, 1) is refused', () => {
  assert.equal(parseManifest(edit((j) => { delete j.sampling.fewGuidanceFrom; })).sampling.fewGuidanceFrom, 0);
  assert.equal(parseManifest(edit((j) => { j.sampling.fewGuidanceFrom = 0.5; })).sampling.fewGuidanceFrom, 0.5);
  for (const bad of [1, -0.1, '0.4', null]) {
    assert.throws(() => parseManifest(edit((j) => { j.sampling.fewGuidanceFrom = bad; })),
      (e: unknown) => e instanceof ModelLoadError && /sampling\.fewGuidanceFrom/.test(e.message));
  }
});

test('stream.guidanceRows: absent means 2 (guidance in the tick graph); 1 is a distilled tick with guidance folded in', () => {
  assert.equal(parseManifest(edit((j) => { delete j.stream.guidanceRows; })).stream.guidanceRows, 2);
  assert.equal(parseManifest(edit((j) => { j.stream.guidanceRows = 1; })).stream.guidanceRows, 1);
});

test('a distilled manifest over a graph that still wants guidance is refused; so is a guided one over a folded graph', async () => {
  const { createRunner } = await import('../../src/model/backend.js');
  const dir = new URL('../../models/', import.meta.url).pathname;
  const guided = parseManifest(text);
  const folded = parseManifest(edit((j) => { j.stream.guidanceRows = 1; }));
  const runner = async (file: string) => createRunner(new Uint8Array(readFileSync(dir + file)), 'node', file);
  await assert.rejects(FlowModel.fromRunners(guided, await runner('hh-flow-s-live-d2.tick2.onnx')), /lack inputs guidance/);
  await assert.rejects(FlowModel.fromRunners(folded, await runner(guided.files.tick)), /folded in .* but the tick graph takes guidance/);
});

test('a missing manifest or a corrupt ONNX file is a ModelLoadError', async () => {
  await assert.rejects(loadFlowModel('/nonexistent/model.json'), ModelLoadError);
  const m = parseManifest(text);
  await assert.rejects(FlowModel.create(m, new TextEncoder().encode('not an onnx file'), new Uint8Array(8), 'node'),
    (e: unknown) => e instanceof ModelLoadError && /cannot load ONNX model/.test(e.message));
});
