"""Checks data.TensorWindows' live-conditioned windows (train.predictedLookahead) on a hand whose motion is known:
it falls at constant speed through a plane. Prints one JSON line; test/model/live-windows.test.ts asserts on it.
  - far from the surface, constant-velocity prediction is exact, so live rows equal the true rows;
  - no predicted keypoint lies inside the surface (the runtime's clamp: centre at least its radius outside);
  - the untracked hand stays zeros (not tracked), never predicted into existence;
  - probability 0 leaves every row as the true (measured) one;
  - its keypoint radii are the runtime clamp's (the test compares them with src/sim/hand-skeleton.ts)."""
import json
import sys

import numpy as np
import torch

from data import KEYPOINT_RADIUS_M, Item, TensorWindows, action_features

T30, T = 241, 501
kp = np.zeros((T30, 2, 21, 3), np.float32)
shape = np.random.default_rng(0).normal(0, 0.02, (21, 3)).astype(np.float32)
for f in range(T30):
    kp[f, 1] = shape + np.array([0, -0.5 + 0.1 * f / 30, 1.0], np.float32)  # y down (camera): falls 0.1 m/s
act = action_features(kp, 30)
plane = np.array([[0, 0, 1.0], [0, -1.0, 0]], np.float32)                     # y = 0, outward normal up (-y)
item = Item("s", "a", np.zeros((80, T), np.float32), act, np.zeros((33, 4), np.float32), {}, 30, 4, 2, plane)
live = TensorWindows([item], 64, "cpu", 0, {"probability": 1.0, "tickFrames": [1, 2, 4], "extraSec": [0.0, 0.04]})
true = TensorWindows([item], 64, "cpu", 0, None)
off = TensorWindows([item], 64, "cpu", 0, {"probability": 0.0})
a, a0, a_off = live.batch(256)[1], true.batch(256)[1], off.batch(256)[1]
pos, pos0 = a[..., :126].reshape(256, 64, 2, 21, 3), a0[..., :126].reshape(256, 64, 2, 21, 3)
r = torch.tensor(KEYPOINT_RADIUS_M)
far = (pos0[:, :, 1, :, 1] < -0.25).all(-1)  # true rows well above the surface (y < -0.25 m)
changed = (a - a0).abs().amax(-1) > 1e-4
out = {
    "farRows": int(far.sum()),
    "farMaxError": float((a - a0).abs().amax(-1)[far].max()),
    "maxPenetrationM": float((pos[:, :, 1, :, 1] + r).max()),        # > 0: a keypoint inside the surface
    "trueMaxPenetrationM": float((pos0[:, :, 1, :, 1] + r).max()),   # the true hand does pass through
    "changedRows": int(changed.sum()),
    "untrackedMaxAbs": float(pos[:, :, 0].abs().max()),
    "offMaxDiff": float((a_off - a0).abs().max()),
    "radiiM": KEYPOINT_RADIUS_M,  # must equal src/sim/hand-skeleton.ts KEYPOINT_RADIUS_M (the runtime's clamp)
}

# Late-onset windows (train.lateOnset): mel frame t holds the value t, one labelled impact at 3.0 s. Every late window's
# clean past must end just before the impact's first frame, and its first generated frame be that frame.
mel = np.tile(np.arange(T, dtype=np.float32), (80, 1))
hit = Item("s", "b", mel, act, np.zeros((33, 4), np.float32), {"impacts": [{"timeSec": 3.0}]}, 30, 4, 2, plane)
first = int(round(3.0 * 16000 / 256)) - 1024 // 2 // 256
lw = TensorWindows([hit], 64, "cpu", 0, None, {"probability": 1.0, "maxFrames": 8, "minContext": 8})
m, a_late, _, ctx = lw.batch(256)
rows = torch.arange(256)
frame_at_ctx = (a_late[rows, ctx, 64] - shape[0, 1] + 0.5) / 0.1 * 30  # the right hand's wrist y (falls 0.1 m/s) -> its 30 Hz frame
out["late"] = {
    "minContext": int(ctx.min()), "maxContext": int(ctx.max()),
    "firstGenerated": sorted({int(v) for v in m[rows, 0, ctx]}),          # must be [first]
    "lastContext": sorted({int(v) for v in m[rows, 0, ctx - 1]}),         # must be [first - 1]
    "maxContextValue": int(max(int(m[r, 0, :ctx[r]].max()) for r in range(256))),
    "delayFrames30": [round(float(frame_at_ctx.min()) - first * 30 * 256 / 16000, 2), round(float(frame_at_ctx.max()) - first * 30 * 256 / 16000, 2)],
    "firstFrame": first,
}
json.dump(out, sys.stdout)
print()
