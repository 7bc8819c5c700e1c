/**
 * Motion-to-sound latency as the bench defines it: from a contact (the hand frame that first shows it, or the
 * contact instant) to the first audible onset of that contact in the output. Each contact takes the first onset in
 * [contact − earlySec, contact + lateSec]; contacts without one count as missed.
 */
export interface LatencyMatch {
  /** Per contact: onset − contact in seconds, or NaN when missed. */
  lagsSec: number[];
  missed: number;
  /** Onsets matched to no contact (sound where nothing was touched). */
  spurious: number;
}

export function matchOnsets(contactsSec: readonly number[], onsetsSec: ArrayLike<number>, earlySec = 0.03, lateSec = 0.15): LatencyMatch {
  const used = new Uint8Array(onsetsSec.length);
  const lagsSec = contactsSec.map((c) => {
    for (let j = 0; j < onsetsSec.length; j++) {
      const lag = onsetsSec[j]! - c;
      if (used[j] || lag < -earlySec) continue;
      if (lag > lateSec) break;
      used[j] = 1;
      return lag;
    }
    return NaN;
  });
  return { lagsSec, missed: lagsSec.filter(Number.isNaN).length, spurious: used.length - used.reduce((a, b) => a + b, 0) };
}

export function percentile(values: readonly number[], q: number): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
}
