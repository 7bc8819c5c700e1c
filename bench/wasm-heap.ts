/** The WASM heap of a Dsp, for the memory figures (the class keeps its instance private; read-only use). */
import type { Dsp } from '../src/dsp/index.js';

export function dspHeapBytes(dsp: Dsp): number {
  return (dsp as unknown as { ex: { memory: WebAssembly.Memory } }).ex.memory.buffer.byteLength;
}
