/**
 * One streaming tick of the shipped flow model in onnxruntime-web, as src/model/mel-stream.ts runs it (the
 * tick graph: K Euler steps on the newest 4 frames + the state update, one session.run), with the states fed back
 * between ticks. The session is this bench's own (a given EP and thread count); its feeds are MelStream's (tickFeeds).
 */
import type * as Ort from 'onnxruntime-web';
import { parseManifest, ACTION_DIM, N_MELS } from '../../src/model/manifest.js';
import { tickFeeds, zeroTickStates } from '../../src/model/mel-stream.js';
import type { BrowserCaseResult, OrtCaseRequest } from './protocol.js';
import { median, noise, sampleAsync } from './timing.js';

type OrtModule = typeof Ort;

export async function ortTickCase(ort: OrtModule, req: OrtCaseRequest): Promise<BrowserCaseResult> {
  ort.env.wasm.wasmPaths = req.ortFiles;
  ort.env.wasm.numThreads = req.threads;
  const manifest = parseManifest(req.manifestText, 'manifest');
  const bytes = new Uint8Array(req.tickBytes);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: [req.ep], intraOpNumThreads: req.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const createMs = performance.now() - t0;
  const frames = manifest.stream.chunkFrames;
  const visualDim = manifest.conditioning.visualDim;
  const t = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
  let states: Float32Array[] = zeroTickStates(manifest);
  const action = noise(frames * ACTION_DIM, 0.1, 7), visual = noise(frames * visualDim, 1, 8), keep = Float32Array.of(1, 1);
  let seed = 1;
  let finite = true;
  const tick = async () => {
    const feeds = tickFeeds(manifest, noise(N_MELS * frames, 1.7, seed++), action, visual, visualDim, keep, manifest.sampling.fewGuidance, states);
    const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, t(v.data, [...v.dims])])));
    states = manifest.stream.stateShapes.map((_, i) => out[`next_state_${i}`]!.data as Float32Array);
    const mel = out['mel']!.data as Float32Array;
    for (let i = 0; i < mel.length; i++) if (!Number.isFinite(mel[i]!)) { finite = false; break; }
  };
  const samplesMs = await sampleAsync(tick, req.reps, Math.min(10, Math.max(2, req.reps >> 3)));
  await session.release();
  const chunkMs = (frames * manifest.features.hop * 1000) / manifest.features.sampleRate;
  const what = req.ep === 'wasm' ? `wasm, ${req.threads} thread${req.threads > 1 ? 's' : ''}` : 'WebGPU';
  return {
    rows: [{
      label: `ort-web ${what}: streaming tick (${frames} frames = ${chunkMs} ms, ${manifest.stream.tickSteps} steps)`,
      samplesMs,
      values: { 'real-time factor': median(samplesMs) / chunkMs, 'session create (ms)': createMs, 'outputs finite': finite ? 'yes' : 'NO' },
    }],
    notes: [`${manifest.name}: ${(bytes.length / 2 ** 20).toFixed(2)} MiB tick graph`],
  };
}
