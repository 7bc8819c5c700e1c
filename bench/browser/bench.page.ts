/**
 * The browser bench page (served cross-origin isolated by the test rig, driven by bench/browser/driver.ts):
 * runs each case where the product would run it — DSP and ONNX in module Workers, playback in a real-time
 * AudioContext's AudioWorklet — and hands raw samples back. Exposes `window.hhBench` for playwright.
 */
import { ChunkRing } from '../../src/audio/chunk-ring.js';
import { PLAYBACK_PROCESSOR_NAME } from '../../src/audio/processor-names.js';
import { median } from './timing.js';
import type { BrowserCaseResult, BrowserInfo, WorkerReply, WorkerRequest, WorkletCaseRequest } from './protocol.js';

async function info(): Promise<BrowserInfo> {
  let webgpu: BrowserInfo['webgpu'] = { available: false, description: 'navigator.gpu absent', software: false };
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (gpu) {
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) webgpu = { available: false, description: 'no WebGPU adapter', software: false };
      else {
        const i = adapter.info;
        const description = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed adapter';
        const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
        webgpu = { available: true, description, software: fallback || /swiftshader|llvmpipe|lavapipe/i.test(description) };
      }
    } catch (e) {
      webgpu = { available: false, description: `requestAdapter failed: ${(e as Error).message}`, software: false };
    }
  }
  return { userAgent: navigator.userAgent, crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, webgpu };
}

/** Runs one request in a fresh module Worker (fresh: ort fixes its thread count at the first session). */
function inWorker(bundle: string, request: WorkerRequest, timeoutSec: number, transfer: Transferable[] = []): Promise<BrowserCaseResult> {
  const worker = new Worker(`/bundles/${bundle}.js`, { type: 'module' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<BrowserCaseResult>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`worker ${bundle} gave no answer in ${timeoutSec} s`)), timeoutSec * 1000);
    worker.onerror = (e) => reject(new Error(`worker ${bundle} failed: ${e.message}`));
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      if (e.data.type === 'result') resolve(e.data.result);
      else reject(new Error(`worker ${bundle}: ${e.data.message}`));
    };
    worker.postMessage(request, transfer);
  }).finally(() => { clearTimeout(timer); worker.terminate(); });
}

interface WorkletReport { blockMs: number[]; blocks: number; clock: string; sampleRate: number; spanMs: number }

/** A decaying tone burst, 64 ms per chunk, so the timeline places, fades and mixes real audio. */
function burst(samples: number, rate: number, phase0: number): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => 0.3 * Math.exp(-i / (0.05 * rate)) * Math.sin(2 * Math.PI * 440 * (i + phase0) / rate));
}

async function worklet(req: WorkletCaseRequest): Promise<BrowserCaseResult> {
  const ctx = new AudioContext({ sampleRate: req.sampleRateHz, latencyHint: 'interactive' });
  try {
    await ctx.resume();
    await ctx.audioWorklet.addModule('/bundles/bench-playback-worklet.js');
    const rate = ctx.sampleRate;
    const chunk = Math.round(0.064 * rate);
    const ring = ChunkRing.create({ capacityChunks: 32, maxChunkSamples: chunk });
    const node = new AudioWorkletNode(ctx, PLAYBACK_PROCESSOR_NAME, { outputChannelCount: [2], processorOptions: { ring: ring.buffer } });
    node.connect(ctx.destination);
    const sound = burst(chunk, rate, 0);
    // Producer: keep ~200 ms of chunks queued ahead of the playhead; every third chunk re-sends the previous
    // one's second half, as a regenerated prediction would, so crossfaded replacement is in the cost too.
    let next = Math.round((ctx.currentTime + 0.1) * rate);
    let pushed = 0;
    const feed = () => {
      while (next < Math.max(ring.playhead(), ctx.currentTime * rate) + 0.2 * rate) {
        if (pushed % 3 === 2) ring.push(next - chunk / 2, sound, chunk);
        if (!ring.push(next, sound, chunk)) break;
        next += chunk;
        pushed++;
      }
    };
    const timer = setInterval(feed, 10);
    feed();
    const t0 = ctx.currentTime;
    await new Promise((r) => setTimeout(r, req.seconds * 1000));
    clearInterval(timer);
    // Counters as feeding stops (the queued audio running out afterwards is the sound's end, not an underrun).
    const underruns = ring.underruns(), lateChunks = ring.lateChunks();
    const report = await new Promise<WorkletReport>((resolve) => {
      node.port.onmessage = (e: MessageEvent<WorkletReport & { type: string }>) => { if (e.data.type === 'bench-report') resolve(e.data); };
      node.port.postMessage({ type: 'bench-report' });
    });
    // Chromium's worklet scope has no fine clock: time batches of back-to-back blocks as well.
    const batch = await new Promise<{ perBlockMs: number[]; blocks: number }>((resolve) => {
      node.port.onmessage = (e: MessageEvent<{ type: string; perBlockMs: number[]; blocks: number }>) => { if (e.data.type === 'bench-batch') resolve(e.data); };
      node.port.postMessage({ type: 'bench-batch', blocks: req.batchBlocks, batches: req.batches });
    });
    const audioSec = ctx.currentTime - t0;
    const blockFrames = 128;
    const budgetMs = (blockFrames * 1000) / rate;
    const fine = report.clock === 'performance.now';
    const batchMedian = median(batch.perBlockMs);
    const realTime = {
      'budget (ms)': budgetMs, 'blocks/s': report.blocks / Math.max(1e-3, report.spanMs / 1000), 'underruns': underruns,
      'late chunks': lateChunks, 'baseLatency (ms)': ctx.baseLatency * 1000, 'chunks pushed': pushed,
    };
    return {
      rows: [
        {
          label: `process() per ${blockFrames}-frame block at ${rate / 1000} kHz, batches of ${batch.blocks}`,
          samplesMs: batch.perBlockMs,
          values: { 'median share of budget (%)': (100 * batchMedian) / budgetMs, ...(fine ? {} : realTime) },
        },
        ...(fine ? [{
          label: `process() per block, each block timed, real-time ${req.seconds} s`,
          samplesMs: report.blockMs,
          values: { 'median share of budget (%)': (100 * median(report.blockMs)) / budgetMs, ...realTime },
        }] : []),
      ],
      notes: [`worklet clock: ${report.clock}${fine ? '' : ' only (1 ms): per-block cost from timed batches'}`,
        `audio clock advanced ${audioSec.toFixed(2)} s in ${req.seconds} s wall`],
    };
  } finally {
    await ctx.close();
  }
}

const blobs = new Map<string, Promise<string>>();
/** A same-origin file as a blob URL (fetched once by the page). */
function blobUrl(path: string, type: string): Promise<string> {
  let p = blobs.get(path);
  if (!p) {
    p = fetch(path).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return URL.createObjectURL(new Blob([await r.arrayBuffer()], { type }));
    });
    blobs.set(path, p);
  }
  return p;
}

interface OrtPageRequest { ep: 'wasm' | 'webgpu'; threads: number; reps: number; manifestPath: string; timeoutSec: number }

/** onnxruntime-web's files and the model are fetched here, in the page, and handed to a fresh Worker. */
async function ort(req: OrtPageRequest): Promise<BrowserCaseResult> {
  const glue = req.ep === 'webgpu' ? 'ort-wasm-simd-threaded.asyncify' : 'ort-wasm-simd-threaded';
  const ortFiles = { mjs: await blobUrl(`/ort/${glue}.mjs`, 'text/javascript'), wasm: await blobUrl(`/ort/${glue}.wasm`, 'application/wasm') };
  const manifestText = await (await fetch(req.manifestPath)).text();
  const tickFile = (JSON.parse(manifestText) as { files: { tick: string } }).files.tick;
  const tickBytes = await (await fetch(new URL(tickFile, new URL(req.manifestPath, location.href)))).arrayBuffer();
  return inWorker(req.ep === 'webgpu' ? 'bench-ort-webgpu-worker' : 'bench-ort-wasm-worker',
    { type: 'ort', ep: req.ep, threads: req.threads, reps: req.reps, ortFiles, manifestText, tickBytes }, req.timeoutSec, [tickBytes]);
}

const api = {
  ready: true,
  info,
  dsp: (reps: number) => inWorker('bench-dsp-worker', { type: 'dsp', reps }, 300),
  ort,
  worklet,
};
declare global { interface Window { hhBench: typeof api } }
window.hhBench = api;
