/** The limiter's gain curve (limiter-processor.ts), apart so that it can be tested outside an AudioWorklet. */

/**
 * The gain (linear) that the soft knee gives a peak of `peak` (linear): 1 below `kneeStart`; inside the knee,
 * −(L − kneeStartDb)² / (2 · knee) dB; above it, threshold − L dB (the output sits at the threshold). Continuous, with
 * a continuous slope, at both ends of the knee.
 */
export function softKneeGain(peak: number, thresholdDb: number, kneeDb: number): number {
  const startDb = thresholdDb - kneeDb / 2;
  if (!(peak > 0)) return 1;
  const l = 20 * Math.log10(peak);
  if (l <= startDb) return 1;
  const gainDb = l < thresholdDb + kneeDb / 2 ? -((l - startDb) ** 2) / (2 * kneeDb) : thresholdDb - l;
  return Math.pow(10, gainDb / 20);
}
