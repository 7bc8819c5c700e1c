import '../helpers/web-audio-globals.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfflineAudioContext, OscillatorNode, GainNode } from 'node-web-audio-api';
import { HandFrame } from '../../src/hand/hand-frame.js';
import type { VoicePanning } from '../../src/audio/output-chain.js';
import { bundleForTest } from '../helpers/bundle.js';

const { HandVoices } = await import('../../src/runtime/browser/hand-voices.js');
const rate = 48000;
const playbackModule = await bundleForTest(new URL('../../src/audio/playback-processor.ts', import.meta.url));

const energy = (x: Float32Array) => x.reduce((e, v) => e + v * v, 0);

/** Renders a tone through per-hand voices after `hand` struck; the left index fingertip is 0.5 m left, the right 0.5 m right. */
async function render(hand: 0 | 1, perHand = true, gain = 0.3, panningModel: VoicePanning = 'HRTF') {
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: rate / 4, sampleRate: rate });
  await ctx.audioWorklet.addModule(playbackModule); // the spherical-head panner's processor
  const osc = new OscillatorNode(ctx, { frequency: 700 });
  const g = new GainNode(ctx, { gain });
  osc.connect(g);
  const voices = new HandVoices({
    context: ctx as unknown as AudioContext, source: g as unknown as AudioNode, destination: ctx.destination as unknown as AudioNode,
    perHand, panningModel, limiterDb: -1,
  });
  voices.chain.setListener({ x: 0, y: 1.6, z: 0 });
  const f = new HandFrame();
  f.timeSec = 1;
  for (const [h, x] of [[0, -0.5], [1, 0.5]] as const) {
    f.valid[h] = 1;
    for (let k = 0; k < 21; k++) { f.keypointsM[h * 63 + k * 3] = x; f.keypointsM[h * 63 + k * 3 + 1] = 1.6; f.keypointsM[h * 63 + k * 3 + 2] = -0.2; }
  }
  voices.contact(hand);
  voices.follow(f);
  osc.start(0);
  const out = await ctx.startRendering();
  voices.dispose();
  // Past the 15 ms handover.
  return { left: out.getChannelData(0).subarray(rate / 20), right: out.getChannelData(1).subarray(rate / 20) };
}

for (const panning of ['HRTF', 'spherical-head'] as const) {
  test(`per-hand voices: the sound is placed at the hand that struck (${panning}), and limited`, async () => {
    const l = await render(0, true, 0.3, panning);
    assert.ok(energy(l.left) > 1.5 * energy(l.right), `left hand: ${energy(l.left)} vs ${energy(l.right)}`);
    const r = await render(1, true, 0.3, panning);
    assert.ok(energy(r.right) > 1.5 * energy(r.left), `right hand: ${energy(r.right)} vs ${energy(r.left)}`);
    const loud = await render(1, true, 30, panning);
    const peak = Math.max(...loud.left.map(Math.abs), ...loud.right.map(Math.abs));
    assert.ok(peak <= 1 && peak > 0.3, `peak ${peak}`);
  });

  test(`one voice (perHand false) follows the hand that struck last (${panning})`, async () => {
    const l = await render(0, false, 0.3, panning);
    assert.ok(energy(l.left) > 1.5 * energy(l.right));
    const r = await render(1, false, 0.3, panning);
    assert.ok(energy(r.right) > 1.5 * energy(r.left));
  });
}
