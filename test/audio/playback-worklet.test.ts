import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext, AudioWorkletNode } from 'node-web-audio-api';
import { ChunkRing } from '../../src/audio/chunk-ring.js';
import { PLAYBACK_PROCESSOR_NAME } from '../../src/audio/processor-names.js';
import { bundleForTest } from '../helpers/bundle.js';

const processor = await bundleForTest(new URL('../../src/audio/playback-processor.ts', import.meta.url));
const rate = 48000;

function maxStep(x: Float32Array, from = 1, to = x.length): number {
  let m = 0;
  for (let i = Math.max(1, from); i < to; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
}

async function renderWith(ring: ChunkRing, seconds: number): Promise<Float32Array> {
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: Math.round(rate * seconds), sampleRate: rate });
  await ctx.audioWorklet.addModule(processor);
  const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR_NAME, {
    outputChannelCount: [1],
    processorOptions: { ring: ring.buffer },
  });
  node.connect(ctx.destination);
  const buffer = await ctx.startRendering();
  return buffer.getChannelData(0);
}

test('real AudioWorklet: chunks land on their audio-clock frames, join without clicks, end with a fade', async () => {
  const ring = ChunkRing.create({ capacityChunks: 64, maxChunkSamples: 3072 });
  // A decaying 440 Hz "contact" split into 64 ms chunks (3072 frames), starting at frame 4800 (100 ms).
  const total = 3072 * 5;
  const sound = Float32Array.from({ length: total }, (_, i) => 0.6 * Math.exp(-i / 6000) * Math.sin((2 * Math.PI * 440 * i) / rate));
  for (let c = 0; c < 5; c++) assert.ok(ring.push(4800 + c * 3072, sound.subarray(c * 3072, (c + 1) * 3072)));
  const y = await renderWith(ring, 0.5);
  for (let i = 0; i < 4800; i++) assert.equal(y[i], 0, `silence before the contact (frame ${i})`);
  // Identical to the source between the 48-frame fade-in and the 96-frame final fade-out.
  let maxErr = 0;
  for (let i = 48; i < total - 96; i++) maxErr = Math.max(maxErr, Math.abs(y[4800 + i]! - sound[i]!));
  assert.ok(maxErr < 1e-6, `deviation ${maxErr}`);
  assert.ok(maxStep(y) <= 2 * maxStep(sound), `max step ${maxStep(y)} vs source ${maxStep(sound)}`);
  for (let i = 4800 + total; i < y.length; i++) assert.equal(y[i], 0);
  assert.equal(ring.underruns(), 1, 'the end of the sound counts once');
  assert.ok(ring.playhead() >= y.length - 128);
});

test('real AudioWorklet: a regenerated chunk replaces an anticipated one with a crossfade; late chunks are counted', async () => {
  const ring = ChunkRing.create({ capacityChunks: 8, maxChunkSamples: 9600 });
  const anticipated = Float32Array.from({ length: 9600 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 300 * i) / rate));
  const regenerated = Float32Array.from({ length: 4800 }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 500 * i) / rate + 1));
  assert.ok(ring.push(2400, anticipated));
  assert.ok(ring.push(4800, regenerated)); // replaces frames 4800…9600 of the anticipated audio
  assert.ok(ring.push(-20000, anticipated)); // entirely in the past
  const y = await renderWith(ring, 0.3);
  const xf = Math.round(0.005 * rate);
  for (let i = xf; i < 4800 - xf; i++) assert.ok(Math.abs(y[4800 + i]! - regenerated[i]!) < 1e-6);
  const bound = 2 * Math.max(maxStep(anticipated), maxStep(regenerated));
  assert.ok(maxStep(y) <= bound, `max step ${maxStep(y)} > ${bound}`);
  assert.equal(ring.lateChunks(), 1);
});

test('real AudioWorklet: the limiter (no look-ahead) passes quiet sound unchanged and unshifted, and keeps a loud one at its threshold', async () => {
  const { LIMITER_PROCESSOR_NAME } = await import('../../src/audio/processor-names.js');
  const { AudioBuffer, AudioBufferSourceNode } = await import('node-web-audio-api');
  const n = rate / 4;
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: n, sampleRate: rate });
  await ctx.audioWorklet.addModule(processor);
  const input = Float32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0.3 : 3) * Math.sin((2 * Math.PI * 220 * i) / rate));
  const buf = new AudioBuffer({ numberOfChannels: 1, length: n, sampleRate: rate });
  buf.copyToChannel(input, 0);
  const src = new AudioBufferSourceNode(ctx, { buffer: buf });
  const limiter = new AudioWorkletNode(ctx, LIMITER_PROCESSOR_NAME, {
    numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit', processorOptions: { thresholdDb: -1 },
  });
  src.connect(limiter); limiter.connect(ctx.destination); src.start();
  const out = await ctx.startRendering();
  const l = out.getChannelData(0), r = out.getChannelData(1);
  for (let i = 0; i < n / 2; i++) assert.ok(Math.abs(l[i]! - input[i]!) < 1e-6 && Math.abs(r[i]! - input[i]!) < 1e-6, `quiet part unchanged at ${i}`);
  let peak = 0;
  for (let i = n / 2; i < n; i++) peak = Math.max(peak, Math.abs(l[i]!));
  assert.ok(peak <= 10 ** (-1 / 20) + 1e-6 && peak > 0.5, `loud part peak ${peak}`);
  assert.ok(maxStep(l) < 0.2, `no jump: ${maxStep(l)}`);
});

test('the limiter\'s soft knee: unity below it, the threshold above it, no corner in level or slope between', async () => {
  const { softKneeGain } = await import('../../src/audio/soft-knee.js');
  const thr = -1, knee = 6;
  const out = (db: number) => db + 20 * Math.log10(softKneeGain(10 ** (db / 20), thr, knee));
  assert.equal(softKneeGain(10 ** (-4.01 / 20), thr, knee), 1);
  assert.ok(Math.abs(out(2) - thr) < 1e-9 && Math.abs(out(20) - thr) < 1e-9, 'at and above the knee the output sits at the threshold');
  for (let db = -10; db < 10; db += 0.01) {
    assert.ok(out(db) <= thr + 1e-9, `over the threshold at ${db} dB`);
    const slope = (out(db + 0.001) - out(db)) / 0.001, next = (out(db + 0.011) - out(db + 0.01)) / 0.001;
    assert.ok(slope >= -1e-6 && Math.abs(next - slope) < 0.01, `the output level's slope jumps at ${db.toFixed(2)} dB: ${slope} → ${next}`);
  }
});

test('real AudioWorklet: a tone swelling past the threshold is limited with half the corner of a hard knee, under the click detector\'s floor', async () => {
  const { LIMITER_PROCESSOR_NAME } = await import('../../src/audio/processor-names.js');
  const { AudioBuffer, AudioBufferSourceNode } = await import('node-web-audio-api');
  const n = rate / 4;
  // A tone that swells fast (0.5 → 1.5 over 2 ms, as a strike's modes beating), left louder than right, as a hand
  // beside the head: the right channel is limited by the left's peaks.
  const swell = (i: number) => { const u = Math.min(1, Math.max(0, (i - 0.1 * rate) / (0.002 * rate))); return 0.5 + 0.5 * (1 - Math.cos(Math.PI * u)); };
  const left = Float32Array.from({ length: n }, (_, i) => swell(i) * Math.sin((2 * Math.PI * 220 * i) / rate));
  const right = left.map((x) => 0.6 * x);
  const secondDiff = (x: Float32Array) => { let m = 0; for (let i = 1; i < x.length - 1; i++) m = Math.max(m, Math.abs(x[i + 1]! - 2 * x[i]! + x[i - 1]!)); return m; };
  const corners: number[] = [];
  for (const kneeDb of [6, 0]) {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: n, sampleRate: rate });
    await ctx.audioWorklet.addModule(processor);
    const buf = new AudioBuffer({ numberOfChannels: 2, length: n, sampleRate: rate });
    buf.copyToChannel(left, 0); buf.copyToChannel(right, 1);
    const src = new AudioBufferSourceNode(ctx, { buffer: buf });
    const limiter = new AudioWorkletNode(ctx, LIMITER_PROCESSOR_NAME, {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 2, channelCountMode: 'explicit', processorOptions: { thresholdDb: -1, kneeDb },
    });
    src.connect(limiter); limiter.connect(ctx.destination); src.start();
    const out = await ctx.startRendering();
    const l = out.getChannelData(0), r = out.getChannelData(1);
    let peak = 0;
    for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(l[i]!));
    assert.ok(peak <= 10 ** (-1 / 20) + 1e-6 && peak > 0.8, `knee ${kneeDb} dB: peak ${peak}`);
    corners.push(Math.max(secondDiff(l), secondDiff(r)));
  }
  // The source's own largest second difference is ~0.0016; the hard knee's corner ~0.023, over the click detector's
  // 0.02 floor (src/runtime/clicks.ts); the soft knee's ~0.011.
  const [soft, hard] = corners as [number, number];
  console.log(`limiter corners (largest second difference): soft knee ${soft.toFixed(4)}, hard knee ${hard.toFixed(4)}, source ${secondDiff(left).toFixed(4)}`);
  assert.ok(hard > 0.02, `the hard knee is expected to make a corner: ${hard}`);
  assert.ok(soft < 0.55 * hard && soft < 0.6 * 0.02, `soft knee corner ${soft} (hard ${hard})`);
});
