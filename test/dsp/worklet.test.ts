import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTsWorker } from '../helpers/ts-worker.js';
import { bundleForTest } from '../helpers/bundle.js';
import { OfflineAudioContext, AudioWorkletNode } from 'node-web-audio-api';

test('DSP core runs inside a real AudioWorklet (sync instantiation, streaming resampler)', async () => {
  const bundle = await bundleForTest(new URL('./worklet/dsp-probe-processor.ts', import.meta.url));
  const rate = 48000;
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: rate / 2, sampleRate: rate });
  await ctx.audioWorklet.addModule(bundle);
  const node = new AudioWorkletNode(ctx, 'dsp-probe', { outputChannelCount: [1] });
  const ready = new Promise<{ latency: number }>((resolve) => { node.port.onmessage = (e: MessageEvent) => resolve(e.data); });
  node.connect(ctx.destination);
  const rendered = await ctx.startRendering();
  const { latency } = await ready;
  const y = rendered.getChannelData(0);
  // The output is the 1 kHz tone at 48 kHz, sample-aligned: the lookahead (latency) delays when an output can be
  // computed, not where it sits in the stream.
  assert.ok(latency > 0);
  const delay = 0;
  let maxErr = 0;
  for (let i = 2000; i < y.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * (i - delay)) / rate)));
  }
  assert.ok(maxErr < 1e-3, `worklet output deviates by ${maxErr}`);
});

test('DSP core runs in a Worker thread', async () => {
  const worker = startTsWorker(new URL('./worklet/mel-worker.ts', import.meta.url));
  const fromWorker = await new Promise<number[]>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  await worker.terminate();
  const { Dsp } = await import('../../src/dsp/index.js');
  const dsp = await Dsp.create();
  const x = new Float32Array(4000).map((_, i) => Math.sin(i / 5));
  assert.deepEqual(fromWorker, Array.from(dsp.mel(x).subarray(0, 8)));
});
