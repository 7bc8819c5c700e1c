/**
 * The one interface every ONNX backend implements (onnxruntime-node in Node, onnxruntime-web's wasm and WebGPU
 * EPs in a browser Worker), so FlowModel, MelStream and ModelGenerator run unchanged on any of them. Types only:
 * importing this file pulls no runtime into a bundle.
 */

/** Where a runner computes: onnxruntime-node's CPU EP, onnxruntime-web's wasm EP, or its WebGPU EP. */
export type RunnerBackend = 'node' | 'wasm' | 'webgpu';

export interface FloatTensor { readonly data: Float32Array; readonly dims: readonly number[] }

export interface OnnxRunner {
  readonly backend: RunnerBackend;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>>;
  release(): Promise<void>;
}

export interface BackendOptions {
  /** Intra-op threads (wasm: set once, before the first wasm session). Default 1: one core per stream. */
  threads?: number;
}

/** Makes a runner from ONNX bytes (`what` names the graph in errors). */
export type RunnerFactory = (bytes: Uint8Array, what: string) => Promise<OnnxRunner>;
