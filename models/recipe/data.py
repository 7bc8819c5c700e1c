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
from concurrent.futures import ThreadPoolExecutor
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


def frame_index(n_frames: int, fps: int, n_src: int, lookahead: int = 0, start: int = 0) -> np.ndarray:
    """Nearest upsampling: mel frame i (time i*hop/sr) takes source frame floor(i*fps*hop/sr) + lookahead
    (lookahead 0 = causal; the action may look a few 30 Hz frames ahead, which the live runtime supplies by
    anticipating the hand, so the model can see a contact's stop before it has to sound it)."""
    i = np.arange(start, start + n_frames, dtype=np.int64)
    return np.minimum(n_src - 1, (i * fps * HOP) // SR + lookahead)


def to_mel_rate(x: np.ndarray, fps: int, n_frames: int, lookahead: int = 0) -> np.ndarray:
    return x[frame_index(n_frames, fps, x.shape[0], lookahead)]


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
                 label: dict, action_fps: int, visual_fps: int, action_lookahead: int = 0,
                 plane: Optional[np.ndarray] = None):
        self.scene, self.name, self.mel, self.label = scene, name, mel, label
        # The touched surface in the camera frame: (2, 3) = a point on it and its outward unit normal; None if the
        # dataset does not say (training then predicts the hands without stopping them at the surface).
        self.plane = plane
        self.action_src, self.visual_src = action_src, visual_src
        self.action_fps, self.visual_fps = action_fps, visual_fps
        self.action_lookahead = action_lookahead

    def action_window(self, start: int, frames: int) -> np.ndarray:
        return self.action_src[frame_index(frames, self.action_fps, self.action_src.shape[0], self.action_lookahead, start)]

    def visual_window(self, start: int, frames: int) -> np.ndarray:
        return self.visual_src[frame_index(frames, self.visual_fps, self.visual_src.shape[0], 0, start)]


def resolve_scene_dir(root: str, scene: str, item: str) -> str:
    for d in (os.path.join(root, scene), root):
        if os.path.exists(os.path.join(d, "mel", item + ".npy")):
            return d
    raise FileNotFoundError(f"no mel/{item}.npy under {root}/{scene} or {root}")


def surface_planes(root: str) -> Dict[str, Dict[int, np.ndarray]]:
    """scene -> region -> (2, 3) world [centre, normal] from the simulated dataset's dataset.json ({} if none)."""
    p = os.path.join(root, "dataset.json")
    if not os.path.exists(p):
        return {}
    with open(p) as f:
        manifest = json.load(f)
    return {s["id"]: {int(f["region"]): np.array([f["center"], f["normal"]], dtype=np.float32) for f in s.get("surfaces", [])}
            for s in manifest.get("scenes", [])}


def plane_in_camera(world: np.ndarray, camera: dict) -> np.ndarray:
    """World [point, normal] -> camera frame (OpenCV: rows of R are the camera's right, down, forward)."""
    r = np.array([camera["right"], camera["down"], camera["forward"]], dtype=np.float32)
    return np.stack([r @ (world[0] - np.asarray(camera["position"], dtype=np.float32)), r @ world[1]]).astype(np.float32)


def load_mel(d: str, item: str) -> np.ndarray:
    """An item's log-mel (80, T) from its scene folder `d` (the paper's [0, 1] release converted)."""
    mel = np.load(os.path.join(d, "mel", item + ".npy")).astype(np.float32)
    if mel.shape[0] != FEATURES["nMels"]:
        raise ValueError(f"{item}: mel has {mel.shape[0]} bins, expected {FEATURES['nMels']}")
    if mel.min() >= 0.0 and mel.max() <= 1.0:  # the paper's [0, 1] release
        mel = released_mel_to_log_mel(mel)
    return mel


def load_label(d: str, item: str) -> dict:
    """An item's label JSON from its scene folder `d` (labels/ or the paper's label/), {} if it has none."""
    for lp in (os.path.join(d, "labels", item + ".json"), os.path.join(d, "label", item + ".json")):
        if os.path.exists(lp):
            with open(lp) as f:
                return json.load(f)
    return {}


def load_item(root: str, scene: str, item: str, cfg: dict, planes: Optional[Dict[str, Dict[int, np.ndarray]]] = None) -> Item:
    d = resolve_scene_dir(root, scene, item)
    mel = load_mel(d, item)
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
    label = load_label(d, item)
    plane = None
    world = (planes or {}).get(scene, {}).get(label.get("region", -1))
    if world is not None and isinstance(label.get("camera"), dict):
        plane = plane_in_camera(world, label["camera"])
    return Item(scene, item, mel, act, vis, label, cfg["actionFps"], cfg["visualFps"], cfg.get("actionLookaheadFrames", 0), plane)


def load_split(root: str, cfg: dict, which=("train", "val", "test")) -> Dict[str, List[Item]]:
    """The items of split.json's `which` splits (the others are left empty)."""
    with open(os.path.join(root, "split.json")) as f:
        split = json.load(f)
    planes = surface_planes(root)
    # Thousands of small .npy files: threads overlap the reads (numpy releases the GIL while reading).
    with ThreadPoolExecutor(max_workers=min(16, (os.cpu_count() or 2) * 2)) as pool:
        return {k: list(pool.map(lambda e: load_item(root, e[0], e[1], cfg, planes), split.get(k, []) if k in which else []))
                for k in ("train", "val", "test")}


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


# Keypoint radii (m), wrist first: how far each keypoint's centre stays off a surface it touches
# (src/sim/hand-skeleton.ts KEYPOINT_RADIUS_M; the runtime's clamp keeps predicted keypoints that far out).
KEYPOINT_RADIUS_M = [0.016, 0.01, 0.009, 0.008, 0.007, 0.013, 0.009, 0.008, 0.007, 0.013, 0.009, 0.008, 0.007,
                     0.013, 0.009, 0.008, 0.007, 0.012, 0.008, 0.007, 0.006]


def _pad_stack(arrs: List[np.ndarray], axis: int) -> np.ndarray:
    """Stacks arrays that differ in length along `axis`, each padded to the longest with its last value. One
    preallocated array: the per-item np.pad + np.stack it replaces took minutes for 24 h of data (it also found the
    longest once per item)."""
    longest = max(a.shape[axis] for a in arrs)
    shape = list(arrs[0].shape)
    shape[axis] = longest
    out = np.empty([len(arrs)] + shape, dtype=arrs[0].dtype)
    for i, a in enumerate(arrs):
        n = a.shape[axis]
        dst = np.moveaxis(out[i], axis, 0)
        dst[:n] = np.moveaxis(a, axis, 0)
        if n < longest:
            dst[n:] = np.moveaxis(a, axis, 0)[n - 1]
    return out


class TensorWindows:
    """The same random training windows as WindowSampler, drawn on the training device: every item's mel and
    conditioning is stacked into padded tensors once, and a batch is a few gathers (a GPU would otherwise wait
    on Python slicing thousands of windows per second).

    `predicted` (the config's train.predictedLookahead) makes a fraction of the windows look as they do live:
    the runtime (src/runtime/model-generator.ts) generates a chunk of k mel frames about A seconds before the
    chunk's last frame plays, so the 30 Hz hand frames the chunk's (lookahead) conditioning needs beyond the newest
    measured one are predicted there — constant velocity from the last two frames, keypoints kept out of the
    touched surface (src/runtime/action-timeline.ts). Trained only on true future frames, the model does not take
    such a prediction for a strike and sounds it late; trained on both, it sounds what the prediction shows.

    `swap` (the config's train.visualSwap) gives a fraction of the windows the visual frames of another item of the
    same material, on another surface (as_swapped_visual)."""

    def __init__(self, items: List[Item], window: int, device, seed: int, predicted: Optional[dict] = None,
                 late: Optional[dict] = None, swap: Optional[dict] = None):
        import torch
        items = [it for it in items if it.mel.shape[1] >= window]
        if not items:
            raise ValueError(f"no item has at least {window} frames")
        self.window, self.device = window, device
        self.act_fps, self.vis_fps, self.lookahead = items[0].action_fps, items[0].visual_fps, items[0].action_lookahead
        self.mel = torch.from_numpy(_pad_stack([it.mel for it in items], 1)).to(device)          # N x 80 x T
        self.act = torch.from_numpy(_pad_stack([it.action_src for it in items], 0)).to(device)   # N x T30 x 252
        self.vis = torch.from_numpy(_pad_stack([it.visual_src for it in items], 0)).to(device)   # N x T4 x D
        self.frames = torch.tensor([it.mel.shape[1] for it in items], device=device)
        self.n_act = torch.tensor([it.action_src.shape[0] for it in items], device=device)
        self.n_vis = torch.tensor([it.visual_src.shape[0] for it in items], device=device)
        self.gen = torch.Generator(device=device).manual_seed(seed)
        self.predicted = predicted if predicted and predicted.get("probability", 0) > 0 else None
        if self.predicted:
            planes = np.stack([it.plane if it.plane is not None else np.zeros((2, 3), np.float32) for it in items])
            self.planes = torch.from_numpy(planes).to(device)                                # N x 2 x 3
            self.radius = torch.tensor(KEYPOINT_RADIUS_M, device=device)
        self.late = None
        if late and late.get("probability", 0) > 0:
            # Every labelled impact as (item, first mel frame its sound reaches: the STFT is centred, so a frame
            # hears nFft/2 samples ahead of its centre).
            first = lambda t: max(0, int(round(t * SR / HOP)) - (FEATURES["nFft"] // 2) // HOP)  # noqa: E731
            pairs = [(n, first(t)) for n, it in enumerate(items) for t in contact_times(it.label) if t * SR / HOP < it.mel.shape[1] - 2]
            if pairs:
                self.late = dict(late)
                self.impact_item = torch.tensor([p[0] for p in pairs], device=device)
                self.impact_frame = torch.tensor([p[1] for p in pairs], device=device)
        self.swap = None
        if swap is not None and not (isinstance(swap, dict) and set(swap) <= {"probability", "otherSurface"}
                                     and isinstance(swap.get("probability"), (int, float)) and 0 <= swap["probability"] <= 1
                                     and isinstance(swap.get("otherSurface", True), bool)):
            raise ValueError(f'train.visualSwap must be {{"probability": 0..1[, "otherSurface": true|false]}}, not {swap!r}')
        if swap and swap["probability"] > 0 and any(it.label.get("material") for it in items):
            # Items sorted by (material, surface): a material's items are one run of `order`, and within it each
            # surface's items are one run, so "another surface of my material" is its run less my surface's run.
            key = [(it.label.get("material"), str((it.scene, it.label.get("region")))) for it in items]
            order = sorted((k, n) for n, k in enumerate(key) if k[0])
            m_start, g_start, m_count, g_count = {}, {}, {}, {}
            for pos, ((m, surf), _) in enumerate(order):
                m_start.setdefault(m, pos)
                g_start.setdefault((m, surf), pos)
                m_count[m] = m_count.get(m, 0) + 1
                g_count[(m, surf)] = g_count.get((m, surf), 0) + 1
            other = bool(swap.get("otherSurface", True))
            rows = [(m_start[k[0]], m_count[k[0]], g_start[k] - m_start[k[0]] if other else 0, g_count[k] if other else 0)
                    if k[0] else (0, 0, 0, 0) for k in key]
            self.swap = dict(swap)
            self.swap_order = torch.tensor([n for _, n in order], device=device)
            # per item: where its material's run starts, its length, its own surface's offset in it and length
            self.swap_rows = torch.tensor(rows, device=device)

    def batch(self, n: int):
        """-> mel (n, 80, w), action (n, w, 252), visual (n, w, D), context (n,): the number of clean past frames
        a window must be trained with (its late-onset splice, see as_late_onset), or -1 = the loss picks."""
        import torch
        dev, w = self.device, self.window
        idx = torch.randint(len(self.frames), (n,), generator=self.gen, device=dev)
        start = (torch.rand(n, generator=self.gen, device=dev) * (self.frames[idx] - w + 1)).long()
        i = start[:, None] + torch.arange(w, device=dev)[None, :]                                   # n x w mel frames
        src, context = i, torch.full((n,), -1, device=dev, dtype=torch.long)
        if self.late is not None:
            idx, i, src, context = self.as_late_onset(idx, i)
        mel = self.mel[idx[:, None, None], torch.arange(80, device=dev)[None, :, None], src[:, None, :]]
        ka = torch.minimum((i * self.act_fps * HOP) // SR + self.lookahead, self.n_act[idx, None] - 1)
        kv = torch.minimum((i * self.vis_fps * HOP) // SR, self.n_vis[idx, None] - 1)
        act = self.act[idx[:, None], ka]
        if self.predicted:
            act = self.as_predicted_live(idx, i, ka, act)
        vis_item = idx
        if self.swap is not None:
            vis_item = self.as_swapped_visual(idx)
            kv = torch.minimum(kv, self.n_vis[vis_item, None] - 1)  # the other item's frames may end sooner
        return mel, act, self.vis[vis_item[:, None], kv], context

    def as_swapped_visual(self, idx):
        """The item whose visual frames each window takes: in a `probability` fraction of the windows, another item of
        the same material on another surface (`"otherSurface": false`: any item of that material); a window whose
        item has no material label, or whose material has no other surface, keeps its own frames. The network then
        cannot tell one training surface from another of its material by the look alone, and learns what the look
        says about the material: what a surface it has never seen shares with them. (Trained on its own frames only,
        it memorises its training surfaces and renders an unseen one's material wrong: models/README.md, "Where the
        material is lost".)"""
        import torch
        dev, n = self.device, idx.shape[0]
        start, count, own_at, own_count = self.swap_rows[idx].unbind(1)
        choices = count - own_count
        r = (torch.rand(n, generator=self.gen, device=dev) * choices).long().clamp(max=(choices - 1).clamp(min=0))
        r = torch.where(r >= own_at, r + own_count, r)  # skip the own surface's run
        other = self.swap_order[(start + r).clamp(max=len(self.swap_order) - 1)]
        use = (torch.rand(n, generator=self.gen, device=dev) < self.swap["probability"]) & (choices > 0)
        return torch.where(use, other, idx)

    def as_late_onset(self, idx, i):
        """A `probability` fraction of the windows become a strike the model missed live: the hand frames are
        unchanged, but the sound from the impact on is delayed by e frames (1..maxFrames), the gap filled with
        the e frames before the impact, and the window's clean past ends e frames after the impact: the past
        the model sees is its own silence where the strike should have sounded, and it learns to sound the
        onset at once, late, rather than never (trained only on true pasts, it continues the silence).
        Returns item, mel frame (action/visual time), the frame whose sound each position takes, context."""
        import torch
        dev, w, n = self.device, self.window, idx.shape[0]
        cfg = self.late
        r = torch.randint(len(self.impact_item), (n,), generator=self.gen, device=dev)
        item, j = self.impact_item[r], self.impact_frame[r]
        e = torch.randint(1, int(cfg.get("maxFrames", 8)) + 1, (n,), generator=self.gen, device=dev)
        lo = int(cfg.get("minContext", 8))
        ctx = torch.randint(lo, w - 4, (n,), generator=self.gen, device=dev)                     # splice end in window
        start = torch.minimum((j + e - ctx).clamp(min=0), self.frames[item] - w)
        ctx = j + e - start
        use = (torch.rand(n, generator=self.gen, device=dev) < cfg["probability"]) & (ctx >= 1) & (ctx < w) & (j >= e)
        li = start[:, None] + torch.arange(w, device=dev)[None, :]
        lsrc = torch.where(li < j[:, None], li, li - e[:, None])
        u = use[:, None]
        return (torch.where(use, item, idx), torch.where(u, li, i), torch.where(u, lsrc, i),
                torch.where(use, ctx, torch.full_like(ctx, -1)))

    def as_predicted_live(self, idx, i, ka, act):
        """Replaces, in a `probability` fraction of the windows, every action row whose 30 Hz frames lie beyond
        what a live tick would have measured by the runtime's prediction of them."""
        import torch
        cfg, dev, n = self.predicted, self.device, idx.shape[0]
        rand = lambda *s: torch.rand(*s, generator=self.gen, device=dev)  # noqa: E731
        choices = torch.tensor(cfg.get("tickFrames", [1, 2, 4]), device=dev)
        k = choices[torch.randint(len(choices), (n,), generator=self.gen, device=dev)][:, None]       # n x 1
        phase = (rand(n, 1) * k).long()
        lo, hi = cfg.get("extraSec", [0.0, 0.03])
        # ModelGenerator's default anticipation: the tick's frames + one hop, the vocoder's hold-back, one audio
        # block and 5 ms; plus the tick cost it adds (extraSec).
        hold = (FEATURES["nFft"] / 2 - HOP) / SR
        ahead = (k + 1) * HOP / SR + hold + 128 / 48000 + 0.005 + lo + (hi - lo) * rand(n, 1)
        last = torch.div(i - phase, k, rounding_mode="floor") * k + k - 1 + phase                     # chunk's last frame
        newest = torch.floor((last * HOP / SR - ahead) * self.act_fps).long()                         # newest measured
        use = (rand(n, 1) < cfg["probability"]) & (newest >= 1)
        m = newest.clamp(1)
        m = torch.minimum(m, self.n_act[idx, None] - 1)
        pos = self.act[..., :126]
        pm, pm1 = pos[idx[:, None], m].view(n, -1, 2, 63), pos[idx[:, None], m - 1].view(n, -1, 2, 63)
        has_m, has_m1 = (pm != 0).any(-1, keepdim=True), (pm1 != 0).any(-1, keepdim=True)
        step = torch.where(has_m1, pm - pm1, torch.zeros_like(pm))                                    # per 30 Hz frame
        plane = self.planes[idx]                                                                      # n x 2 x 3
        on = (plane[:, 1] != 0).any(-1)[:, None, None, None, None]

        def frame(g):
            measured = pos[idx[:, None], g.clamp(0)].view(n, -1, 2, 63) * (g >= 0)[..., None, None]
            guess = (pm + step * (g - m)[..., None, None].float()).view(n, -1, 2, 21, 3)
            p0, nrm = plane[:, None, None, None, 0], plane[:, None, None, None, 1]
            depth = ((guess - p0) * nrm).sum(-1, keepdim=True) - self.radius[None, None, None, :, None]
            guess = torch.where(on & (depth < 0), guess - depth * nrm, guess).view(n, -1, 2, 63) * has_m
            return torch.where((g > m)[..., None, None], guess, measured)

        cur, prev = frame(ka), frame(ka - 1)
        both = (cur != 0).any(-1, keepdim=True) & (prev != 0).any(-1, keepdim=True)
        vel = (cur - prev) * float(self.act_fps) * both
        live = torch.cat([cur.reshape(n, -1, 126), vel.reshape(n, -1, 126)], dim=2)
        return torch.where(use[..., None] & (ka > m)[..., None], live, act)
