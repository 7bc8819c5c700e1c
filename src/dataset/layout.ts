/**
 * The released dataset's layout (DESIGN.md, "Released-dataset layout"), shared by our writer and reader:
 *   <root>/split.json                                   {"train": [[scene, item], …], "val": …, "test": …}
 *   <root>/<scene>/mel/<item>.npy                       80 × T log-mel (ours) or [0, 1]-normalised (theirs)
 *   <root>/<scene>/hamer_hand_keypoints/<video>/<item>.npy   T × 2 × 21 × 3 (30 Hz)
 *   <root>/<scene>/clip_features/<item>.npy, clip_features_local/<item>.npy   (theirs, 32 × 512 / 32 × 1024)
 * and ours in place of CLIP, plus what the simulator knows:
 *   <root>/<scene>/visual_features/<item>.npy, visual_features_local/<item>.npy   32 × 64 (4 Hz)
 *   <root>/<scene>/local_views/<item>.npy              32 × 32 × 32 × 3 uint8 (the local RGB views)
 *   <root>/<scene>/audio/<sound>.wav                    16 kHz mono PCM16 (one per sound, shared by its 3 views)
 *   <root>/<scene>/labels/<item>.json                   material, action, contacts, cameras
 *   <root>/dataset.json                                 manifest (generator, seed, settings, scenes)
 * Item names follow theirs: video_<scene>_<region>_<take>_<view>_with_audio_fps_4_truncate_<start>_<end>;
 * the keypoint folder is the first five '_'-separated parts (the video and its view).
 */
import { join } from 'node:path';
import { InvalidDatasetError } from '../errors.js';

export const ITEM_SEC = 8;
export const MANIFEST_FORMAT = 'hearing-hands/simcapture@1';

export interface ItemKey { sceneId: string; region: number; take: number; view: number; startSec: number }

export function videoName(k: Omit<ItemKey, 'startSec'>): string {
  return `video_${k.sceneId}_R${k.region}_T${String(k.take).padStart(2, '0')}_${k.view}`;
}

export function itemName(k: ItemKey, durationSec = ITEM_SEC): string {
  return `${videoName(k)}_with_audio_fps_4_truncate_${k.startSec}_${k.startSec + durationSec}`;
}

/** The keypoint folder of an item: its first five '_'-separated parts. */
export function videoOfItem(item: string): string {
  const parts = item.split('_');
  if (parts.length < 5 || parts[0] !== 'video') throw new InvalidDatasetError(`item name '${item}' does not look like video_<…>_<view>_…`);
  return parts.slice(0, 5).join('_');
}

/** View index of an item (the fifth part of its name). */
export function viewOfItem(item: string): number {
  const v = Number(videoOfItem(item).split('_')[4]);
  if (!Number.isInteger(v)) throw new InvalidDatasetError(`item name '${item}' has no view index`);
  return v;
}

export const paths = {
  split: (root: string) => join(root, 'split.json'),
  manifest: (root: string) => join(root, 'dataset.json'),
  mel: (root: string, scene: string, item: string) => join(root, scene, 'mel', `${item}.npy`),
  keypoints: (root: string, scene: string, item: string) => join(root, scene, 'hamer_hand_keypoints', videoOfItem(item), `${item}.npy`),
  visual: (root: string, scene: string, item: string) => join(root, scene, 'visual_features', `${item}.npy`),
  visualLocal: (root: string, scene: string, item: string) => join(root, scene, 'visual_features_local', `${item}.npy`),
  clip: (root: string, scene: string, item: string) => join(root, scene, 'clip_features', `${item}.npy`),
  clipLocal: (root: string, scene: string, item: string) => join(root, scene, 'clip_features_local', `${item}.npy`),
  localViews: (root: string, scene: string, item: string) => join(root, scene, 'local_views', `${item}.npy`),
  audio: (root: string, scene: string, sound: string) => join(root, scene, 'audio', `${sound}.wav`),
  labels: (root: string, scene: string, item: string) => join(root, scene, 'labels', `${item}.json`),
};

export type SplitName = 'train' | 'val' | 'test';
export type Split = Record<SplitName, [string, string][]>;
