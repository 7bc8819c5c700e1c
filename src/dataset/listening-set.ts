/**
 * The listening set: a few short clips per material × action on a single-surface scene, their measured
 * features (onset vs labelled contact, spectral centroid, decay, level) and one PNG sheet of log-mel
 * spectrograms (rows: materials, with a swatch of the material's texture; columns: actions), so the
 * synthesis can be checked by ear and by eye in one place.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Dsp } from '../dsp/index.js';
import { writeWav } from '../io/wav.js';
import { ACTION_NAMES, HandMotion, planAction, type ActionName } from '../sim/actions.js';
import { MATERIAL_NAMES, instantiateMaterial } from '../sim/materials.js';
import { renderContactAudio } from '../sim/render.js';
import { Rng } from '../sim/rng.js';
import { cameraViews, fromSurface, makeSurface, type Scene } from '../sim/scene.js';
import { drawHands, localCamera, renderBackground } from '../sim/views.js';
import { renderMaterialView } from '../sim/texture.js';
import { encodePng } from './png.js';

export interface ClipFeatures {
  file: string;
  material: string;
  action: ActionName;
  impacts: number;
  firstContactSec: number | null;
  onsetSec: number | null;
  onsetErrorMs: number | null;
  centroidHz: number;
  decayT60Sec: number | null;
  rmsDb: number;
}

const FS = 16000;

function singleSurfaceScene(material: string, seed: number): Scene {
  return { id: 'L', surfaces: [makeSurface(0, instantiateMaterial(material, new Rng(seed)), [0, 0.75, 0], [0, 1, 0], 0.45, 0.35, seed)],
    roomT60Sec: 0.3, roomWetGain: 0.08, noiseFloorDb: -70, background: [110, 110, 110] };
}

/** First sample above 8× the pre-contact noise floor (s). */
function onsetOf(x: Float32Array, contactSec: number): number | null {
  const pre = Math.max(16, Math.round(contactSec * FS) - 160);
  let floor = 0;
  for (let i = 0; i < pre; i++) floor += x[i]! * x[i]!;
  const thr = 8 * Math.sqrt(floor / pre);
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]!) > thr) return i / FS;
  return null;
}

/** Energy-weighted spectral centroid over the loud frames. */
function centroidOf(dsp: Dsp, x: Float32Array): number {
  const mag = dsp.magnitude(x), bins = dsp.bins, frames = mag.length / bins;
  let num = 0, den = 0;
  for (let f = 0; f < frames; f++) {
    let e = 0, c = 0;
    for (let b = 1; b < bins; b++) { const m = mag[f * bins + b]!; e += m; c += m * ((b * FS) / dsp.settings.nFft); }
    num += c * e; den += e * e;
  }
  return den > 0 ? num / den : 0;
}

/**
 * T60 from the decay after the first impact: a line fitted to the 10 ms energy envelope (dB) from its peak
 * until it nears the noise floor or the next 20 dB are gone (so metal that rings past the clip still gets
 * a value, extrapolated from its slope).
 */
function decayOf(x: Float32Array, fromSec: number): number | null {
  const win = 160, start = Math.round(fromSec * FS);
  const env: number[] = [];
  for (let i = start; i + win <= x.length; i += win) {
    let e = 0; for (let k = i; k < i + win; k++) e += x[k]! * x[k]!;
    env.push(10 * Math.log10(e / win + 1e-20));
  }
  if (env.length < 4) return null;
  let peak = 0; for (let i = 1; i < Math.min(env.length, 5); i++) if (env[i]! > env[peak]!) peak = i;
  const floor = Math.min(...env.slice(-10));
  let end = peak + 1;
  while (end < env.length && env[end]! > Math.max(floor + 6, env[peak]! - 25)) end++;
  if (end - peak < 3) return (3 * (end - peak) * win) / FS;
  let sx = 0, sy = 0, sxx = 0, sxy = 0; const n = end - peak;
  for (let i = peak; i < end; i++) { const t = ((i - peak) * win) / FS; sx += t; sy += env[i]!; sxx += t * t; sxy += t * env[i]!; }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return slope < 0 ? -60 / slope : null;
}

/** magma-like colour map. */
function colour(v: number): [number, number, number] {
  const stops: [number, number, number, number][] = [[0, 0, 0, 4], [0.25, 80, 18, 123], [0.5, 182, 54, 121], [0.75, 251, 136, 97], [1, 252, 253, 191]];
  const t = Math.min(1, Math.max(0, v));
  for (let i = 1; i < stops.length; i++) {
    const [t1, r1, g1, b1] = stops[i]!, [t0, r0, g0, b0] = stops[i - 1]!;
    if (t <= t1) { const w = (t - t0) / (t1 - t0); return [r0 + (r1 - r0) * w, g0 + (g1 - g0) * w, b0 + (b1 - b0) * w]; }
  }
  return [252, 253, 191];
}

// A 3×5 bitmap font for the sheet's labels (capitals, digits, a few marks).
const GLYPHS: Record<string, string> = {
  A: '010101111101101', B: '110101110101110', C: '011100100100011', D: '110101101101110', E: '111100110100111', F: '111100110100100',
  G: '011100101101011', H: '101101111101101', I: '111010010010111', J: '001001001101010', K: '101101110101101', L: '100100100100111',
  M: '101111111101101', N: '110101101101101', O: '010101101101010', P: '110101110100100', Q: '010101101110011', R: '110101110101101',
  S: '011100010001110', T: '111010010010010', U: '101101101101111', V: '101101101101010', W: '101101111111101', X: '101101010101101',
  Y: '101101010010010', Z: '111001010100111', ' ': '000000000000000', '-': '000000111000000',
};

function drawText(img: Uint8Array, width: number, x: number, y: number, text: string, scale = 2): void {
  let cx = x;
  for (const ch of text.toUpperCase()) {
    const g = GLYPHS[ch] ?? GLYPHS[' ']!;
    for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) {
      if (g[r * 3 + c] !== '1') continue;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
        const p = ((y + r * scale + dy) * width + cx + c * scale + dx) * 3;
        if (p >= 0 && p + 2 < img.length) { img[p] = 235; img[p + 1] = 235; img[p + 2] = 235; }
      }
    }
    cx += 4 * scale;
  }
}

export interface ListeningSetOptions { out: string; seed?: number; perCell?: number; durationSec?: number; onProgress?: (done: number, total: number) => void }

export async function writeListeningSet(opts: ListeningSetOptions): Promise<{ clips: ClipFeatures[]; sheetPath: string }> {
  const seed = opts.seed ?? 0, per = opts.perCell ?? 2, dur = opts.durationSec ?? 4;
  const dsp = await Dsp.create();
  mkdirSync(join(opts.out, 'wav'), { recursive: true });
  const clips: ClipFeatures[] = [];
  const mels = new Map<string, { data: Float32Array; frames: number }>();
  const total = MATERIAL_NAMES.length * ACTION_NAMES.length * per;
  for (const material of MATERIAL_NAMES) {
    const scene = singleSurfaceScene(material, seed + 1);
    for (const action of ACTION_NAMES) {
      for (let k = 0; k < per; k++) {
        const rng = Rng.derive(seed, `${material}/${action}/${k}`);
        const plan = planAction(rng, action, scene.surfaces[0]!, dur);
        const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null));
        const r = renderContactAudio(scene, motions, dur, { seed: rng.nextUint32() });
        const file = `wav/${material}_${action}_${k}.wav`;
        writeFileSync(join(opts.out, file), writeWav([r.audio], FS, { format: 'pcm16' }));
        // Alignment: the first audible onset against the labelled contact nearest to it.
        const starts = r.spans.map((sp) => sp.startSec);
        const onset = starts.length === 0 ? null : onsetOf(r.audio, starts[0]!);
        const first = onset === null ? (starts[0] ?? null) : starts.reduce((best, t) => (Math.abs(t - onset) < Math.abs(best - onset) ? t : best), starts[0]!);
        let e = 0; for (const x of r.audio) e += x * x;
        clips.push({
          file, material, action, impacts: r.impacts.length, firstContactSec: first, onsetSec: onset,
          onsetErrorMs: first !== null && onset !== null ? (onset - first) * 1000 : null,
          centroidHz: centroidOf(dsp, r.audio),
          decayT60Sec: r.impacts.length > 0 ? decayOf(r.audio, r.impacts[0]!.timeSec) : null,
          rmsDb: 10 * Math.log10(e / r.audio.length + 1e-20),
        });
        if (k === 0) {
          const fm = dsp.mel(r.audio, { log: true });
          mels.set(`${material}/${action}`, { data: fm, frames: fm.length / 80 });
        }
        opts.onProgress?.(clips.length, total);
      }
    }
  }
  // The sheet: one row per material (texture swatch, then one log-mel per action), shared colour range.
  const cellW = Math.ceil((1 + Math.floor((dur * FS) / 256)) / 2), cellH = 80, gap = 2, labelW = 84, headerH = 16, swatch = 80;
  const width = labelW + swatch + gap + ACTION_NAMES.length * (cellW + gap), height = headerH + MATERIAL_NAMES.length * (cellH + gap);
  const img = new Uint8Array(width * height * 3).fill(24);
  let lo = Infinity, hi = -Infinity;
  for (const m of mels.values()) for (const v of m.data) { if (v > hi) hi = v; }
  lo = hi - 12; // 12 nepers ≈ 104 dB of range: noise floor to the loudest slap
  ACTION_NAMES.forEach((a, j) => drawText(img, width, labelW + swatch + gap + j * (cellW + gap) + 2, 4, a));
  MATERIAL_NAMES.forEach((material, i) => {
    const y0 = headerH + i * (cellH + gap);
    drawText(img, width, 2, y0 + cellH / 2 - 5, material);
    const tex = renderMaterialView(instantiateMaterial(material).spec, { sizePx: swatch, widthM: 0.15, seed: seed + 1 });
    for (let y = 0; y < swatch; y++) for (let x = 0; x < swatch; x++) {
      const p = ((y0 + y) * width + labelW + x) * 3, q = (y * swatch + x) * 3;
      img[p] = tex[q]!; img[p + 1] = tex[q + 1]!; img[p + 2] = tex[q + 2]!;
    }
    ACTION_NAMES.forEach((action, j) => {
      const m = mels.get(`${material}/${action}`)!;
      const x0 = labelW + swatch + gap + j * (cellW + gap);
      for (let x = 0; x < cellW; x++) for (let b = 0; b < cellH; b++) {
        // Two frames per pixel (max), low mel bins at the bottom.
        const f0 = Math.min(m.frames - 1, 2 * x), f1 = Math.min(m.frames - 1, 2 * x + 1);
        const v = Math.max(m.data[f0 * 80 + b]!, m.data[f1 * 80 + b]!);
        const [r, g, bl] = colour((v - lo) / (hi - lo));
        const p = ((y0 + cellH - 1 - b) * width + x0 + x) * 3;
        img[p] = r; img[p + 1] = g; img[p + 2] = bl;
      }
    });
  });
  writeFileSync(join(opts.out, 'views.png'), viewsSheet(seed, dur));
  const sheetPath = join(opts.out, 'spectrograms.png');
  writeFileSync(sheetPath, encodePng(img, width, height));
  const header = 'file,material,action,impacts,nearest_contact_s,onset_s,onset_error_ms,centroid_hz,decay_t60_s,rms_dbfs';
  const fmt = (v: number | null, d: number) => (v === null ? '' : v.toFixed(d));
  writeFileSync(join(opts.out, 'features.csv'), [header, ...clips.map((c) => [c.file, c.material, c.action, c.impacts, fmt(c.firstContactSec, 4), fmt(c.onsetSec, 4),
    fmt(c.onsetErrorMs, 3), c.centroidHz.toFixed(0), fmt(c.decayT60Sec, 3), c.rmsDb.toFixed(1)].join(','))].join('\n') + '\n');
  dsp.dispose();
  return { clips, sheetPath };
}

/**
 * views.png: what the model sees. One row per material: the tripod, top and side views (64 px) of a tap
 * at its first contact, then local views (the camera re-centred on the touched spot) at four moments of a
 * rub, hands drawn in.
 */
function viewsSheet(seed: number, dur: number): Uint8Array {
  const px = 64, gap = 2, labelW = 84, cols = 7;
  const width = labelW + cols * (px + gap), height = 16 + MATERIAL_NAMES.length * (px + gap);
  const img = new Uint8Array(width * height * 3).fill(24);
  ['TRIPOD', 'TOP', 'SIDE', 'LOCAL RUB'].forEach((t, i) => drawText(img, width, labelW + i * (px + gap) + 2, 4, t));
  const blit = (rgb: Uint8Array, x0: number, y0: number) => {
    for (let y = 0; y < px; y++) for (let x = 0; x < px; x++) {
      const p = ((y0 + y) * width + x0 + x) * 3, q = (y * px + x) * 3;
      img[p] = rgb[q]!; img[p + 1] = rgb[q + 1]!; img[p + 2] = rgb[q + 2]!;
    }
  };
  const kp = [new Float64Array(63), new Float64Array(63)];
  MATERIAL_NAMES.forEach((material, i) => {
    const y0 = 16 + i * (px + gap);
    drawText(img, width, 2, y0 + px / 2 - 5, material);
    const scene = singleSurfaceScene(material, seed + 1);
    const surface = scene.surfaces[0]!;
    const poseAt = (motions: (HandMotion | null)[], t: number) => motions.map((m, h) => { if (!m) return null; m.keypointsAt(t, kp[h]!); return kp[h]!; });
    const tapPlan = planAction(Rng.derive(seed, `${material}/tap/0`), 'tap', surface, dur);
    const tap = tapPlan.hands.map((h) => (h.present ? new HandMotion(h, surface) : null));
    const actingTap = tapPlan.acting[1] ? 1 : 0;
    const tContact = tapPlan.hands[actingTap]!.strokes[0]?.t0 ?? 0.5;
    const target = fromSurface(surface, tapPlan.hands[actingTap]!.strokes[0]?.u ?? 0, tapPlan.hands[actingTap]!.strokes[0]?.v ?? 0, 0.05);
    const cams = cameraViews(Rng.derive(seed, `${material}/camera`), target, surface.normal);
    cams.forEach((cam, c) => blit(drawHands(renderBackground(scene, cam, px), cam, poseAt(tap, tContact)), labelW + c * (px + gap), y0));
    const rubPlan = planAction(Rng.derive(seed, `${material}/rub/0`), 'rub', surface, dur);
    const rub = rubPlan.hands.map((h) => (h.present ? new HandMotion(h, surface) : null));
    const acting = rubPlan.acting[1] ? 1 : 0;
    const stroke = rubPlan.hands[acting]!.strokes[0];
    for (let k = 0; k < 4; k++) {
      const t = stroke ? stroke.t0 - stroke.approachSec + ((k + 0.5) / 4) * (stroke.approachSec + stroke.holdSec) : (k + 0.5) * dur / 4;
      const hands = poseAt(rub, t);
      const h = hands[acting];
      let spot = target;
      if (h) {
        // The point of the surface under the hand's lowest keypoint.
        let low = 0, lowH = Infinity;
        for (let q = 0; q < 21; q++) { const y = h[q * 3 + 1]! - surface.center[1]; if (y < lowH) { lowH = y; low = q; } }
        spot = [h[low * 3]!, surface.center[1], h[low * 3 + 2]!];
      }
      const lcam = localCamera(spot, cams[0]);
      blit(drawHands(renderBackground(scene, lcam, px), lcam, hands), labelW + (3 + k) * (px + gap), y0);
    }
  });
  return encodePng(img, width, height);
}
