/**
 * Messages between the browser bench's driver (Node, playwright), its page and its Workers. Every case answers
 * with rows of raw samples (ms) plus extra figures; the driver turns them into BenchSections.
 */
export interface BrowserRow {
  label: string;
  /** Raw per-call times in ms (absent for rows that only carry values). */
  samplesMs?: number[];
  values?: Record<string, number | string>;
}

export interface BrowserCaseResult {
  rows: BrowserRow[];
  /** Facts about the environment the case found (adapter, clock resolution, …). */
  notes: string[];
}

export interface DspCaseRequest { type: 'dsp'; reps: number }
export interface OrtCaseRequest {
  type: 'ort';
  /** 'wasm' with 1 or 2 threads (set before the first session of that Worker), or 'webgpu'. */
  ep: 'wasm' | 'webgpu';
  threads: number;
  reps: number;
  /** Blob URLs of onnxruntime-web's glue module and wasm binary (made by the page: blob Workers inherit its isolation). */
  ortFiles: { mjs: string; wasm: string };
  /** The model manifest's text and its tick graph's bytes, fetched by the page. */
  manifestText: string;
  tickBytes: ArrayBuffer;
}
export type WorkerRequest = DspCaseRequest | OrtCaseRequest;
export type WorkerReply = { type: 'result'; result: BrowserCaseResult } | { type: 'error'; message: string };

export interface WorkletCaseRequest {
  seconds: number;
  sampleRateHz: number;
  /** Back-to-back process() calls per timed batch (the worklet scope's clock is coarse), and how many batches. */
  batchBlocks: number;
  batches: number;
}

export interface BrowserInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** WebGPU adapter description, or why there is none. */
  webgpu: { available: boolean; description: string; software: boolean };
}
