"""Few-step distillation with guidance folded in: a student network that does in S Euler steps, on one row
(no unconditional branch), what a trained model's live tick does in S x R guided steps.

  /usr/bin/python3 models/recipe/distill.py --config models/recipe/config.distill-live.json \
      --teacher <bundle.npz of the trained model> [--max-minutes N]

Why: a tick's cost is its passes x rows. The teacher's tick is 4 guided steps (2 rows each) + the commit pass;
the student's is S steps on one row + the commit pass (S = 2: ~3.4x cheaper on wasm).

What it learns: the streaming tick exactly as the runtime runs it. A window's first frames are a clean past
(through the network once, at flow time 1, as the states a tick is given); its last n (1-8) frames are
generated. From the same noise the teacher takes S x R Euler steps at its few-step guidance (in its tick's
interval, sampling.fewGuidanceFrom: earlier steps unguided); the student's step j (from flow time j/S) must
land where the teacher's R steps from there landed: its target velocity is (teacher's x after those R
steps - x) * S. Both of the student's steps train on every window,
on the teacher's own trajectory. The student starts from the teacher's weights. Conditioning drops (keep
flags) are sampled as in training, so the student also knows the missing-visual / missing-hand cases.

Writes runs/<name>/bundle.{npz,json} (the student; the teacher's judge), then exports to models/: the student's
tick graph (one row: no guidance input, states of batch rows), the teacher's step graph for the offline mode
(the paper's sampler needs guidance), and the manifest (stream.tickSteps S, stream.guidanceRows 1, and how it
was distilled).
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from data import TensorWindows, load_split  # noqa: E402
from model import interval_velocity  # noqa: E402
from material_prior import copy_prior  # noqa: E402
from train import build_net, ensure_data, export_and_evaluate, load_bundle, log, pick_device, save_bundle, take_judge, train_flow  # noqa: E402


def distill_loss(student, teacher, mel_n, act, vis, tcfg, g: torch.Generator, dcfg: dict):
    b, _, L = mel_n.shape
    dev = mel_n.device
    n = int(torch.randint(1, dcfg["maxChunkFrames"] + 1, (1,), generator=g, device=dev).item())
    c = L - n  # the clean past
    r = torch.rand(b, generator=g, device=dev)
    db, da, dv = tcfg["dropBoth"], tcfg["dropAction"], tcfg["dropVisual"]
    keep = torch.ones(b, 2, device=dev)
    keep[r < db] = 0
    keep[(r >= db) & (r < db + da), 0] = 0
    keep[(r >= db + da) & (r < db + da + dv), 1] = 0
    ones_ctx, zeros_new = torch.ones(b, 1, c, device=dev), torch.zeros(b, 1, n, device=dev)
    one_t = torch.ones(b, device=dev)
    a_ctx, v_ctx, a_new, v_new = act[:, :c], vis[:, :c], act[:, c:], vis[:, c:]
    s_steps, per, guidance, start = dcfg["studentSteps"], dcfg["teacherStepsPerStudentStep"], dcfg["guidance"], dcfg.get("guidanceFrom", 0.0)
    total = s_steps * per
    x = torch.randn(b, 80, n, generator=g, device=dev)
    with torch.no_grad():  # the teacher's trajectory over the new frames, given its states of the past
        keep2 = torch.cat([keep, torch.zeros_like(keep)])
        _, t_states = teacher(torch.cat([mel_n[:, :, :c]] * 2), torch.cat([ones_ctx] * 2), torch.cat([one_t] * 2),
                              torch.cat([a_ctx] * 2), torch.cat([v_ctx] * 2), keep2)
        cond2 = teacher.condition(torch.cat([a_new] * 2), torch.cat([v_new] * 2), keep2)
        starts, targets = [], []
        for j in range(s_steps):
            x_start = x
            for m in range(per):
                t = torch.full((b,), (j * per + m) / total, device=dev)
                v, _ = interval_velocity(teacher, x, zeros_new, t, a_new, v_new, keep, guidance,  # its tick's interval
                                         (j * per + m) / total >= start, t_states, cond2)
                x = x + v / total
            starts.append(x_start)
            targets.append((x - x_start) * s_steps)
    # The student: its own states of the same past (with gradient), then both of its steps in one batch.
    _, s_states = student(mel_n[:, :, :c], ones_ctx, one_t, a_ctx, v_ctx, keep)
    t_s = torch.cat([torch.full((b,), j / s_steps, device=dev) for j in range(s_steps)])
    rep = lambda z: torch.cat([z] * s_steps)  # noqa: E731
    v_s, _ = student(torch.cat(starts), rep(zeros_new), t_s, rep(a_new), rep(v_new), rep(keep), [rep(s) for s in s_states])
    return ((v_s - torch.cat(targets)) ** 2).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default=os.path.join(HERE, "config.distill-live.json"))
    ap.add_argument("--teacher", required=True, help="bundle (.npz) of the trained model to distil")
    ap.add_argument("--data", help="dataset root (overrides config)")
    ap.add_argument("--steps", type=int)
    ap.add_argument("--max-minutes", type=float)
    ap.add_argument("--out", help="export folder (default config export.out)")
    ap.add_argument("--run-dir")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--eval-data")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--export-only", action="store_true", help="export the saved student bundle without training")
    ap.add_argument("--fixture", help="also write the ONNX parity fixture here")
    ap.add_argument("--judge-from", help="with --export-only: the judge from this bundle (when the teacher was trained with --no-judge)")
    ap.add_argument("--train-only", action="store_true", help="distil and save the student's bundle; no ONNX, no eval (e.g. on a GPU machine)")
    a = ap.parse_args()
    with open(a.config) as f:
        cfg = json.load(f)
    tcfg, dcfg = cfg["train"], cfg["distill"]
    if a.max_minutes is not None:
        tcfg["maxMinutes"] = a.max_minutes
    if a.steps is not None:
        tcfg["steps"] = a.steps
    torch.set_num_threads(tcfg["threads"])
    torch.manual_seed(tcfg["seed"])
    device = pick_device(a.device)
    root = a.data or os.path.join(REPO, cfg["data"]["root"])
    run_dir = a.run_dir or os.path.join(HERE, "runs", cfg["name"])
    out_dir = a.out or os.path.join(REPO, cfg["export"]["out"])
    os.makedirs(run_dir, exist_ok=True)

    if a.export_only:
        teacher, clf, _ = load_bundle(a.teacher, cfg)
        ema, _, meta = load_bundle(os.path.join(run_dir, "bundle.npz"), cfg)
        if a.judge_from:
            clf, meta = take_judge(a.judge_from, meta)
        export_and_evaluate(cfg, teacher, clf, meta, out_dir, a, a.eval_data or root, student=ema)
        return
    ensure_data(root, cfg)
    split = load_split(root, cfg["data"])
    teacher, clf, ema, meta = distill_from(cfg, a.teacher, split, root, device, run_dir)
    if not a.train_only:
        export_and_evaluate(cfg, teacher, clf, meta, out_dir, a, a.eval_data or root, student=ema)


def distill_from(cfg: dict, teacher_path: str, split: dict, root: str, device, run_dir: str, max_minutes=None):
    """Distils the bundle at `teacher_path` on `split` (data.load_split's) for the config's train settings, saving
    checkpoints and the student's bundle (with the teacher's judge) in `run_dir`. Returns teacher, judge,
    student (EMA) and the bundle's metadata, all on the CPU."""
    tcfg, dcfg = cfg["train"], cfg["distill"]
    if max_minutes is not None:
        tcfg["maxMinutes"] = max_minutes
    os.makedirs(run_dir, exist_ok=True)
    teacher, clf, tmeta = load_bundle(teacher_path, cfg)
    dcfg.setdefault("guidance", tmeta["fewGuidance"])
    dcfg.setdefault("guidanceFrom", tmeta.get("fewGuidanceFrom", 0.0))
    teacher.to(device).requires_grad_(False)
    train_items, val_items = split["train"], split["val"] or split["train"][-64:]
    log(f"teacher {teacher_path} ({tmeta['training']['steps']} steps); {len(train_items)} train items; "
        f"student: {dcfg['studentSteps']} steps, 1 row, from {dcfg['studentSteps'] * dcfg['teacherStepsPerStudentStep']} teacher steps at guidance {dcfg['guidance']}")

    student, ema = build_net(cfg, tmeta["visualDim"]).to(device), build_net(cfg, tmeta["visualDim"]).to(device)
    copy_prior(teacher, student, ema)
    student.load_state_dict(teacher.state_dict())
    ema.load_state_dict(teacher.state_dict())
    opt = torch.optim.AdamW(student.parameters(), lr=tcfg["lr"], weight_decay=tcfg["weightDecay"])
    state = {"step": 0, "elapsed": 0.0, "history": []}
    ckpt_path = os.path.join(run_dir, "checkpoint.pt")
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        student.load_state_dict(ck["net"]); ema.load_state_dict(ck["ema"]); opt.load_state_dict(ck["opt"])
        state = {"step": ck["step"], "elapsed": ck["elapsed"], "history": ck["history"]}
        log(f"resumed at step {state['step']}")

    def save():
        torch.save({"net": student.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), **state}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    loss = lambda net, mel_n, act, vis, _context, tc, g: distill_loss(net, teacher, mel_n, act, vis, tc, g, dcfg)  # noqa: E731
    t0 = time.time()
    train_flow(student, ema, opt, train_items, val_items, tcfg, tmeta["melMean"], tmeta["melStd"], device, state, save, loss)
    ema.eval().cpu()
    meta = dict(tmeta)
    meta["fewGuidance"] = dcfg["guidance"]  # the guidance folded into the student (the manifest's few-step guidance)
    meta.pop("fewGuidanceFrom", None)
    if dcfg["guidanceFrom"]:  # and the interval it was folded in over (the teacher's tick's)
        meta["fewGuidanceFrom"] = dcfg["guidanceFrom"]
    meta["training"] = {"steps": state["step"], "minutes": round(state["elapsed"] / 60, 1), "history": state["history"][-20:],
                        **({"keptStep": state["best"]["step"], "keptValLoss": state["best"]["valLoss"]} if "bestEma" in state else {}),
                        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({tcfg['threads']} threads)",
                        "torch": torch.__version__, "distilledFrom": {"bundle": os.path.relpath(teacher_path, REPO), "steps": tmeta["training"]["steps"]}}
    meta["distillation"] = {"studentSteps": dcfg["studentSteps"], "teacherSteps": dcfg["studentSteps"] * dcfg["teacherStepsPerStudentStep"],
                            "guidance": dcfg["guidance"], **({"guidanceFrom": dcfg["guidanceFrom"]} if dcfg["guidanceFrom"] else {}), "maxChunkFrames": dcfg["maxChunkFrames"], "minutes": round((time.time() - t0) / 60, 1),
                            "data": {"root": os.path.relpath(root, REPO), "simulate": cfg["data"].get("simulate"), "trainItems": len(train_items)}}
    save_bundle(os.path.join(run_dir, "bundle"), ema, clf, meta)
    log(f"bundle saved to {run_dir}/bundle.npz/.json")
    return teacher.cpu(), clf, ema, meta


if __name__ == "__main__":
    main()
