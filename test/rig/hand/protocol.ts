/** Messages between the rig page and its hand-consumer Worker (a discriminated union each way). */
import type { HandResamplerOptions } from '../../../src/hand/resampler.js';

export type ToConsumer =
  | { type: 'init'; ringBuffer: SharedArrayBuffer; timeOriginMs: number; resampler: Partial<HandResamplerOptions> }
  | { type: 'flush' }
  /** Time batches of pulls on a private ring inside the Worker (the browser clock is too coarse for one). */
  | { type: 'pullBench'; batches: number; batchFrames: number };

export interface ConsumerReport {
  /** 30 Hz output: times (s, producer clock), right wrist xyz, per-hand validity. */
  tickTimesSec: number[];
  rightWristM: number[];
  valid: number[];
  /** Times (s, producer clock) of every pulled input frame, and whether its right hand was tracked. */
  frameTimesSec: number[];
  frameRightValid: number[];
  framesPulled: number;
  droppedFrames: number;
  nonMonotonicFrames: number;
  /** Producer timestamp → consumer read, ms, one per pulled frame. */
  latencyMs: number[];
  /** Mean cost of one pull, µs, measured over batches. */
  pullCostUs: number;
}

export type FromConsumer =
  | { type: 'ready' }
  | { type: 'report'; report: ConsumerReport }
  | { type: 'pullBench'; usPerFrame: number[] };
