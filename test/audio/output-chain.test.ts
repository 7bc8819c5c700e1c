import '../helpers/web-audio-globals.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext, OscillatorNode, GainNode } from 'node-web-audio-api';
import { InvalidArgumentError } from '../../src/errors.js';

const { OutputChain } = await import('../../src/audio/output-chain.js');
const rate = 48000;

function energy(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return e;
}

async function renderVoice(position: { x: number; y: number; z: number }, gain = 0.3) {
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: rate / 4, sampleRate: rate });
  const chain = new OutputChain({ context: ctx as unknown as BaseAudioContext });
  const osc = new OscillatorNode(ctx, { frequency: 700 });
  const g = new GainNode(ctx, { gain });
  osc.connect(g);
  chain.connectVoice(1, g as unknown as AudioNode);
  chain.setListener({ x: 0, y: 1.6, z: 0 });
  chain.setVoicePosition(1, { x: position.x, y: 1.6 + position.y, z: position.z });
  osc.start(0);
  const out = await ctx.startRendering();
  chain.dispose();
  return { left: out.getChannelData(0), right: out.getChannelData(1) };
}

test('a hand to the listener\'s left is louder in the left ear, and to the right in the right ear (HRTF)', async () => {
  const left = await renderVoice({ x: -0.5, y: 0, z: -0.2 });
  assert.ok(energy(left.left) > 1.5 * energy(left.right), `${energy(left.left)} vs ${energy(left.right)}`);
  const right = await renderVoice({ x: 0.5, y: 0, z: -0.2 });
  assert.ok(energy(right.right) > 1.5 * energy(right.left));
});

test('the limiter keeps a very loud voice below full scale', async () => {
  const { left, right } = await renderVoice({ x: 0, y: 0, z: -0.3 }, 20);
  let peak = 0;
  for (let i = rate / 20; i < left.length; i++) peak = Math.max(peak, Math.abs(left[i]!), Math.abs(right[i]!));
  assert.ok(peak <= 1.0, `peak ${peak}`);
  assert.ok(peak > 0.3, 'still loud');
});

test('bad voices and positions: typed errors, non-finite positions ignored', () => {
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: 128, sampleRate: rate });
  const chain = new OutputChain({ context: ctx as unknown as BaseAudioContext, voices: 2 });
  assert.throws(() => chain.setVoicePosition(2, { x: 0, y: 0, z: 0 }), InvalidArgumentError);
  chain.setVoicePosition(0, { x: NaN, y: 0, z: 0 });
  chain.dispose();
  assert.throws(() => chain.setVoicePosition(0, { x: 0, y: 0, z: 0 }), InvalidArgumentError);
  assert.throws(() => new OutputChain({ context: ctx as unknown as BaseAudioContext, voices: 0 }), InvalidArgumentError);
});
