"""Checks data.TensorWindows' visual swap (train.visualSwap) on items whose visual frames say which item they are.
Prints one JSON line; test/model/visual-swap.test.ts asserts on it.
  - a swapped window takes another item's frames, always of the same material and (where the material has one)
    on another surface, at the same times (clipped to that item's length);
  - about `probability` of the windows are swapped; probability 0 or no visualSwap leaves every window its own;
  - an item without a material label, or whose material has only its own surface, keeps its own frames;
  - a malformed visualSwap is refused with its name;
  - every item of the material on another surface can be drawn;
  - the mel and action of a window are its own item's either way."""
import json

import numpy as np
import torch

from data import Item, TensorWindows

T30, T, T4 = 241, 501, 33
items = []
# materials a (3 surfaces), b (2 surfaces), c (1 surface), and one item with no material label
plan = [("a", r) for r in (0, 1, 2) for _ in range(3)] + [("b", r) for r in (3, 4) for _ in range(3)] + [("c", 5)] * 3 + [(None, 6)]
for n, (mat, region) in enumerate(plan):
    frames = T4 - (n % 3)  # lengths differ: a swapped window's times are clipped to the other item's frames
    vis = np.zeros((frames, 4), np.float32)
    vis[:, 0] = n                            # which item
    vis[:, 1] = np.arange(frames)            # which frame
    label = {"region": region, **({"material": mat} if mat else {})}
    act = np.full((T30, 252), float(n), np.float32)
    mel = np.full((80, T), float(n), np.float32)
    items.append(Item(f"scene{region // 3}", f"item{n}", mel, act, vis, label, 30, 4, 2))
mat = [m for m, _ in plan]
reg = [r for _, r in plan]
N = 4096
out = {}
for name, swap in (("half", {"probability": 0.5}), ("all", {"probability": 1.0}), ("zero", {"probability": 0.0}), ("absent", None)):
    w = TensorWindows(items, 64, "cpu", 0, swap=swap)
    mel, act, vis, _ = w.batch(N)
    own = mel[:, 0, 0].long()
    took = vis[:, :, 0].long()
    frame = vis[:, :, 1].long()
    same_item_all_frames = bool((took == took[:, :1]).all())
    swapped = took[:, 0] != own
    sw = swapped.nonzero().flatten().tolist()
    # the action comes from the window's own item (its mel says which)
    start_ok = bool((act[:, 0, 0].long() == own).all())
    can_swap = torch.tensor([mat[n] is not None and len({reg[k] for k in range(len(plan)) if mat[k] == mat[n]}) > 1 for n in own.tolist()])
    out[name] = {
        "windows": N,
        "swapShare": round(float(swapped.float().mean()), 4),
        "swapShareWhereOtherSurface": round(float(swapped[can_swap].float().mean()), 4) if can_swap.any() else 0,
        "swappedNoOtherSurface": int((swapped & ~can_swap).sum()),
        "sameMaterial": all(mat[took[i, 0]] == mat[own[i]] for i in sw),
        "otherSurface": all(reg[took[i, 0]] != reg[own[i]] for i in sw),
        "oneItemPerWindow": same_item_all_frames,
        "framesInRange": bool((frame < torch.tensor([items[k].visual_src.shape[0] for k in took.flatten().tolist()]).view_as(frame)).all()),
        "framesNondecreasing": bool((frame[:, 1:] >= frame[:, :-1]).all()),
        "melAndActionOwn": start_ok,
        # every item of the material on another surface is drawn (none is left out of the runs)
        "coversAllOthers": all({took[i, 0].item() for i in sw if own[i] == n} ==
                               {k for k in range(len(plan)) if mat[k] == mat[n] and reg[k] != reg[n]}
                               for n in range(len(plan)) if can_swap[own == n].any()) if sw else None,
    }
refused = []
for bad in ({"probability": 1.5}, {"probability": "half"}, {"share": 0.5}, {"probability": 0.5, "otherSurface": "yes"}, 0.5):
    try:
        TensorWindows(items, 64, "cpu", 0, swap=bad)
    except ValueError as e:
        refused.append(str(e)[:160])
out["refused"] = refused
print(json.dumps(out))
