/** Loading a model folder from disk (Node): manifest JSON + the ONNX files it names, beside it. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelLoadError } from '../errors.js';
import type { BackendName, BackendOptions } from './backend.js';
import { FlowModel } from './flow-model.js';
import { parseManifest, type ModelManifest } from './manifest.js';

/** A model file's bytes; a file that cannot be read is a ModelLoadError naming it. */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try { return new Uint8Array(await readFile(path)); } catch (e) {
    throw new ModelLoadError(`cannot read ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export async function readManifest(manifestPath: string): Promise<ModelManifest> {
  const text = new TextDecoder().decode(await readBytes(manifestPath, 'model manifest'));
  return parseManifest(text, manifestPath);
}

export async function loadFlowModel(manifestPath: string, backend: BackendName = 'node',
  opts: BackendOptions & { quantized?: boolean } = {}): Promise<FlowModel> {
  const manifest = await readManifest(manifestPath);
  const dir = dirname(manifestPath);
  const files = opts.quantized ? manifest.files.quantized : manifest.files;
  if (!files) throw new ModelLoadError(`model '${manifest.name}' has no quantized graphs (manifest files.quantized)`);
  const [step, tick] = await Promise.all([
    readBytes(join(dir, files.step), 'ONNX step graph'),
    readBytes(join(dir, files.tick), 'ONNX tick graph'),
  ]);
  return FlowModel.create(manifest, step, tick, backend, opts);
}
