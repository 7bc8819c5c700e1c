/**
 * ONNX backends behind one small interface: onnxruntime-node (native CPU, Node only) and onnxruntime-web
 * (wasm; in Node too). Both are loaded lazily. Browser code never imports this file: it uses backend-web.ts with
 * an onnxruntime-web build it imports itself (and flow-model.ts reaches this file only through a dynamic import
 * that bundlers do not follow).
 */
import { ModelLoadError } from '../errors.js';
import type { BackendOptions, FloatTensor, OnnxRunner } from './runner.js';

export type { BackendOptions, FloatTensor, OnnxRunner, RunnerBackend, RunnerFactory } from './runner.js';
/** The backends this module can make (the browser's WebGPU EP lives in backend-web.ts). */
export type BackendName = 'node' | 'wasm';

type OrtModule = typeof import('onnxruntime-common');
const modules = new Map<BackendName, Promise<OrtModule>>();

async function loadModule(backend: BackendName, threads: number): Promise<OrtModule> {
  let p = modules.get(backend);
  if (!p) {
    p = (async () => {
      if (backend === 'node') return (await import('onnxruntime-node')) as unknown as OrtModule;
      const ort = (await import('onnxruntime-web')) as unknown as OrtModule;
      ort.env.wasm.numThreads = threads;
      return ort;
    })();
    modules.set(backend, p);
  }
  try { return await p; } catch (e) {
    modules.delete(backend);
    throw new ModelLoadError(`ONNX backend '${backend}' is not available: ${(e as Error).message}`, { cause: e });
  }
}

/** Creates a session from ONNX bytes; errors (corrupt file, unsupported op) become ModelLoadError. */
export async function createRunner(bytes: Uint8Array, backend: BackendName, what: string, opts: BackendOptions = {}): Promise<OnnxRunner> {
  const threads = opts.threads ?? 1;
  const ort = await loadModule(backend, threads);
  let session: import('onnxruntime-common').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: [backend === 'node' ? 'cpu' : 'wasm'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new ModelLoadError(`cannot load ONNX model ${what} with backend '${backend}': ${(e as Error).message}`, { cause: e });
  }
  return {
    backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const ortFeeds: Record<string, import('onnxruntime-common').Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', v.data, v.dims as number[]);
      const out = await session.run(ortFeeds);
      const res: Record<string, FloatTensor> = {};
      for (const [k, v] of Object.entries(out)) res[k] = { data: v.data as Float32Array, dims: v.dims };
      return res;
    },
    release: () => session.release(),
  };
}
