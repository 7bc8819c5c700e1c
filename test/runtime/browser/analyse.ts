/** Node side of the browser runtime tests: what a captured run sounds like (onsets, latency per contact, clicks). */
import type { Dsp } from '../../../src/dsp/index.js';
import { findClicks } from '../../../src/runtime/clicks.js';
import { matchOnsets, type LatencyMatch } from '../../../src/runtime/latency.js';
import type { BackstopReport } from '../../../src/runtime/browser/protocol.js';
import { fromBase64 } from './from-base64.js';

export interface CaptureAnalysis {
  audio: Float32Array;
  rate: number;
  /** Audio-clock seconds of sample 0. */
  startSec: number;
  /** Onsets on the audio clock (s). */
  onsetsSec: number[];
  match: LatencyMatch;
  /** Clicks (audio-clock seconds) outside onsets. */
  clicksSec: number[];
  peak: number;
  finite: boolean;
}

export function analyseCapture(dsp: Dsp, r: { samplesB64: string; sampleRate: number; startFrame: number }, contactsAudioSec: readonly number[],
  lateSec = 0.2): CaptureAnalysis {
  const audio = fromBase64(r.samplesB64);
  const rate = r.sampleRate, startSec = r.startFrame / rate;
  let finite = true, peak = 0;
  for (let i = 0; i < audio.length; i++) {
    const v = audio[i]!;
    if (!Number.isFinite(v)) { finite = false; audio[i] = 0; }
    else if (Math.abs(v) > peak) peak = Math.abs(v);
  }
  const onsetsSec = Array.from(dsp.onsets(dsp.resample(audio, rate, 16000)), (t) => t + startSec);
  const match = matchOnsets(contactsAudioSec, onsetsSec, 0.03, lateSec);
  const clicksSec = findClicks(audio, rate, onsetsSec.map((o) => o - startSec)).map((i) => i / rate + startSec);
  return { audio, rate, startSec, onsetsSec, match, clicksSec, peak, finite };
}

/**
 * Diagnostics, a line per contact heard more than `lateSec` after `contactsSec[i]` or not heard at all (audio clock;
 * `a` matched against them): the onset backstop's decision nearest to it (if any reports) and the onsets heard around
 * it, in ms from it.
 */
export function lateContactLines(a: CaptureAnalysis, contactsSec: readonly number[], reports: readonly BackstopReport[], lateSec: number): string[] {
  return contactsSec.flatMap((c, i) => {
    const lag = a.match.lagsSec[i]!;
    if (!(lag > lateSec) && !Number.isNaN(lag)) return [];
    const rel = (t: number) => ((t - c) * 1000).toFixed(1);
    const b = reports.length > 0 ? reports.reduce((x, y) => (Math.abs(y.impactAudioSec - c) < Math.abs(x.impactAudioSec - c) ? y : x)) : null;
    return [(Number.isNaN(lag) ? 'missed: ' : `late ${(lag * 1000).toFixed(1)} ms: `) + (b ? `backstop ${b.action}, impact ${rel(b.impactAudioSec)} judged ${rel(b.judgedAudioSec)} ` +
      `earliest ${rel(b.earliestAudioSec)} onset ${rel(b.onsetAudioSec)} target ${rel(b.targetAudioSec)}; ` : '') +
      `heard onsets at ${a.onsetsSec.filter((o) => o > c - 0.08 && o < c + 0.2).map(rel).join(', ')} (ms from the contact)`];
  });
}

/** RMS of the capture between two audio-clock times. */
export function rmsBetween(a: CaptureAnalysis, fromSec: number, toSec: number): number {
  const i0 = Math.max(0, Math.round((fromSec - a.startSec) * a.rate)), i1 = Math.min(a.audio.length, Math.round((toSec - a.startSec) * a.rate));
  let s = 0;
  for (let i = i0; i < i1; i++) s += a.audio[i]! ** 2;
  return Math.sqrt(s / Math.max(1, i1 - i0));
}

/** Largest |sample| of the capture between two audio-clock times. */
export function peakBetween(a: CaptureAnalysis, fromSec: number, toSec: number): number {
  const i0 = Math.max(0, Math.round((fromSec - a.startSec) * a.rate)), i1 = Math.min(a.audio.length, Math.round((toSec - a.startSec) * a.rate));
  let p = 0;
  for (let i = i0; i < i1; i++) p = Math.max(p, Math.abs(a.audio[i]!));
  return p;
}
