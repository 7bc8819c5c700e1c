/**
 * A scrolling mel spectrogram of what the user hears: an AnalyserNode's magnitude spectrum folded into the model's
 * 80 Slaney mel bands (0–8 kHz, DESIGN.md's feature contract; here at the context's rate, for display only), one
 * column per call, drawn into a canvas that scrolls left.
 */
import { hzToSlaneyMel, slaneyMelToHz } from '../../src/dsp/reference.js';
import { FEATURES } from '../../src/dsp/features.js';

/** Triangular Slaney mel filters over the analyser's bins (rows: bands; sparse as [firstBin, weights]). */
function melFilters(binHz: number, bins: number, nMels: number, fMax: number): { first: number; weights: Float32Array }[] {
  const mMin = hzToSlaneyMel(0), mMax = hzToSlaneyMel(fMax);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => slaneyMelToHz(mMin + ((mMax - mMin) * i) / (nMels + 1)));
  return Array.from({ length: nMels }, (_, m) => {
    const lo = edges[m]!, mid = edges[m + 1]!, hi = edges[m + 2]!;
    let first = Math.max(0, Math.floor(lo / binHz)), last = Math.min(bins - 1, Math.ceil(hi / binHz));
    // Low bands are narrower than a bin: take the nearest bin.
    if (last <= first) { first = Math.min(bins - 1, Math.round(mid / binHz)); last = first; }
    const w = new Float32Array(last - first + 1);
    for (let b = first; b <= last; b++) {
      const f = b * binHz;
      w[b - first] = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
    }
    if (w.every((x) => x === 0)) w[0] = 1;
    return { first, weights: w };
  });
}

// A short perceptual colour ramp (dark blue → magenta → orange → pale yellow).
const STOPS = [[8, 8, 30], [70, 20, 110], [180, 50, 110], [245, 130, 50], [252, 240, 170]] as const;
function colour(u: number): string {
  const x = Math.min(0.999, Math.max(0, u)) * (STOPS.length - 1), i = Math.floor(x), f = x - i;
  const a = STOPS[i]!, b = STOPS[i + 1]!;
  return `rgb(${a[0] + (b[0] - a[0]) * f | 0},${a[1] + (b[1] - a[1]) * f | 0},${a[2] + (b[2] - a[2]) * f | 0})`;
}

export class MelSpectrogram {
  readonly analyser: AnalyserNode;
  private readonly spectrum: Float32Array<ArrayBuffer>;
  private readonly filters: { first: number; weights: Float32Array }[];
  private readonly ctx2d: CanvasRenderingContext2D;
  /** Energy of the latest column (for tests: did anything sound). */
  lastColumnDb = -Infinity;

  constructor(context: BaseAudioContext, readonly canvas: HTMLCanvasElement, readonly floorDb = -95, readonly ceilDb = -35) {
    this.analyser = new AnalyserNode(context, { fftSize: 2048, smoothingTimeConstant: 0 });
    this.spectrum = new Float32Array(this.analyser.frequencyBinCount);
    this.filters = melFilters(context.sampleRate / this.analyser.fftSize, this.analyser.frequencyBinCount, FEATURES.nMels, FEATURES.fMax);
    this.ctx2d = canvas.getContext('2d')!;
    this.ctx2d.fillStyle = colour(0);
    this.ctx2d.fillRect(0, 0, canvas.width, canvas.height);
  }

  private lastDrawMs = NaN;

  /**
   * Adds the current spectrum (call once per animation frame), as wide as the time since the last call (1 px per
   * 10 ms), so the time axis stays true when frames are slow.
   */
  draw(nowMs: number): void {
    const columnPx = Number.isNaN(this.lastDrawMs) ? 1 : Math.max(1, Math.min(60, Math.round((nowMs - this.lastDrawMs) / 10)));
    this.lastDrawMs = nowMs;
    this.analyser.getFloatFrequencyData(this.spectrum);
    const c = this.ctx2d, { width, height } = this.canvas;
    c.drawImage(this.canvas, columnPx, 0, width - columnPx, height, 0, 0, width - columnPx, height);
    const rowPx = height / this.filters.length;
    let loudest = -Infinity;
    this.filters.forEach((f, m) => {
      let e = 0;
      for (let k = 0; k < f.weights.length; k++) e += f.weights[k]! * 10 ** (this.spectrum[f.first + k]! / 10);
      const db = 10 * Math.log10(e + 1e-20);
      loudest = Math.max(loudest, db);
      c.fillStyle = colour((db - this.floorDb) / (this.ceilDb - this.floorDb));
      c.fillRect(width - columnPx, height - (m + 1) * rowPx, columnPx, Math.ceil(rowPx));
    });
    this.lastColumnDb = loudest;
  }
}
