/** Shared timing helper for the browser bench's Workers: warm-up, then one sample per call, in ms. */
export async function sampleAsync(fn: () => unknown, reps: number, warmup = Math.max(2, reps >> 3)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Seeded uniform noise in ±amplitude (a stand-in signal with a full spectrum). */
export function noise(n: number, amplitude = 0.5, seed = 12345): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = (s / 2 ** 32 - 0.5) * 2 * amplitude; }
  return x;
}

/** The median as bench/lib.ts summarize() takes it (nearest rank), so browser figures match the tables. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(0.5 * (s.length - 1) + 0.5))] ?? NaN;
}
