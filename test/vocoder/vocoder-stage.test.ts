import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { VocoderStage } from '../../src/vocoder/vocoder-stage.js';
import { InvalidArgumentError } from '../../src/errors.js';

const dsp = await Dsp.create();

function impacts(n: number, at: number[]): Float32Array {
  const x = new Float32Array(n);
  for (const a of at) for (let i = 0; i < 4000 && a + i < n; i++) x[a + i]! += 0.5 * Math.exp(-i / 500) * Math.sin(i * 0.5);
  return x;
}

test('log-mel chunks → 48 kHz PCM: contiguous chunks, onsets where the source had them', () => {
  const truth = [3000, 11000, 19500];
  const x = impacts(24000, truth);
  const mel = dsp.mel(x);
  const frames = mel.length / 80;
  const stage = new VocoderStage(dsp, { outputRate: 48000, maxChunkFrames: 4 });
  const parts: number[] = [];
  for (let f = 0; f < frames; f += 4) {
    const chunk = stage.pushMel(mel.subarray(f * 80, Math.min(frames, f + 4) * 80));
    assert.equal(chunk.startSample, parts.length, 'chunks are contiguous');
    parts.push(...chunk.samples);
  }
  const tail = stage.flush();
  assert.equal(tail.startSample, parts.length);
  parts.push(...tail.samples);
  const y = Float32Array.from(parts);
  assert.ok(y.length >= x.length * 3);
  // Back to 16 kHz to measure onsets against the source's.
  const back = dsp.resample(y, 48000, 16000).subarray(0, x.length);
  const found = dsp.onsets(back);
  assert.equal(found.length, truth.length, `onsets ${Array.from(found)}`);
  // Within one hop (16 ms): attack gating in the streaming Griffin-Lim keeps mel inversion's pre-echo out.
  for (let i = 0; i < truth.length; i++) {
    assert.ok(Math.abs(found[i]! - truth[i]! / 16000) <= 0.016, `onset ${found[i]} for a contact at ${truth[i]! / 16000}`);
  }
  assert.ok(stage.latencySec > 0.015 && stage.latencySec < 0.02, `latency ${stage.latencySec}`);
});

test('at the model rate no resampler is used, and bad rates are refused', () => {
  const stage = new VocoderStage(dsp, { outputRate: 16000 });
  assert.equal(stage.latencySec, (512 - 256) / 16000);
  assert.throws(() => new VocoderStage(dsp, { outputRate: 44100.5 }), InvalidArgumentError);
});
