import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFlowModel } from '../../src/model/load-node.js';
import { ACTION_DIM, N_MELS } from '../../src/model/manifest.js';
import { GaussianNoise } from '../../src/model/noise.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { relativeError, SHIPPED_MANIFEST } from './fixture.js';

const model = await loadFlowModel(SHIPPED_MANIFEST, 'node');
const N = model.manifest.stream.chunkFrames;
const K = model.manifest.stream.tickSteps;
const G = model.manifest.sampling.fewGuidance; // the stream's default guidance,
const FROM = model.manifest.sampling.fewGuidanceFrom; // from this flow time on (the tick graph's interval; before it g 1)
const CHUNKS = 5;
const T = N * CHUNKS;
const rng = new GaussianNoise(42);
const action = rng.fill(new Float32Array(T * ACTION_DIM)).map((v) => v * 0.2);
const visual = rng.fill(new Float32Array(T * model.visualDim));

test('streaming ticks equal offline chunk-causal sampling (the past as clean context, only the chunk noised), guided in the same interval', async () => {
  assert.ok(FROM > 0, 'the shipped offline model\'s tick guides in an interval: this test should cover it');
  const stream = model.createStream({ seed: 7 });
  const streamed: Float32Array[] = [];
  for (let c = 0; c < CHUNKS; c++) {
    streamed.push(await stream.tick(action.subarray(c * N * ACTION_DIM, (c + 1) * N * ACTION_DIM),
      visual.subarray(c * N * model.visualDim, (c + 1) * N * model.visualDim)));
  }
  assert.equal(stream.framesDone, T);
  // The same computation through the whole-window step graph: context frames clean, chunk frames noised.
  const noise = new GaussianNoise(7);
  const gen = new Float32Array(N_MELS * T); // channel-major, normalised
  for (let c = 0; c < CHUNKS; c++) {
    const e = (c + 1) * N, start = c * N;
    const chunkNoise = noise.fill(new Float32Array(N_MELS * N));
    const x = new Float32Array(N_MELS * e), mask = new Float32Array(e);
    for (let f = 0; f < e; f++) mask[f] = f < start ? 1 : 0;
    for (let m = 0; m < N_MELS; m++) {
      for (let f = 0; f < e; f++) x[m * e + f] = f < start ? gen[m * T + f]! : chunkNoise[m * N + f - start]!;
    }
    for (let k = 0; k < K; k++) {
      const out = await model.step.run({
        x: { data: x, dims: [1, N_MELS, e] }, mask: { data: mask, dims: [1, 1, e] }, t: { data: Float32Array.of(k / K), dims: [1] },
        action: { data: action.slice(0, e * ACTION_DIM), dims: [1, e, ACTION_DIM] },
        visual: { data: visual.slice(0, e * model.visualDim), dims: [1, e, model.visualDim] },
        keep: { data: Float32Array.of(1, 1), dims: [1, 2] }, guidance: { data: Float32Array.of(k / K >= FROM ? G : 1), dims: [1] },
      });
      const v = out['velocity']!.data;
      for (let i = 0; i < x.length; i++) if (mask[i % e] === 0) x[i] = x[i]! + v[i]! / K;
    }
    for (let m = 0; m < N_MELS; m++) for (let f = start; f < e; f++) gen[m * T + f] = x[m * e + f]!;
  }
  for (let c = 0; c < CHUNKS; c++) {
    const chunk = new Float32Array(N_MELS * N);
    for (let m = 0; m < N_MELS; m++) for (let f = 0; f < N; f++) chunk[m * N + f] = gen[m * T + c * N + f]!;
    const want = model.denormalise(chunk, N);
    const err = relativeError(streamed[c]!, want);
    assert.ok(err <= 1e-4, `chunk ${c}: relative error ${err}`);
  }
});

test('offline generation is deterministic per seed, finite, frames × 80; reset forgets the past', async () => {
  const req = { actionMel: action, visualMel: visual, steps: 3, seed: 3 };
  const a = await model.generate(req);
  const b = await model.generate(req);
  assert.equal(a.length, T * N_MELS);
  assert.deepEqual(a, b);
  assert.ok(a.every(Number.isFinite));
  const c = await model.generate({ ...req, seed: 4 });
  assert.notDeepEqual(a, c);
  const s = model.createStream({ seed: 1 });
  const a0 = action.subarray(0, N * ACTION_DIM), v0 = visual.subarray(0, N * model.visualDim);
  const first = await s.tick(a0, v0);
  const second = await s.tick(a0, v0);
  assert.notDeepEqual(first, second); // the past (and the noise) moved on
  s.reset();
  assert.equal(s.framesDone, 0);
  assert.deepEqual(await s.tick(a0, v0), first);
});

test('guidanceFrom: steps before that flow time take the conditional velocity alone (g 1), the rest are guided', async () => {
  const req = { actionMel: action, visualMel: visual, steps: 2, seed: 5 };
  const unguided = await model.generate({ ...req, guidance: 1, guidanceFrom: 0 });
  const guided = await model.generate({ ...req, guidance: 3, guidanceFrom: 0 });
  assert.deepEqual(await model.generate({ ...req, guidance: 3, guidanceFrom: 1 }), unguided); // no step reaches flow time 1
  const late = await model.generate({ ...req, guidance: 3, guidanceFrom: 0.5 }); // step 0 (t 0) conditional, step 1 (t 0.5) guided
  assert.notDeepEqual(late, unguided);
  assert.notDeepEqual(late, guided);
  // The same two steps by hand through the step graph: g 1 at t 0, g 3 at t 0.5.
  const x = new GaussianNoise(5).fill(new Float32Array(N_MELS * T));
  for (const [t, g] of [[0, 1], [0.5, 3]] as const) {
    const v = (await model.step.run({
      x: { data: x, dims: [1, N_MELS, T] }, mask: { data: new Float32Array(T), dims: [1, 1, T] }, t: { data: Float32Array.of(t), dims: [1] },
      action: { data: action, dims: [1, T, ACTION_DIM] }, visual: { data: visual, dims: [1, T, model.visualDim] },
      keep: { data: Float32Array.of(1, 1), dims: [1, 2] }, guidance: { data: Float32Array.of(g), dims: [1] },
    }))['velocity']!.data;
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + v[i]! / 2;
  }
  assert.ok(relativeError(late, model.denormalise(x, T)) <= 1e-6);
  await assert.rejects(model.generate({ ...req, guidanceFrom: 1.5 }), InvalidArgumentError);
});

test('conditioning of the wrong size is an InvalidArgumentError', async () => {
  await assert.rejects(model.generate({ actionMel: new Float32Array(10), visualMel: visual }), InvalidArgumentError);
  await assert.rejects(model.createStream().tick(action.subarray(0, N * ACTION_DIM), new Float32Array(3)), InvalidArgumentError);
});
