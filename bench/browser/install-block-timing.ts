/**
 * Imported before the playback processor in the bench's worklet bundle: wraps `registerProcessor` so that the
 * registered class's process() is timed per block (performance.now where the AudioWorkletGlobalScope has it,
 * else Date.now, which the report then flags as too coarse). The times live in a preallocated array, so the
 * timing itself allocates nothing on the audio thread; the page asks for them with a 'bench-report' message.
 * Chromium's worklet scope has no performance.now, so 'bench-batch' also times batches of back-to-back
 * process() calls on scratch buffers (same processor state, audio clock standing still) with whatever clock
 * there is: per-block cost = batch time / blocks.
 */
declare function registerProcessor(name: string, ctor: unknown): void;
declare const sampleRate: number;

type ProcessorCtor = new (options: unknown) => {
  readonly port: MessagePort;
  process(inputs: Float32Array[][], outputs: Float32Array[][], params: Record<string, Float32Array>): boolean;
};

const MAX_BLOCKS = 1 << 16;
const hasPerformance = typeof performance !== 'undefined' && typeof performance.now === 'function';
const now = hasPerformance ? () => performance.now() : () => Date.now();
const original = registerProcessor;

(globalThis as unknown as { registerProcessor: typeof registerProcessor }).registerProcessor = (name: string, ctor: unknown) => {
  const Base = ctor as ProcessorCtor;
  class Timed extends Base {
    private readonly blockMs = new Float64Array(MAX_BLOCKS);
    private blocks = 0;
    private firstCallMs = -1;
    private lastCallMs = 0;
    constructor(options: unknown) {
      super(options);
      this.port.addEventListener('message', (e: MessageEvent<{ type: string; blocks?: number; batches?: number }>) => {
        if (e.data?.type === 'bench-batch') {
          const blocks = e.data.blocks ?? 10000, batches = e.data.batches ?? 10;
          const outputs = [[new Float32Array(128), new Float32Array(128)]];
          const perBlockMs: number[] = [];
          for (let b = 0; b < batches; b++) {
            const t0 = now();
            for (let i = 0; i < blocks; i++) super.process([], outputs, {});
            perBlockMs.push((now() - t0) / blocks);
          }
          this.port.postMessage({ type: 'bench-batch', perBlockMs, blocks });
          return;
        }
        if (e.data?.type !== 'bench-report') return;
        const n = Math.min(this.blocks, MAX_BLOCKS);
        this.port.postMessage({
          type: 'bench-report', blockMs: Array.from(this.blockMs.subarray(0, n)), blocks: this.blocks,
          clock: hasPerformance ? 'performance.now' : 'Date.now', sampleRate, spanMs: this.lastCallMs - this.firstCallMs,
        });
      });
    }
    override process(inputs: Float32Array[][], outputs: Float32Array[][], params: Record<string, Float32Array>): boolean {
      const t0 = now();
      const keep = super.process(inputs, outputs, params);
      const t1 = now();
      if (this.firstCallMs < 0) this.firstCallMs = t0;
      this.lastCallMs = t0;
      if (this.blocks < MAX_BLOCKS) this.blockMs[this.blocks] = t1 - t0;
      this.blocks++;
      return keep;
    }
  }
  original(name, Timed);
};
