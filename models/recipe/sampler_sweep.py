"""Judge agreement of a bundle's sounds by sampler setting: a quick look, in PyTorch, at what steps and guidance
trade (the full table, vocoded and with onsets, is `hearing-hands eval`; this is ~1 min per 25-step setting on 120
items on 2 cores, and needs no export).

Each item's whole clip (cut to the split's shortest) is generated from the same noise per setting; the bundle's judge
labels the generated and the ground-truth log-mel directly (no vocoder), and a setting's agreement is the share of
items given the same material / action. Settings (";"-separated):

    g[@steps][>from][~temp]  classifier-free guidance g over both conditions (default 25 steps), guiding only the
                             steps from flow time `from` on (default 0: every step); temp scales the initial noise
    cond:ga,gv[@steps]       each condition its own guidance: v0 + ga (v_a - v0) + gv (v_av - v_a)

    /usr/bin/python3 models/recipe/sampler_sweep.py --bundle B.npz --config C.json --data DIR --split val \\
        --settings "4.5;4.5@25>0.4;1.5@4;cond:1.5,4.5" [--seeds 8] [--by-class]

(a shipped model's bundle and config: from_onnx.py). Prints one line per setting, then a JSON line of all of them.

Beside the two agreements, each setting reports how much louder the generated attacks are than the truth's
(`peakExcessNepers`: the median over items of the loudest frame's energy, generated minus truth; guidance inflates
it, and the judge hears inflated attacks as harder actions). `--seeds K` samples every item K times (seeds
seed..seed+K-1): the agreements are then the mean over seeds, and `anyOfKPct` is the share of items some seed gets
right, the most that choosing the best of K samples could reach. `--by-class` adds the agreements by the items'
labelled material and action, which shows where a model fails (e.g. taps heard as knocks).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from data import load_split  # noqa: E402
from model import sample  # noqa: E402
from train import load_bundle  # noqa: E402


def parse_setting(text: str) -> dict:
    """'4.5@25>0.4~0.7' or 'cond:1.5,4.5@25' -> {kind, guidance, steps, temp, guidanceFrom}."""
    s, steps, temp, start = text.strip(), 25, 1.0, 0.0
    if "~" in s:
        s, t = s.split("~")
        temp = float(t)
    if ">" in s:
        s, f = s.split(">")
        start = float(f)
    if "@" in s:
        s, k = s.split("@")
        steps = int(k)
    if s.startswith("cond:"):
        ga, gv = (float(x) for x in s[5:].split(","))
        return {"kind": "cond", "guidance": [ga, gv], "steps": steps, "temp": temp, "guidanceFrom": start}
    return {"kind": "joint", "guidance": [float(s)], "steps": steps, "temp": temp, "guidanceFrom": start}


@torch.no_grad()
def generate(net, act, vis, setting: dict, seed: int = 0, batch: int = 30) -> torch.Tensor:
    """Normalised log-mels (B, 80, T) from noise by Euler steps under `setting`: the recipe's sampler (model.sample)
    for guidance over both conditions; per condition, its three velocities per step (`batch` items at a time)."""
    b, t_frames, dev = act.shape[0], act.shape[1], act.device
    x = (setting["temp"] * torch.randn(b, 80, t_frames, generator=torch.Generator().manual_seed(seed))).to(dev)
    steps = setting["steps"]
    if setting["kind"] == "joint":  # items are independent: sampled `batch` at a time (3x faster here than all at once)
        parts = []
        for i in range(0, b, batch):
            noise = x[i:i + batch]
            n = noise.shape[0]
            parts.append(sample(net, torch.zeros_like(noise), torch.zeros(n, 1, t_frames, device=dev), noise, act[i:i + batch],
                                vis[i:i + batch], torch.ones(n, 2, device=dev), steps, setting["guidance"][0], setting["guidanceFrom"]))
        return torch.cat(parts)
    ga, gv = setting["guidance"]
    for k in range(steps):
        out = []
        for i in range(0, b, batch):
            sl = slice(i, i + batch)
            n = x[sl].shape[0]
            mask, tt = torch.zeros(n, 1, t_frames), torch.full((n,), k / steps)
            vel = lambda keep: net(x[sl], mask, tt, act[sl], vis[sl], torch.tensor([keep]).repeat(n, 1))[0]  # noqa: E731
            if k / steps < setting["guidanceFrom"]:  # before the guidance interval: the conditional velocity alone
                out.append(vel([1.0, 1.0]))
                continue
            vc, vu, va = vel([1.0, 1.0]), vel([0.0, 0.0]), vel([1.0, 0.0])
            out.append(vu + ga * (va - vu) + gv * (vc - va))
        x = x + torch.cat(out) / steps
    return x


def clips(items, limit=None, device="cpu"):
    """Up to `limit` evenly spaced items, each cut to the shortest: (items, frames, log-mel, action, visual) tensors."""
    if limit and limit < len(items):
        items = [items[(i * len(items)) // limit] for i in range(limit)]
    frames = min(it.mel.shape[1] for it in items)
    stack = lambda f: torch.from_numpy(np.stack([f(it) for it in items])).to(device)  # noqa: E731
    return (items, frames, stack(lambda it: it.mel[:, :frames]), stack(lambda it: it.action_window(0, frames)),
            stack(lambda it: it.visual_window(0, frames)))


@torch.no_grad()
def judge_hits(judge, log_mel, truth) -> torch.Tensor:
    """(items, 2) bool: whether the judge gives each item of `log_mel` the material / action label `truth` holds (its
    labels of the ground truth)."""
    return torch.stack([y.argmax(1) == t for y, t in zip(judge(log_mel), truth)], dim=1)


def agreement(judge, log_mel, truth) -> list:
    """[material %, action %]: how often the judge gives `log_mel` the labels `truth` holds."""
    return [round(100 * float(v), 1) for v in judge_hits(judge, log_mel, truth).float().mean(0)]


@torch.no_grad()
def judged_clips(judge, items, n, dev):
    """Up to n evenly spaced clips on `dev` (clips) and the judge's labels of their ground truth: what the val-time choices
    (choose_guidance_from, choose_snapshot) score candidates against. Returns (items, frames, action, visual, truth, judge
    on dev): a judge taken from another bundle (train.py --judge-from) arrives on the CPU."""
    items, frames, mel, act, vis = clips(items, n, dev)
    judge = judge.to(dev)
    return items, frames, act, vis, [y.argmax(1) for y in judge(mel)], judge


def peak_excess(log_mel, truth_mel) -> float:
    """Median over items of (loudest frame energy of `log_mel` - that of `truth_mel`), in nepers (log-mel units)."""
    energy = lambda m: torch.logsumexp(m, dim=1).amax(dim=1)  # noqa: E731 (per item: the loudest frame's energy)
    return round(float((energy(log_mel) - energy(truth_mel)).median()), 3)


def by_class(items, hits: torch.Tensor) -> dict:
    """hits (seeds, items, 2) bool -> {"material": {label: [agree %, items]}, "action": {...}}, by each item's labelled class."""
    out = {}
    for c, key in enumerate(("material", "action")):
        groups = {}
        for i, it in enumerate(items):
            groups.setdefault(str(it.label.get(key, "?")), []).append(i)
        out[key] = {k: [round(100 * float(hits[:, idx, c].float().mean()), 1), len(idx)] for k, idx in sorted(groups.items())}
    return out


@torch.no_grad()
def choose_guidance_from(net, judge, items, mel_mean, mel_std, steps, g, candidates=(0.0, 0.2, 0.4, 0.6), n=120):
    """The offline sampler's guidance interval (config sample.guidanceFrom "auto", train.py): of `candidates`, the flow
    time from which guiding makes the judge give up to n evenly spaced val clips (whole, cut to the shortest) the same
    material and action labels as their ground truth most often (the evaluation's two agreement columns, summed). Every
    candidate starts from the same noise; a tie goes to the earlier start (nearer the paper's sampler)."""
    items, frames, act, vis, truth, judge = judged_clips(judge, items, n, next(net.parameters()).device)
    agree = {str(c): agreement(judge, generate(net, act, vis, {"kind": "joint", "guidance": [g], "steps": steps, "temp": 1.0,
                                                                "guidanceFrom": c}) * mel_std + mel_mean, truth) for c in candidates}
    best = max(candidates, key=lambda c: (sum(agree[str(c)]), -c))
    return best, {"how": f"judge agreement [material %, action %] of {len(items)} val clips ({frames} frames), {steps} steps at g {g}, "
                         "guided from each flow time; the largest sum wins (sampler_sweep.choose_guidance_from)", "val": agree, "chosen": best}


@torch.no_grad()
def choose_few_guidance(net, judge, items, mel_mean, mel_std, steps, start, candidates=(1.5, 2.0, 3.0, 4.5), n=120):
    """The few-step sampler's guidance (the tick graph's: manifest sampling.fewGuidance): of `candidates`, the one whose
    `steps`-step sounds, guided from flow time `start` (the tick's interval), the judge gives up to n evenly spaced val
    clips' ground-truth labels most often (the two agreements summed, as choose_guidance_from). Every candidate starts
    from the same noise; a tie goes to the lower guidance (guidance exaggerates attacks)."""
    items, frames, act, vis, truth, judge = judged_clips(judge, items, n, next(net.parameters()).device)
    agree = {str(g): agreement(judge, generate(net, act, vis, {"kind": "joint", "guidance": [g], "steps": steps, "temp": 1.0,
                                                                "guidanceFrom": start}) * mel_std + mel_mean, truth) for g in candidates}
    best = max(candidates, key=lambda g: (sum(agree[str(g)]), -g))
    return best, {"how": f"judge agreement [material %, action %] of {len(items)} val clips ({frames} frames), {steps} steps guided "
                         f"from flow time {start}, per guidance; the largest sum wins (sampler_sweep.choose_few_guidance)",
                  "val": agree, "chosen": best}


@torch.no_grad()
def choose_snapshot(net, judge, items, mel_mean, mel_std, snapshots, steps, g, start, n=120):
    """The EMA weights a run keeps (config train.snapshotEvery, train.py): of `snapshots` [(step, state dict)], the one
    whose few-step sounds (`steps` at guidance g from flow time `start`) the judge gives up to n evenly spaced val clips'
    labels most often (material + action agreement, as choose_guidance_from). Loads it into `net` (a state dict without
    the material prior, taken before the prior was fitted, leaves the prior as it is) and returns (its step, report)."""
    items, frames, act, vis, truth, judge = judged_clips(judge, items, n, next(net.parameters()).device)
    setting = {"kind": "joint", "guidance": [g], "steps": steps, "temp": 1.0, "guidanceFrom": start}
    agree = {}
    for step, weights in snapshots:
        net.load_state_dict(weights, strict=False)
        agree[str(step)] = agreement(judge, generate(net, act, vis, setting) * mel_std + mel_mean, truth)
    best_step, best = max(snapshots, key=lambda sw: (sum(agree[str(sw[0])]), sw[0]))  # a tie goes to the later step
    net.load_state_dict(best, strict=False)
    return best_step, {"how": f"judge agreement [material %, action %] of {len(items)} val clips ({frames} frames), {steps} steps at g {g} "
                              f"from flow time {start}, per EMA snapshot; the largest sum is kept (sampler_sweep.choose_snapshot)",
                       "val": agree, "chosen": best_step}


def main():
    ap = argparse.ArgumentParser(description="judge agreement by sampler setting (PyTorch, no vocoder)")
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--config", required=True, help="the bundle's config (from_onnx.py writes OUT.config.json)")
    ap.add_argument("--data", required=True)
    ap.add_argument("--split", default="val")
    ap.add_argument("--settings", default="4.5;1.5@4")
    ap.add_argument("--limit", type=int, help="at most this many items, evenly spaced")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=int, default=1, help="sample every item this many times (seeds seed, seed+1, ...)")
    ap.add_argument("--by-class", action="store_true", help="also report the agreements by the items' labelled material and action")
    a = ap.parse_args()
    if a.seeds < 1:
        raise SystemExit("--seeds must be at least 1")
    with open(a.config) as f:
        cfg = json.load(f)
    torch.set_num_threads(cfg["train"].get("threads", 2))
    net, judge, meta = load_bundle(a.bundle, cfg)
    if judge is None:
        raise SystemExit(f"{a.bundle} has no judge (trained with --no-judge): nothing to agree with")
    items = load_split(a.data, cfg["data"], (a.split,))[a.split]
    if not items:
        raise SystemExit(f"split '{a.split}' of {a.data} is empty")
    items, t_frames, mel, act, vis = clips(items, a.limit)
    with torch.no_grad():
        truth = [y.argmax(1) for y in judge(mel)]
    print(f"{len(items)} items of {a.split} x {t_frames} frames", flush=True)
    results = []
    for text in a.settings.split(";"):
        setting = parse_setting(text)
        t0 = time.time()
        hits, peaks = [], []  # per seed: (items, 2) agreement; the peak excess
        for seed in range(a.seed, a.seed + a.seeds):
            gen = generate(net, act, vis, setting, seed) * meta["melStd"] + meta["melMean"]
            hits.append(judge_hits(judge, gen, truth))
            peaks.append(peak_excess(gen, mel))
        hits = torch.stack(hits)  # (seeds, items, 2)
        pct = lambda x: [round(100 * float(v), 1) for v in x]  # noqa: E731
        material, action = pct(hits.float().mean((0, 1)))
        r = {"setting": text.strip(), **setting, "materialAgreePct": material, "actionAgreePct": action,
             "peakExcessNepers": round(float(np.median(peaks)), 3), "seconds": round(time.time() - t0, 1)}
        line = f"{r['setting']:>20}: material {material:5.1f} %  action {action:5.1f} %  peak {r['peakExcessNepers']:+.2f} Np"
        if a.seeds > 1:
            r["seeds"] = a.seeds
            r["anyOfKPct"] = pct(hits.any(0).float().mean(0))
            line += f"  any of {a.seeds}: {r['anyOfKPct'][0]:.1f} / {r['anyOfKPct'][1]:.1f} %"
        if a.by_class:
            r["byClass"] = by_class(items, hits)
            for key, rows in r["byClass"].items():
                line += f"\n{'':>22}{key}: " + ", ".join(f"{k} {v[0]:.0f} % ({v[1]})" for k, v in rows.items())
        results.append(r)
        print(f"{line}  ({r['seconds']} s)", flush=True)
    print(json.dumps({"items": len(items), "frames": t_frames, "results": results}))


if __name__ == "__main__":
    main()
