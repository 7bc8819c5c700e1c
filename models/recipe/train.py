"""Training entry point: one command from nothing to shipped weights.

  /usr/bin/python3 models/recipe/train.py --config models/recipe/config.json

simulates the dataset if it is missing (`hearing-hands simulate`), trains the chunk-causal rectified flow
(checkpointing to models/recipe/runs/<name>/ so a stopped run resumes), trains the evaluation classifier,
exports ONNX + manifest to models/, and runs `hearing-hands eval`. `--export-only` exports the last
checkpoint (e.g. after stopping a long run)."""
import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from classifier import accuracy, label_vocab, train_classifier  # noqa: E402
from data import WindowSampler, load_split  # noqa: E402
from export import export_classifier, export_step, export_tick, write_fixture, write_manifest  # noqa: E402
from features import FEATURES  # noqa: E402
from model import FlowNet, sample  # noqa: E402
from model_cl import from_flownet  # noqa: E402


def log(msg: str):
    print(f"[{datetime.datetime.utcnow().strftime('%H:%M:%S')}] {msg}", flush=True)


def ensure_data(root: str, cfg: dict):
    if os.path.exists(os.path.join(root, "split.json")):
        return
    sim = cfg["data"]["simulate"]
    cmd = ["node", os.path.join(REPO, "bin", "hearing-hands.mjs"), "simulate", "--out", root,
           "--hours", str(sim["hours"]), "--seed", str(sim["seed"])]
    log("no dataset at %s: %s" % (root, " ".join(cmd)))
    subprocess.run(cmd, check=True, cwd=REPO)


def build_net(cfg: dict, visual_dim: int) -> FlowNet:
    m = cfg["model"]
    return FlowNet(visual_dim, m["width"], m["condWidth"], m["timeWidth"], tuple(m["dilations"]), m["kernel"])


def set_stats(net: FlowNet, items, tcfg):
    mel = np.concatenate([it.mel.reshape(-1) for it in items])
    act = np.concatenate([it.action_src for it in items])
    vis = np.concatenate([it.visual_src for it in items])
    net.action_mean.copy_(torch.from_numpy(act.mean(0)))
    net.action_std.copy_(torch.from_numpy(np.maximum(act.std(0), 1e-3)))
    net.visual_mean.copy_(torch.from_numpy(vis.mean(0)))
    net.visual_std.copy_(torch.from_numpy(np.maximum(vis.std(0), 1e-3)))
    return float(mel.mean()), float(mel.std())


@torch.no_grad()
def guidance_sweep(net, items, mel_mean, mel_std, few, guidances, full_steps, full_g, frames=128, n=8):
    """Validation log-mel MSE of each few-step guidance against ground truth and against the paper's sampler
    (full_steps at full_g) from the same noise. The few-step guidance is the one closest to the paper's
    sampler: MSE against ground truth rewards blurry averages (measured: it picks g 1, which loses onsets)."""
    items = [it for it in items if it.mel.shape[1] >= frames][:n]
    if not items:
        return {}, full_g
    mel = torch.from_numpy(np.stack([it.mel[:, :frames] for it in items]))
    act = torch.from_numpy(np.stack([it.action_window(0, frames) for it in items]))
    vis = torch.from_numpy(np.stack([it.visual_window(0, frames) for it in items]))
    b = mel.shape[0]
    noise = torch.randn(b, 80, frames, generator=torch.Generator().manual_seed(0))
    run = lambda k, g: sample(net, torch.zeros_like(noise), torch.zeros(b, 1, frames), noise, act, vis, torch.ones(b, 2), k, g) * mel_std + mel_mean  # noqa: E731
    ref = run(full_steps, full_g)
    out = {f"{full_steps}@{full_g}": {"vsTruth": round(float(((ref - mel) ** 2).mean()), 4), "vsPaperSampler": 0.0}}
    for g in guidances:
        x = run(few, g)
        out[f"{few}@{g}"] = {"vsTruth": round(float(((x - mel) ** 2).mean()), 4), "vsPaperSampler": round(float(((x - ref) ** 2).mean()), 4)}
    best = min(guidances, key=lambda g: out[f"{few}@{g}"]["vsPaperSampler"])
    return out, best


def flow_loss(net, mel_n, act, vis, tcfg, rng):
    """Chunk-causal rectified-flow loss: a clean past of random length, the rest noised to one flow time."""
    b, _, L = mel_n.shape
    noised = np.where(rng.random(b) < tcfg["offlineFraction"], L,
                      np.where(rng.random(b) < 0.5, rng.integers(1, 17, b), rng.integers(1, L, b)))
    mask = torch.from_numpy((np.arange(L)[None, :] < (L - noised)[:, None]).astype(np.float32))[:, None, :]
    r = rng.random(b)
    keep = np.ones((b, 2), np.float32)
    keep[r < tcfg["dropBoth"]] = 0
    keep[(r >= tcfg["dropBoth"]) & (r < tcfg["dropBoth"] + tcfg["dropAction"]), 0] = 0
    keep[(r >= tcfg["dropBoth"] + tcfg["dropAction"]) & (r < tcfg["dropBoth"] + tcfg["dropAction"] + tcfg["dropVisual"]), 1] = 0
    t = torch.rand(b)
    x0 = torch.randn_like(mel_n)
    xt = t[:, None, None] * mel_n + (1 - t[:, None, None]) * x0
    x = mask * mel_n + (1 - mask) * xt
    v, _ = net(x, mask, t, act, vis, torch.from_numpy(keep))
    w = 1 - mask
    return (((v - (mel_n - x0)) ** 2) * w).sum() / (w.sum() * 80)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default=os.path.join(HERE, "config.json"))
    ap.add_argument("--data", help="dataset root (overrides config)")
    ap.add_argument("--steps", type=int)
    ap.add_argument("--max-minutes", type=float)
    ap.add_argument("--run-dir", help="checkpoint folder (default models/recipe/runs/<name>)")
    ap.add_argument("--out", help="export folder (default config export.out)")
    ap.add_argument("--fixture", help="also write the ONNX parity fixture here")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--classifier-steps", type=int)
    a = ap.parse_args()
    with open(a.config) as f:
        cfg = json.load(f)
    tcfg = cfg["train"]
    if a.steps is not None:
        tcfg["steps"] = a.steps
    if a.max_minutes is not None:
        tcfg["maxMinutes"] = a.max_minutes
    if a.classifier_steps is not None:
        cfg["classifier"]["steps"] = a.classifier_steps
    torch.set_num_threads(tcfg["threads"])
    torch.manual_seed(tcfg["seed"])
    rng = np.random.default_rng(tcfg["seed"])
    root = a.data or os.path.join(REPO, cfg["data"]["root"])
    run_dir = a.run_dir or os.path.join(HERE, "runs", cfg["name"])
    out_dir = a.out or os.path.join(REPO, cfg["export"]["out"])
    os.makedirs(run_dir, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    ensure_data(root, cfg)
    t_load = time.time()
    split = load_split(root, cfg["data"])
    train_items = split["train"]
    log(f"loaded {len(train_items)} train / {len(split['val'])} val / {len(split['test'])} test items in {time.time() - t_load:.1f}s")
    visual_dim = train_items[0].visual_src.shape[1]
    net = build_net(cfg, visual_dim)
    mel_mean, mel_std = set_stats(net, train_items, tcfg)
    ema = build_net(cfg, visual_dim)
    ema.load_state_dict(net.state_dict())
    opt = torch.optim.AdamW(net.parameters(), lr=tcfg["lr"], weight_decay=tcfg["weightDecay"])
    ckpt_path = os.path.join(run_dir, "checkpoint.pt")
    step, elapsed, history = 0, 0.0, []
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        net.load_state_dict(ck["net"]); ema.load_state_dict(ck["ema"]); opt.load_state_dict(ck["opt"])
        step, elapsed, history = ck["step"], ck["elapsed"], ck["history"]
        mel_mean, mel_std = ck["melMean"], ck["melStd"]
        log(f"resumed at step {step} ({elapsed / 60:.1f} min)")

    def save():
        torch.save({"net": net.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step,
                    "elapsed": elapsed, "history": history, "melMean": mel_mean, "melStd": mel_std}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    if not a.export_only:
        sampler = WindowSampler(train_items, tcfg["windowFrames"], rng)
        val_sampler = WindowSampler(split["val"] or train_items, tcfg["windowFrames"], np.random.default_rng(7))
        val_batch = [torch.from_numpy(x) for x in val_sampler.batch(64)]
        val_batch[0] = (val_batch[0] - mel_mean) / mel_std
        t0, last_ckpt, run_loss = time.time() - elapsed, time.time(), []
        max_sec = tcfg["maxMinutes"] * 60
        while step < tcfg["steps"] and time.time() - t0 < max_sec:
            progress = max(step / tcfg["steps"], (time.time() - t0) / max_sec)
            lr = tcfg["lr"] * min(1.0, (step + 1) / tcfg["warmupSteps"]) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
            for gparam in opt.param_groups:
                gparam["lr"] = lr
            mel, act, vis = (torch.from_numpy(x) for x in sampler.batch(tcfg["batch"]))
            loss = flow_loss(net, (mel - mel_mean) / mel_std, act, vis, tcfg, rng)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            with torch.no_grad():
                d = min(tcfg["emaDecay"], (1 + step) / (10 + step))
                for pe, p in zip(ema.parameters(), net.parameters()):
                    pe.mul_(d).add_(p, alpha=1 - d)
            run_loss.append(loss.item())
            step += 1
            elapsed = time.time() - t0
            if step % 100 == 0 or step == tcfg["steps"]:
                with torch.no_grad():
                    vl = flow_loss(ema, *val_batch, tcfg, np.random.default_rng(3)).item()
                history.append({"step": step, "min": round(elapsed / 60, 2), "loss": float(np.mean(run_loss)), "valLoss": vl})
                log(f"step {step} loss {np.mean(run_loss):.4f} val {vl:.4f} lr {lr:.2e} ({step / elapsed:.2f} steps/s)")
                run_loss = []
            if time.time() - last_ckpt > tcfg["checkpointEverySec"]:
                save()
                last_ckpt = time.time()
        save()
        log(f"trained {step} steps in {elapsed / 60:.1f} min")

    ema.eval()
    # The classifier is the evaluation's judge (our CLAP stand-in), not part of the generator: like CLAP it
    # should know every material and action, so it learns from the ground-truth mels of all splits except a
    # held-out fifth of the sounds (by sound, so no view of a held-out sound is seen), where it is scored.
    all_items = train_items + split["val"] + split["test"]
    clf_metrics, vocab = {}, label_vocab(all_items)
    name = cfg["name"]
    if vocab["materials"] and vocab["actions"]:
        held = lambda it: zlib.crc32(str(it.label.get("wav", it.name)).encode()) % 5 == 0  # noqa: E731
        clf = train_classifier([it for it in all_items if not held(it)], vocab, mel_mean, mel_std, cfg["classifier"], log)
        clf_metrics = {"heldOutSounds": accuracy(clf, [it for it in all_items if held(it)], vocab),
                       "fit": accuracy(clf, [it for it in all_items if not held(it)], vocab)}
        log(f"classifier on ground truth: {clf_metrics}")
        export_classifier(clf, os.path.join(out_dir, f"{name}.classifier.onnx"), cfg["export"]["opset"])
    few = cfg["sample"]["fewSteps"]
    full_steps, full_g = cfg["sample"]["offlineSteps"], cfg["sample"]["guidance"]
    sweep, few_g = guidance_sweep(ema, split["val"] or train_items, mel_mean, mel_std, few, [1.0, 1.5, 2.0, 3.0, full_g], full_steps, full_g)
    log(f"validation log-mel MSE by steps@guidance: {sweep}; few-step guidance {few_g}")
    mel_max = float(max(it.mel.max() for it in train_items))
    ema_cl = from_flownet(ema)
    export_step(ema_cl, os.path.join(out_dir, f"{name}.step.onnx"), cfg["export"]["opset"])
    export_tick(ema_cl, few, os.path.join(out_dir, f"{name}.tick{few}.onnx"), cfg["export"]["opset"])
    if a.fixture:
        write_fixture(ema, ema_cl, few, a.fixture)
    n_params = sum(p.numel() for p in ema.parameters())
    hours = sum(it.mel.shape[1] for it in train_items) / 62.5 / 3600
    manifest = {
        "format": "hearing-hands/model@1",
        "name": name,
        "createdUtc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "features": FEATURES,
        "files": {"step": f"{name}.step.onnx", "tick": f"{name}.tick{few}.onnx",
                  **({"classifier": f"{name}.classifier.onnx"} if clf_metrics else {})},
        "parameters": n_params,
        "melNorm": {"mean": mel_mean, "std": mel_std, "max": mel_max},
        "window": {"trainFrames": tcfg["windowFrames"], "receptiveFieldFrames": ema.receptive_field,
                   "offlineSec": 8},
        "stream": {"chunkFrames": cfg["stream"]["chunkFrames"], "tickSteps": few,
                   "stateShapes": [list(s) for s in ema_cl.state_shapes()]},
        "conditioning": {
            "actionDim": 252, "actionFps": cfg["data"]["actionFps"],
            "action": "2 hands x 21 keypoints x xyz (m) then their backward-difference velocities (m/s); a missing hand is zeros",
            "visualDim": visual_dim, "visualFps": cfg["data"]["visualFps"], "visualSource": cfg["data"]["visualDirs"],
            "upsample": "causal nearest: mel frame i takes source frame floor(i * fps * hop / sampleRate)",
            "combine": "sum of unit-normalised action and visual embeddings, concatenated to the noisy mel",
            "width": cfg["model"]["condWidth"], "keep": "[action, visual] in {0, 1}; guidance's unconditional branch uses [0, 0]",
        },
        "sampling": {"offlineSteps": full_steps, "guidance": full_g, "fewSteps": few, "fewGuidance": few_g},
        "labels": vocab,
        "training": {
            "command": "/usr/bin/python3 models/recipe/train.py --config models/recipe/config.json",
            "config": cfg, "data": {"root": os.path.relpath(root, REPO), "trainItems": len(train_items),
                                    "trainHours": round(hours, 3), "valItems": len(split["val"]), "testItems": len(split["test"]),
                                    "materials": sorted({it.label.get("material") for it in train_items if it.label.get("material")}),
                                    "actions": sorted({it.label.get("action") for it in train_items if it.label.get("action")})},
            "steps": step, "minutes": round(elapsed / 60, 1), "history": history[-20:],
        },
        "metrics": {"classifierOnGroundTruth": clf_metrics, "valLogMelMseByStepsAtGuidance": sweep},
    }
    mpath = os.path.join(out_dir, f"{name}.json")
    write_manifest(mpath, manifest)
    log(f"exported {n_params} parameters to {out_dir} ({name}.json)")
    if not a.no_eval and os.path.exists(os.path.join(REPO, "src", "cli", "commands", "eval.ts")):
        ev = cfg.get("eval", {})
        subprocess.run(["node", os.path.join(REPO, "bin", "hearing-hands.mjs"), "eval", "--model", mpath, "--data", root,
                        "--split", str(ev.get("split", "test")), "--limit", str(ev.get("limit", 60)),
                        "--out", os.path.join(out_dir, "EVAL.md"), "--json", os.path.join(out_dir, "EVAL.json")],
                       cwd=REPO, check=False)


if __name__ == "__main__":
    main()
