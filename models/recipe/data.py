"""Reads a dataset in the released layout (DESIGN.md "Released-dataset layout"):

  <root>/split.json                                  {"train": [[scene, item], ...], "val": [...], "test": [...]}
  <root>/<scene>/mel/<item>.npy                      80 x T log-mel (ours) or [0, 1] mel (the paper's release)
  <root>/<scene>/hamer_hand_keypoints/<video>/<item>.npy   T30 x 2 x 21 x 3 at 30 Hz
  <root>/<scene>/<visual dir>/<item>.npy             Tv x D (4 Hz) visual features (ours, or CLIP's)
  <root>/<scene>/labels/<item>.json                  material, action, contact times (optional)

and turns each item into model inputs at the mel frame rate. The conditioning transforms here are mirrored
exactly by src/model/conditioning.ts (the runtime), so keep both in step."""
import json
import os
from typing import Dict, List, Optional

import numpy as np

from features import FEATURES, released_mel_to_log_mel

HOP = FEATURES["hop"]
SR = FEATURES["sampleRate"]


def action_features(kp: np.ndarray, fps: int) -> np.ndarray:
    """T30 x 2 x 21 x 3 keypoints -> T30 x 252: positions (m) and backward-difference velocities (m/s).
    A hand that is all zeros (missing, as in the paper) has zero velocity into and out of that frame."""
    kp = np.asarray(kp, dtype=np.float32)
    kp = np.where(np.isfinite(kp), kp, np.float32(0)).reshape(kp.shape[0], 2, 63)  # lost tracking = missing
    present = np.any(kp != 0, axis=2)  # T x 2
    vel = np.zeros_like(kp)
    both = present[1:] & present[:-1]
    vel[1:] = (kp[1:] - kp[:-1]) * np.float32(fps) * both[:, :, None]
    return np.concatenate([kp.reshape(-1, 126), vel.reshape(-1, 126)], axis=1).astype(np.float32)


def frame_index(n_frames: int, fps: int, n_src: int) -> np.ndarray:
    """Causal nearest upsampling: mel frame i (time i*hop/sr) takes source frame floor(i*fps*hop/sr)."""
    i = np.arange(n_frames, dtype=np.int64)
    return np.minimum(n_src - 1, (i * fps * HOP) // SR)


def to_mel_rate(x: np.ndarray, fps: int, n_frames: int) -> np.ndarray:
    return x[frame_index(n_frames, fps, x.shape[0])]


def _find_npy(scene_dir: str, sub: str, item: str) -> Optional[str]:
    p = os.path.join(scene_dir, sub, item + ".npy")
    if os.path.exists(p):
        return p
    d = os.path.join(scene_dir, sub)
    if os.path.isdir(d):  # keypoints live one folder deeper, under the video name
        for v in sorted(os.listdir(d)):
            q = os.path.join(d, v, item + ".npy")
            if os.path.exists(q):
                return q
    return None


def contact_times(label: dict) -> List[float]:
    """Audible contact onsets (s): the labelled impacts when listed, else contact starts (as eval/dataset.ts)."""
    out: List[float] = []
    keys = ("impacts",) if isinstance(label.get("impacts"), list) else ("contacts", "contactTimesSec", "contactTimes", "events")
    for key in keys:
        for c in label.get(key, []) or []:
            if isinstance(c, (int, float)):
                out.append(float(c))
            elif isinstance(c, dict):
                for k in ("tSec", "startSec", "timeSec", "t", "start", "time", "onsetSec"):
                    if k in c:
                        out.append(float(c[k]))
                        break
    return sorted(out)


class Item:
    """One item; conditioning is kept at its source rate (memory) and upsampled per window on demand."""

    def __init__(self, scene: str, name: str, mel: np.ndarray, action_src: np.ndarray, visual_src: np.ndarray,
                 label: dict, action_fps: int, visual_fps: int):
        self.scene, self.name, self.mel, self.label = scene, name, mel, label
        self.action_src, self.visual_src = action_src, visual_src
        self.action_fps, self.visual_fps = action_fps, visual_fps

    def action_window(self, start: int, frames: int) -> np.ndarray:
        i = np.arange(start, start + frames, dtype=np.int64)
        return self.action_src[np.minimum(self.action_src.shape[0] - 1, (i * self.action_fps * HOP) // SR)]

    def visual_window(self, start: int, frames: int) -> np.ndarray:
        i = np.arange(start, start + frames, dtype=np.int64)
        return self.visual_src[np.minimum(self.visual_src.shape[0] - 1, (i * self.visual_fps * HOP) // SR)]


def resolve_scene_dir(root: str, scene: str, item: str) -> str:
    for d in (os.path.join(root, scene), root):
        if os.path.exists(os.path.join(d, "mel", item + ".npy")):
            return d
    raise FileNotFoundError(f"no mel/{item}.npy under {root}/{scene} or {root}")


def load_item(root: str, scene: str, item: str, cfg: dict) -> Item:
    d = resolve_scene_dir(root, scene, item)
    mel = np.load(os.path.join(d, "mel", item + ".npy")).astype(np.float32)
    if mel.shape[0] != FEATURES["nMels"]:
        raise ValueError(f"{item}: mel has {mel.shape[0]} bins, expected {FEATURES['nMels']}")
    if mel.min() >= 0.0 and mel.max() <= 1.0:  # the paper's [0, 1] release
        mel = released_mel_to_log_mel(mel)
    n = mel.shape[1]
    kp_path = _find_npy(d, "hamer_hand_keypoints", item)
    if kp_path is None:
        raise FileNotFoundError(f"{item}: no hamer_hand_keypoints/*/{item}.npy")
    act = action_features(np.load(kp_path), cfg["actionFps"])
    vis_parts = []
    for group in cfg["visualDirs"]:  # the first group with any file wins: ours, else the paper's CLIP pair
        for sub in group:
            p = _find_npy(d, sub, item)
            if p is not None:
                v = np.load(p).astype(np.float32)
                vis_parts.append(v.reshape(v.shape[0], -1))
        if vis_parts:
            break
    if not vis_parts:
        raise FileNotFoundError(f"{item}: no visual features in any of {cfg['visualDirs']}")
    t = min(p.shape[0] for p in vis_parts)
    vis = np.concatenate([p[:t] for p in vis_parts], axis=1)
    label = {}
    for lp in (os.path.join(d, "labels", item + ".json"), os.path.join(d, "label", item + ".json")):
        if os.path.exists(lp):
            with open(lp) as f:
                label = json.load(f)
            break
    return Item(scene, item, mel, act, vis, label, cfg["actionFps"], cfg["visualFps"])


def load_split(root: str, cfg: dict) -> Dict[str, List[Item]]:
    with open(os.path.join(root, "split.json")) as f:
        split = json.load(f)
    return {k: [load_item(root, s, i, cfg) for s, i in split.get(k, [])] for k in ("train", "val", "test")}


class WindowSampler:
    """Random training windows over all items, as stacked numpy arrays (B x ...)."""

    def __init__(self, items: List[Item], window: int, rng: np.random.Generator):
        self.items = [it for it in items if it.mel.shape[1] >= window]
        if not self.items:
            raise ValueError(f"no item has at least {window} frames")
        self.window, self.rng = window, rng

    def batch(self, n: int):
        mel, act, vis = [], [], []
        for _ in range(n):
            it = self.items[self.rng.integers(len(self.items))]
            o = self.rng.integers(it.mel.shape[1] - self.window + 1)
            mel.append(it.mel[:, o:o + self.window])
            act.append(it.action_window(o, self.window))
            vis.append(it.visual_window(o, self.window))
        return np.stack(mel), np.stack(act), np.stack(vis)
