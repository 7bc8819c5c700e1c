/** Reads the ONNX parity fixtures written by models/recipe/export.py (float32 tensors as base64). */
import { readFileSync } from 'node:fs';
import type { FloatTensor } from '../../src/model/backend.js';

export interface GraphFixture { inputs: Record<string, FloatTensor>; outputs: Record<string, FloatTensor> }
export interface ParityFixture { step: GraphFixture; tick: GraphFixture; conditioning: GraphFixture & { actionLookaheadFrames?: number } }

interface RawTensor { dims: number[]; f32: string }

function decode(raw: Record<string, RawTensor>): Record<string, FloatTensor> {
  const out: Record<string, FloatTensor> = {};
  for (const [k, v] of Object.entries(raw)) {
    const bytes = Buffer.from(v.f32, 'base64');
    const data = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(data.buffer).set(bytes);
    out[k] = { data, dims: v.dims };
  }
  return out;
}

export function readParityFixture(path: string): ParityFixture {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<'step' | 'tick' | 'conditioning', { inputs: Record<string, RawTensor>; outputs: Record<string, RawTensor>; actionLookaheadFrames?: number }>;
  return {
    step: { inputs: decode(raw.step.inputs), outputs: decode(raw.step.outputs) },
    tick: { inputs: decode(raw.tick.inputs), outputs: decode(raw.tick.outputs) },
    conditioning: { actionLookaheadFrames: raw.conditioning.actionLookaheadFrames, inputs: decode(raw.conditioning.inputs), outputs: decode(raw.conditioning.outputs) },
  };
}

/** One graph's fixture on its own ({inputs, outputs}; e.g. the neural vocoder's, models/recipe/vocoder.py). */
export function readGraphFixture(path: string): GraphFixture {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { inputs: Record<string, RawTensor>; outputs: Record<string, RawTensor> };
  return { inputs: decode(raw.inputs), outputs: decode(raw.outputs) };
}

/** max |a − b| / max |b|: the relative error of a whole tensor. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0, ref = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    ref = Math.max(ref, Math.abs(b[i]!));
  }
  return diff / Math.max(ref, 1e-12);
}

export const SHIPPED_MANIFEST = new URL('../../models/hh-flow-s.json', import.meta.url).pathname;
export const SHIPPED_FIXTURE = new URL('./fixtures/hh-flow-s.parity.json', import.meta.url).pathname;
/** The distilled live model (models/recipe/distill.py): its tick is the student's (one row, guidance folded in). */
export const DISTILLED_MANIFEST = new URL('../../models/hh-flow-s-live-d2.json', import.meta.url).pathname;
export const DISTILLED_FIXTURE = new URL('./fixtures/hh-flow-s-live-d2.parity.json', import.meta.url).pathname;
/** Every shipped model with a parity fixture. */
export const PARITY_MODELS = [
  { manifest: SHIPPED_MANIFEST, fixture: SHIPPED_FIXTURE },
  { manifest: DISTILLED_MANIFEST, fixture: DISTILLED_FIXTURE },
] as const;
