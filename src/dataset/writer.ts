/**
 * Writes simulated capture in the released layout (see layout.ts). One planned sound becomes three items
 * (its views): the same sound and mel, per-view keypoints and visual features. Every byte is a function of
 * the plan (no timestamps, fixed key order), so the same seed gives byte-identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Dsp, FEATURES } from '../dsp/index.js';
import { writeWav } from '../io/wav.js';
import { writeNpy } from '../io/npy.js';
import { captureItem, GLOBAL_VIEW_PX, KEYPOINT_FPS, LOCAL_VIEW_PX, SAMPLE_RATE, VIEW_COUNT, VIEW_NAMES, VISUAL_FPS, videoCameras, type CapturedItem } from '../sim/capture.js';
import { VISUAL_FEATURE_DIM } from '../sim/visual-features.js';
import { ACTION_NAMES } from '../sim/actions.js';
import { MATERIAL_NAMES } from '../sim/materials.js';
import type { Camera, Scene } from '../sim/scene.js';
import { ITEM_SEC, MANIFEST_FORMAT, itemName, paths } from './layout.js';
import { buildSplits, soundItemKey, type DatasetPlan, type PlannedSound } from './plan.js';

export const GENERATOR_VERSION = '1.0.0';

const made = new Set<string>();
function writeFile(path: string, bytes: Uint8Array | string): number {
  const dir = dirname(path);
  if (!made.has(dir)) { mkdirSync(dir, { recursive: true }); made.add(dir); }
  writeFileSync(path, bytes);
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
}

/** log-mel of `audio` as 80 × T (mel-major, the released layout), from frames × 80. */
export function melMajor(dsp: Dsp, audio: Float32Array): { data: Float32Array; frames: number } {
  const fm = dsp.mel(audio, { log: true });
  const nMels = dsp.settings.nMels, frames = fm.length / nMels;
  const out = new Float32Array(fm.length);
  for (let t = 0; t < frames; t++) for (let m = 0; m < nMels; m++) out[m * frames + t] = fm[t * nMels + m]!;
  return { data: out, frames };
}

const round = (x: number, digits = 5) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundVec = (v: readonly number[]) => v.map((x) => round(x));
const cameraJson = (c: Camera) => ({ position: roundVec(c.position), right: roundVec(c.right), down: roundVec(c.down), forward: roundVec(c.forward), fovDeg: c.fovDeg });

export interface WrittenSound { items: string[]; bytes: number; impacts: number }

/** Simulates and writes one planned sound (3 items). */
export function writeSound(root: string, plan: DatasetPlan, p: PlannedSound, dsp: Dsp): WrittenSound {
  const scene = plan.scenes[p.sceneIndex]!;
  const cameras = videoCameras(scene, p.region, p.videoSeed);
  const item = captureItem({ scene, surfaceIndex: p.region, action: p.action, durationSec: ITEM_SEC, seed: p.seed, cameras });
  return writeCaptured(root, scene, p, item, cameras, dsp);
}

export function writeCaptured(root: string, scene: Scene, p: PlannedSound, item: CapturedItem, cameras: Camera[], dsp: Dsp): WrittenSound {
  const mel = melMajor(dsp, item.audio);
  const melBytes = writeNpy(mel.data, [dsp.settings.nMels, mel.frames]);
  const names = Array.from({ length: VIEW_COUNT }, (_, v) => itemName(soundItemKey(p, v)));
  const soundName = names[0]!;
  let bytes = writeFile(paths.audio(root, scene.id, soundName), writeWav([item.audio], SAMPLE_RATE, { format: 'pcm16' }));
  const surface = scene.surfaces[p.region]!;
  for (let v = 0; v < VIEW_COUNT; v++) {
    const name = names[v]!, view = item.views[v]!;
    bytes += writeFile(paths.mel(root, scene.id, name), melBytes);
    bytes += writeFile(paths.keypoints(root, scene.id, name), writeNpy(view.keypointsCam, [item.frames, 2, 21, 3]));
    bytes += writeFile(paths.visual(root, scene.id, name), writeNpy(view.globalFeatures, [item.visualFrames, VISUAL_FEATURE_DIM]));
    bytes += writeFile(paths.visualLocal(root, scene.id, name), writeNpy(view.localFeatures, [item.visualFrames, VISUAL_FEATURE_DIM]));
    bytes += writeFile(paths.localViews(root, scene.id, name), writeNpy(view.localViews, [item.visualFrames, LOCAL_VIEW_PX, LOCAL_VIEW_PX, 3]));
    const labels = {
      item: name, scene: scene.id, region: p.region, take: p.take, view: v, viewName: VIEW_NAMES[v],
      split: p.split, seed: p.seed,
      material: surface.material.spec.name, materialIndex: MATERIAL_NAMES.indexOf(surface.material.spec.name),
      action: p.action, actionIndex: ACTION_NAMES.indexOf(p.action),
      startSec: p.startSec, durationSec: ITEM_SEC, sampleRate: SAMPLE_RATE, keypointFps: KEYPOINT_FPS, visualFps: VISUAL_FPS,
      wav: `audio/${soundName}.wav`,
      handsPresent: item.plan.hands.map((h) => h.present), handsActing: item.plan.acting,
      trackedFrames: [0, 1].map((h) => { let n = 0; for (let f = 0; f < item.frames; f++) n += item.valid[f * 2 + h]!; return n; }),
      camera: cameraJson(cameras[v]!),
      keypointFrame: 'camera (OpenCV: x right, y down, z forward), metres; hand 0 = left, 1 = right; zeros = not tracked',
      // frame: the first 30 Hz keypoint frame at or after the contact (the frame that shows the touch).
      impacts: item.impacts.map((i) => ({ hand: i.hand, timeSec: round(i.timeSec, 6), frame: Math.ceil(i.timeSec * KEYPOINT_FPS - 1e-9), speedMps: round(i.speedMps, 4), part: i.part, surface: i.surfaceIndex })),
      contacts: item.spans.map((s) => ({ hand: s.hand, surface: s.surfaceIndex, material: s.material, startSec: round(s.startSec, 6), endSec: round(s.endSec, 6),
        ...(s.part ? { part: s.part, impactSpeedMps: round(s.impactSpeedMps ?? 0, 4) } : {}), maxSlideSpeedMps: round(s.maxSlideSpeedMps, 4), maxNormalForceN: round(s.maxNormalForceN, 4) })),
    };
    bytes += writeFile(paths.labels(root, scene.id, name), JSON.stringify(labels, null, 1) + '\n');
  }
  return { items: names, bytes, impacts: item.impacts.length };
}

/** dataset.json, split.json and split_viewpoint.json (written after the items; pure functions of the plan). */
/** Writes dataset.json and the splits; `written` (plan indices) limits the splits to the sounds actually written. */
export function writeManifest(root: string, plan: DatasetPlan, written?: ReadonlySet<number>): number {
  const { byRegion, byViewpoint } = buildSplits(written ? { ...plan, sounds: plan.sounds.filter((p) => written.has(p.index)) } : plan);
  const sounds = written ? written.size : plan.sounds.length;
  const counts = { sounds, items: sounds * VIEW_COUNT,
    train: byRegion.train.length, val: byRegion.val.length, test: byRegion.test.length };
  const manifest = {
    format: MANIFEST_FORMAT,
    generator: { name: 'hearing-hands simulate', version: GENERATOR_VERSION },
    seed: plan.seed, hours: plan.hours, itemSec: ITEM_SEC,
    sampleRate: SAMPLE_RATE, keypointFps: KEYPOINT_FPS, visualFps: VISUAL_FPS, views: VIEW_NAMES,
    mel: { layout: 'nMels × frames', scale: 'ln(max(mel, 1e-5))', features: FEATURES },
    visualFeatures: { dim: VISUAL_FEATURE_DIM, globalViewPx: GLOBAL_VIEW_PX, localViewPx: LOCAL_VIEW_PX, kind: 'hand-crafted colour/texture descriptor (src/sim/visual-features.ts) in place of CLIP' },
    materials: MATERIAL_NAMES, actions: ACTION_NAMES, counts,
    scenes: plan.scenes.map((s) => ({
      id: s.id, roomT60Sec: round(s.roomT60Sec, 4), roomWetGain: round(s.roomWetGain, 4), noiseFloorDb: round(s.noiseFloorDb, 2),
      surfaces: s.surfaces.map((f) => ({ region: f.index, material: f.material.spec.name, sizeScale: round(f.material.sizeScale, 4),
        modesHz: f.material.modes.map((m) => round(m.freqHz, 2)), t60Sec: f.material.modes.map((m) => round(m.t60Sec, 4)),
        center: roundVec(f.center), normal: roundVec(f.normal), halfExtentsM: [round(f.halfUM, 4), round(f.halfVM, 4)] })),
    })),
  };
  let bytes = writeFile(paths.manifest(root), JSON.stringify(manifest, null, 1) + '\n');
  bytes += writeFile(paths.split(root), JSON.stringify(byRegion) + '\n');
  bytes += writeFile(paths.split(root).replace(/split\.json$/, 'split_viewpoint.json'), JSON.stringify(byViewpoint) + '\n');
  return bytes;
}
