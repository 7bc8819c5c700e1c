/** Node: a neural vocoder from its manifest file (the ONNX beside it) on onnxruntime-node or -web (wasm). */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dsp } from '../dsp/index.js';
import { FileIoError, ModelLoadError } from '../errors.js';
import { createRunner, type BackendName } from '../model/backend.js';
import { readBytes } from '../model/load-node.js';
import { NeuralVocoder, checkVocoderManifest } from './neural-vocoder.js';

export async function loadNeuralVocoder(manifestPath: string, dsp: Dsp, backend: BackendName = 'node'): Promise<NeuralVocoder> {
  let manifest: unknown;
  try { manifest = JSON.parse(await readFile(manifestPath, 'utf8')); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileIoError(`${manifestPath}: no such vocoder manifest`, { cause: e });
    throw new ModelLoadError(`${manifestPath}: not readable JSON (${(e as Error).message})`, { cause: e });
  }
  const { onnx } = checkVocoderManifest(manifest, dsp, manifestPath); // refused before its graph is read
  const bytes = await readBytes(join(dirname(manifestPath), onnx), 'vocoder ONNX graph');
  return NeuralVocoder.create(manifest, bytes, dsp, (b, what) => createRunner(b, backend, what), manifestPath);
}
