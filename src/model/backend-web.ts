/**
 * onnxruntime-web behind the same OnnxRunner interface as backend.ts (which is Node's): the WebGPU EP when the page
 * has a WebGPU adapter, the wasm EP otherwise. The caller imports the ort build it wants ('onnxruntime-web/wasm' or
 * 'onnxruntime-web/webgpu', which also runs the wasm EP) and hands it in, so this file pulls no runtime into a bundle.
 * Every runtime file (.mjs glue, .wasm) comes from `wasmPaths` on the page's own origin, never from a CDN.
 *
 * The WebGPU device is ours (made here, given to ort before its first WebGPU session), so that its loss can be
 * watched (`device.lost`) and, in tests, caused (`device.destroy()`).
 */
import type * as OrtWeb from 'onnxruntime-web';
import { BackendUnavailableError, ModelLoadError } from '../errors.js';
import type { FloatTensor, OnnxRunner } from './runner.js';

export type OrtWebModule = typeof OrtWeb;
export type WebEp = 'wasm' | 'webgpu';

export interface OrtWebSetup {
  /** Folder URL of onnxruntime-web's dist files (e.g. '/ort/'), or the exact glue/binary URLs. Same origin. */
  wasmPaths: string | { mjs: string; wasm: string };
  /** wasm intra-op threads (default 1: the other core is the audio's). Fixed at ort's first session. */
  threads?: number;
}

const configured = new WeakSet<object>();

/** Sets ort's environment once per module (ort reads it at its first session and ignores later changes). */
export function configureOrtWeb(ort: OrtWebModule, setup: OrtWebSetup): void {
  if (configured.has(ort.env)) return;
  configured.add(ort.env);
  ort.env.wasm.wasmPaths = setup.wasmPaths;
  ort.env.wasm.numThreads = setup.threads ?? 1;
  ort.env.wasm.proxy = false; // we already are in a Worker
  ort.env.logLevel = 'error';
}

/** The WebGPU device for ort, or null with the reason (no navigator.gpu, no adapter, requestDevice failed). */
export async function requestWebGpuDevice(): Promise<{ device: GPUDevice | null; reason: string }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return { device: null, reason: 'navigator.gpu is absent' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { device: null, reason: 'no WebGPU adapter' };
    // ort asks for the adapter's limits; a device with the defaults can refuse its buffers.
    const limits: Record<string, number> = {};
    for (const k of ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ']) {
      const v = (adapter.limits as unknown as Record<string, number>)[k];
      if (typeof v === 'number') limits[k] = v;
    }
    const features = (['shader-f16', 'timestamp-query', 'subgroups'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
    return { device: await adapter.requestDevice({ requiredLimits: limits, requiredFeatures: features }), reason: '' };
  } catch (e) {
    return { device: null, reason: `WebGPU device request failed: ${(e as Error).message}` };
  }
}

/** Gives ort the device for its WebGPU EP (before its first WebGPU session; later calls are ignored by ort). */
export function useWebGpuDevice(ort: OrtWebModule, device: GPUDevice): void {
  ort.env.webgpu.device = device;
}

/** Creates a session on one EP; a corrupt or unsupported graph is a ModelLoadError, a missing EP BackendUnavailableError. */
export async function createWebRunner(ort: OrtWebModule, bytes: Uint8Array, ep: WebEp, what: string, threads = 1): Promise<OnnxRunner> {
  let session: OrtWeb.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: [ep], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    });
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/backend|execution provider|webgpu/i.test(msg) && !/protobuf|parse|invalid model|load model/i.test(msg)) {
      throw new BackendUnavailableError(`onnxruntime-web's ${ep} EP is not available: ${msg}`, { cause: e });
    }
    throw new ModelLoadError(`cannot load ONNX model ${what} with onnxruntime-web (${ep}): ${msg}`, { cause: e });
  }
  return {
    backend: ep,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const ortFeeds: Record<string, OrtWeb.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', v.data, v.dims as number[]);
      const out = await session.run(ortFeeds);
      const res: Record<string, FloatTensor> = {};
      // getData() downloads WebGPU outputs; for wasm it is the data already there.
      for (const [k, v] of Object.entries(out)) res[k] = { data: (await v.getData()) as Float32Array, dims: v.dims };
      return res;
    },
    release: () => session.release(),
  };
}
