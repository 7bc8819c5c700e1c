/** Node: a neural vocoder from its manifest file (the ONNX beside it) on onnxruntime-node or -web (wasm). */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dsp } from '../dsp/index.js';
import { FileIoError, ModelLoadError } from '../errors.js';
import { createRunner, type BackendName } from '../model/backend.js';
import { NeuralVocoder } from './neural-vocoder.js';

export async function loadNeuralVocoder(manifestPath: string, dsp: Dsp, backend: BackendName = 'node'): Promise<NeuralVocoder> {
  let manifest: unknown;
  try { manifest = JSON.parse(await readFile(manifestPath, 'utf8')); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileIoError(`${manifestPath}: no such vocoder manifest`, { cause: e });
    throw new ModelLoadError(`${manifestPath}: not readable JSON (${(e as Error).message})`, { cause: e });
  }
  const onnxFile = (manifest as { onnx?: unknown })?.onnx;
  if (typeof onnxFile !== 'string') throw new ModelLoadError(`${manifestPath}: the manifest names no onnx file`);
  let bytes: Uint8Array;
  try { bytes = new Uint8Array(await readFile(join(dirname(manifestPath), onnxFile))); } catch (e) {
    throw new ModelLoadError(`${manifestPath}: cannot read ${onnxFile} (${(e as Error).message})`, { cause: e });
  }
  return NeuralVocoder.create(manifest, bytes, dsp, (b, what) => createRunner(b, backend, what), manifestPath);
}
