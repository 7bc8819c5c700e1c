/**
 * Capture mode, server side: turns one upload (capture-payload.ts) into dataset items in our released layout
 * (src/dataset/layout.ts), so `openDataset`/`readItem` and the training recipe read them like the simulated capture:
 *   <root>/<scene>/audio/<item>.wav, mel/<item>.npy (80 × T log-mel), hamer_hand_keypoints/<video>/<item>.npy
 *   (240 × 2 × 21 × 3, camera frame), labels/<item>.json; <root>/split.json (items appended to "train") and
 *   <root>/dataset.json (written once, marks the mels as ours).
 * The audio is the clock: item time 0 is the first recorded sample; hand frames (page clock) are resampled onto the
 * 30 Hz grid that starts there (src/hand/resampler.ts: interpolation over small gaps, zeros for an untracked hand).
 * A recording is cut into 8 s items; the last one is padded with silence and untracked hands (labels say how much).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Dsp, FEATURES } from '../../src/dsp/index.js';
import { HandFrame } from '../../src/hand/hand-frame.js';
import { FLOATS_PER_FRAME } from '../../src/hand/joints.js';
import { HandResampler } from '../../src/hand/resampler.js';
import { writeWav } from '../../src/io/wav.js';
import { writeNpy } from '../../src/io/npy.js';
import { ITEM_SEC, itemName, paths, type Split } from '../../src/dataset/layout.js';
import { melMajor } from '../../src/dataset/writer.js';
import { MANIFEST_FORMAT } from '../../src/dataset/layout.js';
import { lookAt, toCameraFrame, type Camera } from '../../src/sim/scene.js';
import { MATERIAL_NAMES } from '../../src/sim/materials.js';
import { InvalidArgumentError } from '../../src/errors.js';
import type { CapturePayload } from '../src/capture/capture-payload.js';

export const CAPTURE_SCENE_ID = 'xrcapture';
const SAMPLE_RATE = 16000;
const KEYPOINT_FPS = 30;
const FRAMES_PER_ITEM = ITEM_SEC * KEYPOINT_FPS;
const SAMPLES_PER_ITEM = ITEM_SEC * SAMPLE_RATE;

export interface WrittenCapture { root: string; scene: string; items: string[]; seconds: number; take: number }

function write(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** The next unused take number in this scene (takes number the recordings). */
function nextTake(root: string, scene: string): number {
  const dir = join(root, scene, 'labels');
  if (!existsSync(dir)) return 1;
  let max = 0;
  for (const f of readdirSync(dir)) { const m = /_T(\d+)_/.exec(f); if (m) max = Math.max(max, Number(m[1])); }
  return max + 1;
}

/** The keypoints' camera: the headset at the start of the recording, or a fixed one 1 m in front of the origin. */
function cameraOf(p: CapturePayload): Camera {
  const c = p.header.camera;
  if (!c || ![...c.position, ...c.forward].every(Number.isFinite)) return lookAt([0, 1.5, 0.3], [0, 0.75, -0.6]);
  return lookAt(c.position, [c.position[0] + c.forward[0], c.position[1] + c.forward[1], c.position[2] + c.forward[2]]);
}

/**
 * The longest gap between hand frames bridged by interpolation: the runtime's 0.1 s (HandResampler's default, so
 * training data sees hands as the live path does), or 2.5 frame periods of a session that ran slower than 25 Hz (an
 * emulator on a busy machine), where 0.1 s would drop most frames.
 */
export function bridgedGapSec(timesSec: Float64Array): number {
  if (timesSec.length < 3) return HandResampler.getDefaults().maxGapSec;
  const gaps = Array.from(timesSec.subarray(1), (t, i) => t - timesSec[i]!).sort((a, b) => a - b);
  return Math.max(HandResampler.getDefaults().maxGapSec, 2.5 * gaps[gaps.length >> 1]!);
}

/** Hand frames on the audio's 30 Hz grid (scene frame, metres), `frames` of them. */
export function keypointsOnAudioGrid(p: CapturePayload, frames: number): { keypoints: Float32Array; valid: Uint8Array; maxGapSec: number } {
  const maxGapSec = bridgedGapSec(p.trajectory.timesSec);
  const resampler = new HandResampler({ rateHz: KEYPOINT_FPS, startSec: p.header.audioStartPageSec, queueFrames: frames + 4, maxGapSec });
  const keypoints = new Float32Array(frames * FLOATS_PER_FRAME), valid = new Uint8Array(frames * 2);
  const f = new HandFrame(), out = new HandFrame();
  let k = 0;
  for (let i = 0; i < p.trajectory.frameCount && k < frames; i++) {
    resampler.push(p.trajectory.frameAt(i, f));
    while (k < frames && resampler.pull(out)) {
      keypoints.set(out.keypointsM, k * FLOATS_PER_FRAME);
      valid[2 * k] = out.valid[0]!; valid[2 * k + 1] = out.valid[1]!;
      k++;
    }
  }
  return { keypoints, valid, maxGapSec };
}

export function writeCapture(root: string, p: CapturePayload, dsp: Dsp): WrittenCapture {
  if (p.audio.length < p.header.sampleRate * 0.5) throw new InvalidArgumentError(`capture: ${p.audio.length} samples is under half a second`);
  for (const v of p.audio) if (!Number.isFinite(v)) throw new InvalidArgumentError('capture: audio holds a non-finite sample');
  const audio16 = dsp.resample(p.audio, p.header.sampleRate, SAMPLE_RATE);
  const seconds = audio16.length / SAMPLE_RATE;
  const count = Math.max(1, Math.ceil(seconds / ITEM_SEC - 0.05)); // a few trailing samples do not make an item
  const { keypoints, valid, maxGapSec } = keypointsOnAudioGrid(p, count * FRAMES_PER_ITEM);
  const camera = cameraOf(p);
  const scene = CAPTURE_SCENE_ID;
  const take = nextTake(root, scene);
  const regionIndex = 0;
  const items: string[] = [];
  const hand = new Float32Array(63);
  for (let j = 0; j < count; j++) {
    const name = itemName({ sceneId: scene, region: regionIndex, take, view: 0, startSec: j * ITEM_SEC });
    const clip = new Float32Array(SAMPLES_PER_ITEM);
    clip.set(audio16.subarray(j * SAMPLES_PER_ITEM, Math.min(audio16.length, (j + 1) * SAMPLES_PER_ITEM)));
    const kp = keypoints.slice(j * FRAMES_PER_ITEM * FLOATS_PER_FRAME, (j + 1) * FRAMES_PER_ITEM * FLOATS_PER_FRAME);
    const tracked = [0, 0];
    for (let t = 0; t < FRAMES_PER_ITEM; t++) {
      for (let h = 0; h < 2; h++) {
        if (!valid[2 * (j * FRAMES_PER_ITEM + t) + h]) continue;
        tracked[h]!++;
        const o = t * FLOATS_PER_FRAME + h * 63;
        hand.set(kp.subarray(o, o + 63));
        toCameraFrame(hand, camera);
        kp.set(hand, o);
      }
    }
    const mel = melMajor(dsp, clip);
    write(paths.audio(root, scene, name), writeWav([clip], SAMPLE_RATE, { format: 'pcm16' }));
    write(paths.mel(root, scene, name), writeNpy(mel.data, [FEATURES.nMels, mel.frames]));
    write(paths.keypoints(root, scene, name), writeNpy(kp, [FRAMES_PER_ITEM, 2, 21, 3]));
    const material = p.header.material;
    write(paths.labels(root, scene, name), JSON.stringify({
      item: name, scene, source: 'xr-demo capture', take, view: 0, viewName: 'headset',
      region: p.header.region, material, materialIndex: material ? MATERIAL_NAMES.indexOf(material) : -1,
      startSec: j * ITEM_SEC, durationSec: ITEM_SEC, paddedSec: Math.max(0, (j + 1) * ITEM_SEC - seconds),
      sampleRate: SAMPLE_RATE, recordedSampleRate: p.header.sampleRate, keypointFps: KEYPOINT_FPS,
      wav: `audio/${name}.wav`, trackedFrames: tracked, handFrames: p.trajectory.frameCount, bridgedGapSec: maxGapSec,
      camera: { position: camera.position, right: camera.right, down: camera.down, forward: camera.forward, fovDeg: camera.fovDeg },
      keypointFrame: 'camera (OpenCV: x right, y down, z forward) = the headset at the start, metres; hand 0 = left, 1 = right; zeros = not tracked',
      clock: { audioStartPageSec: p.header.audioStartPageSec, mapping: p.header.clock },
    }, null, 1) + '\n');
    items.push(name);
  }
  // split.json: append to train (a user's room is training data); dataset.json once, so the reader keeps our mels.
  const splitPath = paths.split(root);
  const split: Split = existsSync(splitPath) ? JSON.parse(readFileSync(splitPath, 'utf8')) as Split : { train: [], val: [], test: [] };
  for (const name of items) split.train.push([scene, name]);
  write(splitPath, JSON.stringify(split) + '\n');
  if (!existsSync(paths.manifest(root))) {
    write(paths.manifest(root), JSON.stringify({
      format: MANIFEST_FORMAT, generator: { name: 'hearing-hands xr-demo capture', version: '1.0.0' },
      itemSec: ITEM_SEC, sampleRate: SAMPLE_RATE, keypointFps: KEYPOINT_FPS, views: ['headset'],
      mel: { layout: 'nMels × frames', scale: 'ln(max(mel, 1e-5))', features: FEATURES },
      materials: MATERIAL_NAMES, scenes: [{ id: scene, kind: 'real capture (WebXR hand joints + microphone)' }],
    }, null, 1) + '\n');
  }
  return { root, scene, items, seconds, take };
}
