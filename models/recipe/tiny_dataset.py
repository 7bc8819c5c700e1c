"""A tiny synthetic dataset in the released layout, for the CI smoke train and tests (not for real training:
the real data comes from `hearing-hands simulate`). Each item: one hand taps or scratches a plane at known
times; the sound is a few decaying modes (tap) or band noise (scratch) whose pitch depends on the material;
the 'visual features' are a noisy material colour code at 4 Hz. Deterministic from the seed."""
import argparse
import json
import os
import wave as wavfile

import numpy as np

from features import log_mel

MATERIALS = ["wood", "metal", "glass", "fabric"]
MODES_HZ = {"wood": [300, 820], "metal": [900, 2400, 4100], "glass": [1800, 3900], "fabric": [150]}
T60_SEC = {"wood": 0.08, "metal": 0.6, "glass": 0.3, "fabric": 0.02}
ACTIONS = ["tap", "scratch"]
SR = 16000


def make_item(rng, seconds: float):
    mat = MATERIALS[rng.integers(len(MATERIALS))]
    act = ACTIONS[rng.integers(len(ACTIONS))]
    n30 = int(round(seconds * 30))
    kp = np.zeros((n30, 2, 21, 3), np.float32)
    base = rng.normal(0, 0.02, (21, 3)).astype(np.float32) + np.array([0.0, 0.0, 0.4], np.float32)
    contacts = sorted(rng.uniform(0.3, seconds - 0.4, size=rng.integers(1, 4)).tolist())
    t = np.arange(n30) / 30.0
    height = np.full(n30, 0.08, np.float32)
    for c in contacts:  # dip to the surface (y = 0) around each contact
        height = np.minimum(height, np.clip(np.abs(t - c) * 0.6, 0, 0.08))
    kp[:, 1] = base[None] + np.stack([np.zeros(n30), height, 0.05 * np.sin(t * 3)], 1)[:, None, :].astype(np.float32)
    wave = rng.normal(0, 1e-4, int(seconds * SR))
    tt = np.arange(int(0.8 * SR)) / SR
    for c in contacts:
        i0 = int(c * SR)
        if act == "tap":
            s = sum(np.sin(2 * np.pi * f * tt) * np.exp(-6.91 * tt / T60_SEC[mat]) for f in MODES_HZ[mat]) * 0.3
        else:
            f0 = MODES_HZ[mat][0]
            noise = rng.normal(0, 1, tt.size)
            spec = np.fft.rfft(noise)
            fr = np.fft.rfftfreq(tt.size, 1 / SR)
            spec *= np.exp(-((fr - 2 * f0) / (f0 + 200)) ** 2)
            s = np.fft.irfft(spec, tt.size) * np.exp(-tt / 0.15) * 0.05
        n = min(s.size, wave.size - i0)
        wave[i0:i0 + n] += s[:n]
    code = np.zeros(16, np.float32)
    code[MATERIALS.index(mat) * 4:(MATERIALS.index(mat) + 1) * 4] = 1
    vis = code[None] + rng.normal(0, 0.1, (int(seconds * 4), 16)).astype(np.float32)
    label = {"material": mat, "action": act, "contacts": [{"tSec": c} for c in contacts]}
    return log_mel(wave.astype(np.float32)), kp, vis, label, wave


def write(out: str, items: int, seconds: float, seed: int):
    rng = np.random.default_rng(seed)
    split = {"train": [], "val": [], "test": []}
    scene = "scene_00"
    for k in ("mel", "hamer_hand_keypoints/video_0", "visual_features", "labels", "audio"):
        os.makedirs(os.path.join(out, scene, k), exist_ok=True)
    for i in range(items):
        name = f"item_{i:04d}"
        mel, kp, vis, label, wave = make_item(rng, seconds)
        np.save(os.path.join(out, scene, "mel", name + ".npy"), mel)
        np.save(os.path.join(out, scene, "hamer_hand_keypoints", "video_0", name + ".npy"), kp)
        np.save(os.path.join(out, scene, "visual_features", name + ".npy"), vis)
        with open(os.path.join(out, scene, "labels", name + ".json"), "w") as f:
            json.dump(label, f)
        with wavfile.open(os.path.join(out, scene, "audio", name + ".wav"), "wb") as w:  # 16 kHz PCM16, as simulate writes
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SR)
            w.writeframes((np.clip(wave, -1, 32767 / 32768) * 32768).astype("<i2").tobytes())
        part = "test" if i % 5 == 0 else "val" if i % 5 == 1 else "train"
        split[part].append([scene, name])
    with open(os.path.join(out, "split.json"), "w") as f:
        json.dump(split, f)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    write(a.out, a.items, a.seconds, a.seed)
