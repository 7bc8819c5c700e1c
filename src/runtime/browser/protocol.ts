/** Messages between the main thread (HearingHands) and the sampler Worker: discriminated unions, one job each. */

export interface ProceduralSpec {
  kind: 'procedural';
  material: string;
  surfaceHeightM: number;
  /** Audio made ahead of the next sampler step (s): covers the Worker's scheduling jitter. */
  marginSec: number;
}

export type SamplerInit = {
  type: 'init';
  handRing: SharedArrayBuffer;
  chunkRing: SharedArrayBuffer;
  outputRate: number;
  /** The page's performance.timeOrigin (ms): hand frame times are page-relative seconds. */
  pageTimeOriginMs: number;
  generator: ProceduralSpec;
};

export type ToSampler = SamplerInit | { type: 'stop' };

export type FromSampler =
  | { type: 'ready'; generator: 'procedural' | 'model' }
  | { type: 'stats'; steps: number; chunks: number; refusedChunks: number; lastStepMs: number; clockOffsetSec: number }
  | { type: 'error'; code: string; message: string };
