// The low-latency binaural panner (spherical-head model): its formulas, and the real AudioWorklet in the real output
// chain (node-web-audio-api): no latency at the nearer ear, the interaural delay and head shadow at the farther one,
// and no clicks while the hand sweeps from one side to the other.
import '../helpers/web-audio-globals.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext, AudioBuffer, AudioBufferSourceNode, AudioWorkletNode, OscillatorNode } from 'node-web-audio-api';
import { BINAURAL_PROCESSOR_NAME } from '../../src/audio/processor-names.js';
import { earDelaySec, headRelative, headShadowAlpha, headShadowCoefficients, HEAD_RADIUS_M, SPEED_OF_SOUND_MPS } from '../../src/audio/spherical-head.js';
import { bundleForTest } from '../helpers/bundle.js';

const { OutputChain, createLimiterNode } = await import('../../src/audio/output-chain.js');
const playbackModule = await bundleForTest(new URL('../../src/audio/playback-processor.ts', import.meta.url));
const rate = 48000;
const A = HEAD_RADIUS_M / SPEED_OF_SOUND_MPS;

test('spherical head: Woodworth delays, head-shadow gains, a stable unit-DC filter, the lateral angle from poses', () => {
  assert.equal(earDelaySec(1), 0);
  assert.ok(Math.abs(earDelaySec(0) - A) < 1e-12);
  assert.ok(Math.abs(earDelaySec(-1) - A * (1 + Math.PI / 2)) < 1e-12);
  assert.ok(earDelaySec(-0.5) > earDelaySec(0) && earDelaySec(0) > earDelaySec(0.5), 'monotonic');
  assert.ok(Math.abs(headShadowAlpha(1) - 2) < 1e-12);
  assert.ok(Math.abs(headShadowAlpha(Math.cos((150 * Math.PI) / 180)) - 0.1) < 1e-12);
  for (const alpha of [0.1, 1, 2]) {
    const { b0, b1, a1 } = headShadowCoefficients(alpha, rate);
    assert.ok(Math.abs(a1) < 1, 'stable');
    assert.ok(Math.abs((b0 + b1) / (1 + a1) - 1) < 1e-12, 'DC gain 1');
    assert.ok(Math.abs((b0 - b1) / (1 - a1) - alpha) < 1e-12, 'Nyquist gain α');
  }
  const head = { x: 0, y: 1.6, z: 0 }, forward = { x: 0, y: 0, z: -1 }, up = { x: 0, y: 1, z: 0 };
  assert.ok(Math.abs(headRelative({ x: 0.5, y: 1.6, z: 0 }, head, forward, up).lateral - 1) < 1e-12, 'right');
  assert.ok(Math.abs(headRelative({ x: -0.5, y: 1.6, z: 0 }, head, forward, up).lateral + 1) < 1e-12, 'left');
  assert.ok(Math.abs(headRelative({ x: 0, y: 1.2, z: -0.4 }, head, forward, up).lateral) < 1e-12, 'ahead and below: the median plane');
  // Turned to face +x, a hand at +x is ahead, and one at −z is to the left.
  assert.ok(Math.abs(headRelative({ x: 0.5, y: 1.6, z: 0 }, head, { x: 1, y: 0, z: 0 }, up).lateral) < 1e-12);
  assert.ok(Math.abs(headRelative({ x: 0, y: 1.6, z: -0.5 }, head, { x: 1, y: 0, z: 0 }, up).lateral + 1) < 1e-12);
  assert.equal(headRelative({ x: 1, y: 1, z: 1 }, head, { x: 0, y: 1, z: 0 }, up).lateral, NaN, 'forward along up: no right');
});

/** Renders `source` (a node factory) through voice 0 of the chain placed at `position` (listener at the origin, facing −z). */
async function render(panningModel: 'spherical-head' | 'HRTF', position: { x: number; y: number; z: number }, source: (ctx: OfflineAudioContext) => AudioNode, seconds = 0.1,
  forward = { x: 0, y: 0, z: -1 }) {
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: Math.round(rate * seconds), sampleRate: rate });
  await ctx.audioWorklet.addModule(playbackModule);
  const chain = new OutputChain({ context: ctx as unknown as BaseAudioContext, voices: 1, panningModel, limiter: createLimiterNode(ctx as unknown as BaseAudioContext) });
  chain.setListener({ x: 0, y: 0, z: 0 }, forward);
  chain.setVoicePosition(0, position);
  chain.connectVoice(0, source(ctx) as unknown as AudioNode);
  const out = await ctx.startRendering();
  chain.dispose();
  return { left: out.getChannelData(0), right: out.getChannelData(1) };
}

const IMPULSE_AT = 1000;
function impulse(ctx: OfflineAudioContext): AudioNode {
  const buffer = new AudioBuffer({ length: 2000, sampleRate: rate, numberOfChannels: 1 });
  buffer.getChannelData(0)[IMPULSE_AT] = 0.5;
  const src = new AudioBufferSourceNode(ctx, { buffer });
  src.start(0);
  return src as unknown as AudioNode;
}
const firstAbove = (x: Float32Array, level: number) => x.findIndex((v) => Math.abs(v) > level);
const energy = (x: Float32Array) => x.reduce((e, v) => e + v * v, 0);
/** Energy of the first difference: the high frequencies. */
const hfEnergy = (x: Float32Array) => { let e = 0; for (let i = 1; i < x.length; i++) e += (x[i]! - x[i - 1]!) ** 2; return e; };

test('real AudioWorklet: the nearer ear hears an impulse at once, the farther one the interaural delay later, shadowed', async () => {
  const { left, right } = await render('spherical-head', { x: 0.4, y: 0, z: 0 }, impulse); // to the right, 0.4 m
  const r0 = firstAbove(right, 1e-3), l0 = firstAbove(left, 1e-3);
  assert.equal(r0, IMPULSE_AT, 'no latency at the nearer ear');
  const itd = (l0 - r0) / rate;
  assert.ok(Math.abs(itd - A * (1 + Math.PI / 2)) < 0.1e-3, `ITD ${(itd * 1e3).toFixed(3)} ms`);
  assert.ok(energy(right) > 4 * energy(left), 'louder at the nearer ear');
  const brightness = (x: Float32Array) => hfEnergy(x) / energy(x);
  assert.ok(brightness(right) > 2 * brightness(left), `the farther ear is darker (head shadow): ${brightness(right)} vs ${brightness(left)}`);
  // The same impulse straight ahead: both ears alike, at once.
  const ahead = await render('spherical-head', { x: 0, y: -0.3, z: -0.3 }, impulse);
  assert.equal(firstAbove(ahead.left, 1e-3), IMPULSE_AT);
  assert.equal(firstAbove(ahead.right, 1e-3), IMPULSE_AT);
  for (let i = 0; i < ahead.left.length; i++) assert.ok(Math.abs(ahead.left[i]! - ahead.right[i]!) < 1e-6);
  // The head turned to face +x: the hand that was ahead (−z) is now on the left.
  const turned = await render('spherical-head', { x: 0, y: 0, z: -0.4 }, impulse, 0.1, { x: 1, y: 0, z: 0 });
  assert.equal(firstAbove(turned.left, 1e-3), IMPULSE_AT);
  assert.ok(firstAbove(turned.right, 1e-3) > IMPULSE_AT + 20, 'the right ear hears it later');
});

test('real AudioWorklet: a hand sweeping from left to right in 0.3 s (90 Hz steps) moves the sound across without a click', async () => {
  const seconds = 0.5;
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: Math.round(rate * seconds), sampleRate: rate });
  await ctx.audioWorklet.addModule(playbackModule);
  const node = new AudioWorkletNode(ctx, BINAURAL_PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [2], channelCount: 1, channelCountMode: 'explicit' });
  const lateral = (node.parameters as unknown as Map<string, AudioParam>).get('lateral')!;
  // As the main thread sets it: a step per hand frame (90 Hz), from the far left to the far right.
  lateral.setValueAtTime(-1, 0);
  for (let k = 1; k <= 27; k++) lateral.setValueAtTime(-1 + (2 * k) / 27, 0.1 + k / 90);
  const osc = new OscillatorNode(ctx, { frequency: 500 });
  osc.connect(node as unknown as AudioNode);
  node.connect(ctx.destination);
  osc.start(0);
  const out = await ctx.startRendering();
  const left = out.getChannelData(0), right = out.getChannelData(1);
  const part = (x: Float32Array, from: number, to: number) => energy(x.subarray(Math.round(from * rate), Math.round(to * rate)));
  // At 500 Hz the head shadows little (the model's ILD there: ~2 dB, as measured on real heads).
  assert.ok(part(left, 0.02, 0.1) > 1.4 * part(right, 0.02, 0.1), 'left first');
  assert.ok(part(right, 0.45, 0.5) > 1.4 * part(left, 0.45, 0.5), 'right at the end');
  // A 500 Hz sine of amplitude ≤ 2 (the nearer ear's gain) has second differences ≤ 2 (2π·500/48000)² ≈ 0.0086: a
  // step or a kink from a parameter jump would exceed that by far.
  for (const [name, x] of [['left', left], ['right', right]] as const) {
    let worst = 0;
    for (let i = 2 + Math.round(0.01 * rate); i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - 2 * x[i - 1]! + x[i - 2]!));
    assert.ok(worst < 0.012, `${name}: largest second difference ${worst}`);
  }
});
