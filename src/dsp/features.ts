/**
 * The audio-feature contract (DESIGN.md, "Audio features"): the model's domain, the paper's settings.
 * Matches torchaudio `MelSpectrogram(sample_rate=16000, n_fft=1024, hop_length=256, n_mels=80, f_min=0,
 * f_max=8000, norm="slaney", mel_scale="slaney", power=1)` (centre=True, reflect padding, periodic Hann).
 * Log-mel is ln(max(mel, logFloor)).
 */
export interface FeatureSettings {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly winLength: number;
  readonly hop: number;
  readonly nMels: number;
  readonly fMin: number;
  readonly fMax: number;
  readonly melScale: 'slaney';
  readonly melNorm: 'slaney';
  readonly center: true;
  readonly padMode: 'reflect';
  readonly window: 'hann';
  readonly power: 1;
  /** Floor applied before the natural log in log-mel features. */
  readonly logFloor: number;
}

export const FEATURES: FeatureSettings = Object.freeze({
  sampleRate: 16000,
  nFft: 1024,
  winLength: 1024,
  hop: 256,
  nMels: 80,
  fMin: 0,
  fMax: 8000,
  melScale: 'slaney',
  melNorm: 'slaney',
  center: true,
  padMode: 'reflect',
  window: 'hann',
  power: 1,
  logFloor: 1e-5,
});

/** Frames produced for `nSamples` samples with centre padding: 1 + floor(n / hop). */
export function frameCount(nSamples: number, settings: FeatureSettings = FEATURES): number {
  return 1 + Math.floor(nSamples / settings.hop);
}

/** Differences between two settings objects, as readable strings (empty when they agree). */
export function featureMismatches(a: FeatureSettings, b: Partial<FeatureSettings>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a) as (keyof FeatureSettings)[]) {
    if (key in b && b[key] !== a[key]) out.push(`${key}: expected ${String(a[key])}, got ${String(b[key])}`);
  }
  return out;
}
