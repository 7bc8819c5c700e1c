"""Checks material_prior.py on synthetic items whose visual frames are a noisy code of their material, on surfaces
never seen in fitting (each surface's own offset). Prints one JSON line; test/model/material-prior.test.ts asserts on it.
  - the prior computes (1 - mix) * frame + mix * sum_m p(m | frame) * prototype_m, prototypes = the materials' mean
    training frames; mix 0 is the identity;
  - it names the material of held-out surfaces' frames;
  - it pulls a held-out surface's frames towards its material's prototype (what the network learned on);
  - attached to the network, the channels-last twin that the export uses computes the same velocity;
  - a bundle keeps it: save_bundle -> load_bundle gives the same outputs; copy_prior gives a frozen copy;
  - data without material labels gives no prior (and says why);
  - fitted again with a prior's prototypes and mix kept (material_prior.py --keep-prototypes), on more surfaces: the
    prototypes and mix stay, the classifier is new and names more held-out surfaces; data lacking one of the kept
    materials gives none (and says why)."""
import json
import os
import tempfile

import numpy as np
import torch

from data import Item
from material_prior import copy_prior, fit_material_prior
from model_cl import from_flownet
from train import build_net, load_bundle, save_bundle

torch.set_num_threads(1)
D, MATS = 16, ["glass", "metal", "wood", "fabric"]
rng = np.random.default_rng(0)
codes = rng.normal(0, 1, (len(MATS), D)).astype(np.float32)


def items(n_surfaces, seed, labelled=True, spread=0.6):
    r = np.random.default_rng(seed)
    out = []
    for s in range(n_surfaces):
        m = s % len(MATS)
        surface = r.normal(0, spread, D).astype(np.float32)  # what this surface looks like besides its material
        vis = codes[m] + surface + r.normal(0, 0.3, (32, D)).astype(np.float32)
        out.append(Item("S", f"s{s}", np.zeros((80, 500), np.float32), np.zeros((241, 252), np.float32), vis,
                        {"material": MATS[m]} if labelled else {}, 30, 4))
    return out


train, held = items(40, 1), items(12, 2)
prior, report = fit_material_prior(train, held, mix=0.5, steps=400, seed=0, log=lambda _m: None)
v = torch.from_numpy(np.stack([it.visual_src for it in held]))          # (12, 32, D)
with torch.no_grad():
    out = prior(v)
    want = 0.5 * v + 0.5 * (prior.posterior(v) @ prior.prototypes)
    proto_err = max(float((prior.prototypes[k] - torch.from_numpy(np.concatenate([it.visual_src for it in train if it.label["material"] == m])).mean(0)).abs().max())
                    for k, m in enumerate(report["materials"]))
    own = torch.stack([prior.prototypes[report["materials"].index(it.label["material"])] for it in held])[:, None]
    dist_before = float((v - own).norm(dim=-1).mean())
    dist_after = float((out - own).norm(dim=-1).mean())
    prior.mix.fill_(0.0)
    identity_err = float((prior(v) - v).abs().max())
    prior.mix.fill_(0.5)

cfg = {"model": {"width": 16, "condWidth": 8, "timeWidth": 8, "dilations": [1, 2], "kernel": 3}}
net = build_net(cfg, D).eval()
torch.manual_seed(1)
x, mask, t = torch.randn(2, 80, 20), torch.zeros(2, 1, 20), torch.tensor([0.3, 0.7])
act, vis, keep = torch.randn(2, 20, 252), torch.from_numpy(np.stack([held[0].visual_src[:20], held[1].visual_src[:20]])), torch.ones(2, 2)
with torch.no_grad():
    plain = net(x, mask, t, act, vis, keep)[0]
    net.material_prior = prior
    with_prior = net(x, mask, t, act, vis, keep)[0]
    twin = from_flownet(net)(x, mask, t, act, vis, keep)[0]

with tempfile.TemporaryDirectory() as d:
    save_bundle(os.path.join(d, "b"), net, None, {"visualDim": D})
    back, _, _ = load_bundle(os.path.join(d, "b"), cfg)
    with torch.no_grad():
        round_trip = float((back(x, mask, t, act, vis, keep)[0] - with_prior).abs().max())
    copy = build_net(cfg, D)
    copy_prior(back, copy)
    frozen = all(not p.requires_grad for p in copy.material_prior.parameters())

none, why = fit_material_prior(items(8, 3, labelled=False), [], log=lambda _m: None)

# --keep-prototypes: a prior fitted on one surface per material, fitted again on many with its prototypes and mix kept
# (the network behind it keeps the frames it learned on; the classifier learns from more surfaces).
# Surfaces that differ more than above, so that one per material is too few to generalise from.
held_far = items(40, 8, spread=1.2)
few, few_report = fit_material_prior(items(4, 5, spread=1.2), held_far, mix=0.7, steps=400, seed=0, log=lambda _m: None)
kept, kept_report = fit_material_prior(items(80, 7, spread=1.2), held_far, mix=0.5, steps=400, seed=0, log=lambda _m: None,
                                       keep=few, keep_materials=few_report["materials"])
not_kept, not_kept_why = fit_material_prior(items(2, 6), [], log=lambda _m: None, keep=few, keep_materials=few_report["materials"])
print(json.dumps({
    "heldFrameAccuracy": report["frameAccuracyVal"], "trainFrameAccuracy": report["frameAccuracyTrain"],
    "materials": report["materials"], "formulaMaxError": float((out - want).abs().max()), "prototypeMaxError": proto_err,
    "identityMaxError": identity_err, "distToOwnPrototypeBefore": dist_before, "distToOwnPrototypeAfter": dist_after,
    "priorChangesVelocity": float((with_prior - plain).abs().max()), "twinMaxError": float((twin - with_prior).abs().max()),
    "roundTripMaxError": round_trip, "copyFrozen": frozen, "unlabelled": {"prior": none is not None, "why": why},
    "keep": {"fewItemAccuracy": few_report["itemAccuracyVal"], "keptItemAccuracy": kept_report["itemAccuracyVal"],
             "prototypesKept": bool(torch.equal(kept.prototypes, few.prototypes)), "mix": round(kept_report["mix"], 6),
             "classifierRefitted": not torch.equal(kept.classify[0].weight, few.classify[0].weight),
             "missingMaterials": {"prior": not_kept is not None, "why": not_kept_why}},
}))
