"""The material prior: a small visual encoder, fitted on the training split's labelled visual frames, in front of
the flow network's visual input.

Why: the network memorises the surfaces it was trained on. On held-out surfaces it names the material of only ~58 %
of its sounds (the judge's agreement), although a probe on the same visual vectors names 93 % of them, and given the
material's mean training visual instead of the surface's own it reaches 85 %. So each visual frame is pulled
towards the mean training visual of the material it shows:

    visual' = (1 - mix) * visual + mix * sum_m p(m | visual) * prototype_m

p is an MLP over the standardised frame (trained with noise, dropout and label smoothing, so its posteriors are not
all one-hot); prototype_m is the mean training frame of material m. mix < 1 keeps what the frame shows besides the
material (whether a hand is in view), which the network uses for the action. It runs inside the exported graphs
(the network's `condition`), so the runtime feeds the same visual rows as before.

CLI: add a prior to an existing bundle (the prior depends only on the data and the seed, so every model trained on
the same data gets the same one):

    /usr/bin/python3 models/recipe/material_prior.py --bundle IN.npz --data DATASET --out OUT [--mix 0.5]

Refit only the classifier of a bundle's prior on more surfaces than the network's training data shows (other simulated
scenes: `--data` again per dataset), its prototypes and mix kept, so the network behind it gets the frames it learned on:

    /usr/bin/python3 models/recipe/material_prior.py --bundle IN.npz --keep-prototypes --data D1 --data D2 ... --out OUT
"""
import argparse
import copy
import json
import os
import sys
import time
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


class MaterialPrior(nn.Module):
    def __init__(self, visual_dim: int, n_materials: int, hidden: int = 256, mix: float = 0.5):
        super().__init__()
        self.register_buffer("mean", torch.zeros(visual_dim))
        self.register_buffer("std", torch.ones(visual_dim))
        self.register_buffer("prototypes", torch.zeros(n_materials, visual_dim))
        self.register_buffer("mix", torch.tensor(float(mix)))
        self.classify = nn.Sequential(nn.Linear(visual_dim, hidden), nn.GELU(), nn.Dropout(0.2), nn.Linear(hidden, n_materials))

    def posterior(self, visual):
        """(..., D) -> (..., M) p(material | visual frame)."""
        return F.softmax(self.classify((visual - self.mean) / self.std), dim=-1)

    def forward(self, visual):
        return (1 - self.mix) * visual + self.mix * (self.posterior(visual) @ self.prototypes)


def _frames(items, materials: List[str]):
    keep = [it for it in items if it.label.get("material") in materials]
    x = torch.from_numpy(np.concatenate([it.visual_src for it in keep])).float() if keep else torch.zeros(0)
    y = torch.from_numpy(np.concatenate([np.full(len(it.visual_src), materials.index(it.label["material"])) for it in keep])) if keep else torch.zeros(0)
    return x, y


def fit_material_prior(train_items, val_items, mix: float = 0.5, steps: int = 3000, seed: int = 0, log=print, test_items=(),
                       keep: Optional[MaterialPrior] = None, keep_materials: Optional[List[str]] = None):
    """Fits the prior on the train items' visual frames (labels: their material). Returns (prior, report) or
    (None, reason) when the data has no material labels. `val_items` and `test_items` only score it (a simulated
    plan's val split mixes seen and unseen surfaces; its test split is surfaces never seen).

    With `keep` (a fitted prior, its `keep_materials`), only p(m | frame) is fitted again: its prototypes and mix
    stay, so the network behind it is given the same frames as when it was trained (each pulled towards the same
    points), only pulled towards the right one more often. That lets the classifier learn from more surfaces than
    the network's own training data shows (other simulated scenes: see the models README)."""
    materials = sorted({it.label["material"] for it in train_items if it.label.get("material")})
    if keep is not None:
        missing = sorted(set(keep_materials or []) - set(materials))
        if missing:
            return None, f"the kept prior's materials {keep_materials} are not all named by the training items (missing {missing})"
        materials = list(keep_materials)  # in the kept prior's order: its prototypes' rows
    if len(materials) < 2:
        return None, "the training items name fewer than 2 materials"
    t0 = time.time()
    x, y = _frames(train_items, materials)
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # dropout
    prior = MaterialPrior(x.shape[1], len(materials), mix=float(keep.mix) if keep is not None else mix)
    prior.mean.copy_(x.mean(0))
    prior.std.copy_(x.std(0) + 1e-6)
    if keep is not None:
        if tuple(keep.prototypes.shape) != (len(materials), x.shape[1]):
            return None, f"the kept prior's prototypes are {tuple(keep.prototypes.shape)}, the frames {x.shape[1]} wide for {len(materials)} materials"
        prior.prototypes.copy_(keep.prototypes)
    else:
        prior.prototypes.copy_(torch.stack([x[y == k].mean(0) for k in range(len(materials))]))
    opt = torch.optim.AdamW(prior.classify.parameters(), 1e-3, weight_decay=1e-2)
    prior.train()
    for _ in range(steps):
        i = torch.randint(len(x), (min(512, len(x)),), generator=g)
        z = (x[i] - prior.mean) / prior.std
        z = z + 0.1 * torch.randn(z.shape, generator=g)  # noise: no surface is seen exactly twice
        loss = F.cross_entropy(prior.classify(z), y[i], label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
    prior.eval()

    def acc(xs, ys):
        with torch.no_grad():
            return round(float((prior.posterior(xs).argmax(-1) == ys).float().mean()), 4) if len(xs) else None
    report = {"mix": float(prior.mix), "materials": materials, "hidden": prior.classify[0].out_features, "steps": steps, "seed": seed,
              "trainItems": len(train_items), "trainFrames": int(len(x)), "frameAccuracyTrain": acc(x, y)}
    for name, items in (("val", val_items), ("test", test_items)):
        if items:
            report[f"{name}Items"], report[f"frameAccuracy{name.title()}"] = len(items), acc(*_frames(items, materials))
            report[f"itemAccuracy{name.title()}"] = item_accuracy(prior, items, materials)
    log(f"material prior: {len(materials)} materials from {len(x)} visual frames in {time.time() - t0:.0f}s; frame accuracy "
        + ", ".join(f"{report[k]} ({k[13:].lower()})" for k in ("frameAccuracyTrain", "frameAccuracyVal", "frameAccuracyTest") if k in report))
    return prior, report


def item_accuracy(prior: MaterialPrior, items, materials: List[str]) -> Optional[float]:
    """The share of items (of a known material) whose mean posterior over their frames names their material."""
    ok = n = 0
    with torch.no_grad():
        for it in items:
            if it.label.get("material") in materials:
                p = prior.posterior(torch.from_numpy(np.asarray(it.visual_src, np.float32))).mean(0)
                ok += int(materials[int(p.argmax())] == it.label["material"])
                n += 1
    return round(ok / n, 4) if n else None


def prior_from_state(state: Dict[str, torch.Tensor], prefix: str = "material_prior.") -> Optional[MaterialPrior]:
    """The prior stored in a network's state dict (None if there is none): its shapes come from the arrays."""
    if prefix + "prototypes" not in state:
        return None
    protos, w0 = state[prefix + "prototypes"], state[prefix + "classify.0.weight"]
    prior = MaterialPrior(protos.shape[1], protos.shape[0], hidden=w0.shape[0])
    prior.load_state_dict({k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)})
    return prior.eval()


def copy_prior(src: nn.Module, *nets: nn.Module):
    """Gives each of `nets` a frozen copy of `src`'s prior (or none, as `src`): a student or a fine-tuned copy
    keeps its teacher's visual encoder as it is."""
    prior = getattr(src, "material_prior", None)
    for net in nets:
        net.material_prior = copy.deepcopy(prior).requires_grad_(False).to(next(net.parameters()).device) if prior is not None else None


def main():
    sys.path.insert(0, HERE)
    from data import load_split
    from train import load_bundle, log, save_bundle
    ap = argparse.ArgumentParser(description="add a material prior to a bundle")
    ap.add_argument("--bundle", required=True, help="the bundle to add it to (.npz/.json or the name without either)")
    ap.add_argument("--data", action="append", help="dataset whose train split fits it (its val split, if any, scores it); "
                    "give it again to add more (other simulated scenes: more surfaces of each material); not with --set-mix")
    ap.add_argument("--keep-prototypes", action="store_true", help="keep the bundle's prior's prototypes and mix and fit "
                    "only p(material | frame) again: the network behind it is given the frames it was trained on")
    ap.add_argument("--val-data", help="another dataset whose val split scores it (e.g. simulate --only val of the same plan)")
    ap.add_argument("--test-data", help="a dataset whose test split scores it (surfaces never seen: e.g. the evaluation's)")
    ap.add_argument("--config", default=os.path.join(HERE, "config.gpu.json"), help="the bundle's config (network shape, data settings)")
    ap.add_argument("--out", required=True, help="the new bundle's path (without .npz/.json)")
    ap.add_argument("--mix", type=float, default=0.5)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set-mix", type=float, help="keep the bundle's fitted prior and set only its mix (one chosen on "
                    "held-out surfaces, say: the fit depends on the training frames only, the mix on what it is for)")
    a = ap.parse_args()
    if a.set_mix is None and not a.data:
        ap.error("--data is required to fit a prior (or give --set-mix to change only the mix of the bundle's)")
    if a.set_mix is not None and not 0.0 <= a.set_mix <= 1.0:
        ap.error(f"--set-mix must be in [0, 1], not {a.set_mix}")
    with open(a.config) as f:
        cfg = json.load(f)
    torch.set_num_threads(cfg["train"].get("threads", 2))
    net, clf, meta = load_bundle(a.bundle, cfg)
    if a.set_mix is not None:
        if net.material_prior is None or not meta.get("materialPrior"):
            raise SystemExit(f"--set-mix: {a.bundle} has no material prior to set the mix of")
        before = float(net.material_prior.mix)
        net.material_prior.mix.fill_(a.set_mix)
        report = {**meta["materialPrior"], "mix": a.set_mix, "mixSet": f"{before:g} -> {a.set_mix:g} after fitting (material_prior.py --set-mix)"}
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        save_bundle(a.out, net, clf, {**meta, "materialPrior": report})
        log(f"material prior mix {before:g} -> {a.set_mix:g}: {a.out}.npz/.json")
        return
    kept = None
    if a.keep_prototypes:
        kept = meta.get("materialPrior")
        if net.material_prior is None or not kept:
            raise SystemExit(f"--keep-prototypes: {a.bundle} has no material prior to keep the prototypes of")
    train, val = [], []
    for d in a.data:
        split = load_split(d, cfg["data"], ("train", "val"))
        train, val = train + split["train"], val + split["val"]
    val += load_split(a.val_data, cfg["data"], ("val",))["val"] if a.val_data else []
    test = load_split(a.test_data, cfg["data"], ("test",))["test"] if a.test_data else []
    prior, report = fit_material_prior(train, val, a.mix, a.steps, a.seed, log, test,
                                       keep=net.material_prior if kept else None, keep_materials=kept["materials"] if kept else None)
    if prior is None:
        raise SystemExit(f"no material prior: {report}")
    net.material_prior = prior
    rel = [os.path.relpath(os.path.abspath(d), REPO) for d in a.data]
    report["data"] = rel[0] if len(rel) == 1 else rel
    if kept:
        report["prototypesKept"] = {k: kept[k] for k in ("data", "trainItems", "trainFrames", "mix") if k in kept}
    for key, path in (("valData", a.val_data), ("testData", a.test_data)):
        if path:
            report[key] = os.path.relpath(os.path.abspath(path), REPO)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    save_bundle(a.out, net, clf, {**meta, "materialPrior": report})
    log(f"bundle with its material prior: {a.out}.npz/.json")


if __name__ == "__main__":
    main()
