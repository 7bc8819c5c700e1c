"""The evaluation's judge trained on its own: the material/action classifier (classifier.py, our stand-in for the paper's
CLAP-acc) learned from the ground-truth log-mels of several simulated plans, not only the model's own.

Why: train.py's judge learns from the model's training plan alone (16 h, seed 2, ~130 surfaces). Like CLAP it should
know what a material sounds like, not what those surfaces sound like. The shipped models' train.py judge named the
material of 69.5 % of the ground-truth sounds of a plan it never heard (seed 11; metal 33 %), and of 39 % of held-out
snow sounds, so "agreement" partly measured its own mistakes. This trains the same kind of classifier (wider if the
config says) on every plan given, holds out a fifth of each plan's sounds (train.py's rule: by sound, all three views
together), and scores it there and on plans it never trained on (--score-data). A bundle's training takes it with
`train.py --judge-from OUT`; shipped models with --install (below). models/recipe/judge.sh runs both.

    /usr/bin/python3 models/recipe/judge.py --config models/recipe/config.judge.json \
        --data models/recipe/data/sim-gpu16 --data models/recipe/data/surfaces/seed3 ... --data models/recipe/data/surfaces/seed10 \
        --score-data models/recipe/data/seed11-test --out OUT [--judge-from OLD.npz]

--judge-from scores an existing judge (another bundle's) on the same sounds for comparison; with --score-only it
trains nothing. --install gives shipped models a judge without touching their networks: it writes the judge's graph
where the manifest names its classifier and records the judge's scores and provenance in the manifest's metrics
(a distilled student, which names its teacher's classifier, gets the record only; install the teacher too):

    /usr/bin/python3 models/recipe/judge.py --install models/hh-flow-s.json --install models/hh-flow-s-live.json \
        --install models/hh-flow-s-live-d2.json --judge-bundle OUT
"""
import argparse
import collections
import json
import os
import sys
import time
from typing import Dict, List

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from classifier import MelClassifier, held_out_sound, train_classifier  # noqa: E402
from data import load_label, load_mel, resolve_scene_dir  # noqa: E402
from train import _judge_of, _read_bundle  # noqa: E402


class Sound:
    """One distinct sound of a dataset: its log-mel (the three views of a sound share it) and its labels."""

    def __init__(self, key: str, mel: np.ndarray, label: dict):
        self.key, self.mel, self.label = key, mel, label


def held_out(sound: Sound) -> bool:
    """train.py's held-out fifth (by the sound's WAV, which its views share)."""
    return held_out_sound(sound.label, sound.key)


def load_sounds(root: str) -> List[Sound]:
    """Every distinct labelled sound of a dataset (all splits), one view each."""
    with open(os.path.join(root, "split.json")) as f:
        split = json.load(f)
    seen, out = set(), []
    for scene, item in (e for k in ("train", "val", "test") for e in split.get(k, [])):
        d = resolve_scene_dir(root, scene, item)
        label = load_label(d, item)
        key = label.get("wav", item)
        if key in seen or not label.get("material") or not label.get("action"):
            continue
        seen.add(key)
        out.append(Sound(f"{os.path.basename(os.path.normpath(root))}/{key}", load_mel(d, item), label))
    if not out:
        raise SystemExit(f"{root}: no labelled sounds (split.json + labels/*.json)")
    return out


@torch.no_grad()
def score(judge: MelClassifier, vocab: Dict[str, List[str]], sounds: List[Sound]) -> dict:
    """Accuracy on whole ground-truth sounds, overall and by material."""
    by = collections.defaultdict(lambda: [0, 0])
    cm = ca = 0
    for s in sounds:
        lm, la = judge(torch.from_numpy(s.mel[None]))
        ok = vocab["materials"][lm.argmax().item()] == s.label["material"]
        cm += ok
        ca += vocab["actions"][la.argmax().item()] == s.label["action"]
        by[s.label["material"]][0] += ok
        by[s.label["material"]][1] += 1
    n = max(len(sounds), 1)
    return {"materialAcc": round(cm / n, 4), "actionAcc": round(ca / n, 4), "sounds": len(sounds),
            "materialAccByMaterial": {k: round(v[0] / v[1], 3) for k, v in sorted(by.items())}}


def read_judge(path: str):
    """(judge, the bundle's metadata) of a bundle (train.py's or this CLI's: .npz + .json)."""
    meta, arrays = _read_bundle(path)
    judge = _judge_of(meta, arrays)
    if judge is None:
        raise SystemExit(f"{path}: no judge in this bundle")
    return judge, meta


def install(manifest_path: str, judge_path: str):
    """Give a shipped model the judge of `judge_path`: its classifier graph (unless the manifest names another model's
    classifier: a distilled student's is its teacher's) and the metrics' record of it. Refuses a judge whose labels are
    not the manifest's (the evaluation reads the classifier's outputs in the manifest's label order)."""
    from export import export_classifier, write_manifest
    judge, meta = read_judge(judge_path)
    with open(manifest_path) as f:
        man = json.load(f)
    if man.get("labels") != meta["vocab"]:
        raise SystemExit(f"{manifest_path}: its labels {man.get('labels')} are not the judge's {meta['vocab']}")
    clf_file = man["files"].get("classifier") or f"{man['name']}.classifier.onnx"
    own = clf_file == f"{man['name']}.classifier.onnx"
    if own:
        export_classifier(judge, os.path.join(os.path.dirname(os.path.abspath(manifest_path)), clf_file), man["training"]["config"]["export"]["opset"])
    man["files"]["classifier"] = clf_file
    man["metrics"]["classifierOnGroundTruth"] = meta["classifierOnGroundTruth"]
    man["metrics"]["judge"] = {"what": "trained apart from the network on the ground truth of several simulated plans (recipe/judge.py)",
                               **{k: meta["judge"][k] for k in ("data", "fitSounds", "config", "command")},
                               "installed": "/usr/bin/python3 models/recipe/judge.py --install " + os.path.relpath(manifest_path, REPO)
                               + f" --judge-bundle {os.path.relpath(judge_path, REPO)}"}
    write_manifest(manifest_path, man)
    print(f"{manifest_path}: judge installed" + ("" if own else f" (its classifier graph is {clf_file}: install that model too)"))


def main():
    ap = argparse.ArgumentParser(description="train the evaluation's judge on the ground truth of several simulated plans")
    ap.add_argument("--config", default=os.path.join(HERE, "config.judge.json"))
    ap.add_argument("--data", action="append", default=[], help="a dataset it learns from (all splits but a held-out fifth of "
                    "the sounds); repeat per dataset")
    ap.add_argument("--score-data", action="append", default=[], help="a dataset it never learns from, scored whole (another plan)")
    ap.add_argument("--out", help="the judge bundle's path, without .npz/.json")
    ap.add_argument("--judge-from", action="append", default=[], help="also score this bundle's judge on the same sounds")
    ap.add_argument("--score-only", action="store_true", help="train nothing: score the --judge-from judges")
    ap.add_argument("--steps", type=int, help="override the config's steps (a smoke test)")
    ap.add_argument("--width", type=int, help="override the config's width")
    ap.add_argument("--install", action="append", default=[], help="a shipped model's manifest to give the --judge-bundle judge")
    ap.add_argument("--judge-bundle", help="with --install: the judge (a bundle this CLI wrote)")
    a = ap.parse_args()
    if a.install:
        if not a.judge_bundle:
            raise SystemExit("--install needs --judge-bundle")
        for m in a.install:
            install(m, a.judge_bundle)
        return
    if not a.data:
        raise SystemExit("--data: at least one dataset to learn from (or to hold a fifth of for --score-only)")
    with open(a.config) as f:
        cfg = json.load(f)
    cfg.update({k: v for k, v in (("steps", a.steps), ("width", a.width)) if v is not None})
    torch.set_num_threads(cfg.get("threads", 2))
    t0 = time.time()
    fit, held, per_data = [], [], {}
    for root in a.data:
        sounds = load_sounds(root)
        per_data[os.path.relpath(root, REPO)] = len(sounds)
        fit += [s for s in sounds if not held_out(s)]
        held += [s for s in sounds if held_out(s)]
    unseen = {os.path.relpath(r, REPO): load_sounds(r) for r in a.score_data}
    print(f"loaded {len(fit)} sounds to learn from, {len(held)} held out, "
          f"{sum(len(v) for v in unseen.values())} of other plans in {time.time() - t0:.0f} s", flush=True)

    def report(judge, vocab):
        return {"heldOutSounds": score(judge, vocab, held), **{f"unseenPlan:{k}": score(judge, vocab, v) for k, v in unseen.items()}}

    for path in a.judge_from:
        judge, meta = read_judge(path)
        r = report(judge, meta["vocab"])
        print(f"judge of {path}: " + json.dumps({k: {m: v[m] for m in ("materialAcc", "actionAcc", "sounds")} for k, v in r.items()}), flush=True)
        print(json.dumps(r), flush=True)
    if a.score_only:
        return
    if not a.out:
        raise SystemExit("--out is needed to train a judge (or --score-only)")
    vocab = {"materials": sorted({s.label["material"] for s in fit}), "actions": sorted({s.label["action"] for s in fit})}
    all_mel = np.concatenate([s.mel.reshape(-1) for s in fit[:: max(1, len(fit) // 500)]])
    mel_mean, mel_std = float(all_mel.mean()), float(all_mel.std())
    t1 = time.time()
    # Seeded just before training: scoring other judges (--judge-from) builds networks, which draws from the generator.
    torch.manual_seed(cfg.get("seed", 1))
    judge = train_classifier(fit, vocab, mel_mean, mel_std, cfg, log=lambda m: print(m, flush=True)).cpu().eval()
    minutes = (time.time() - t1) / 60
    r = report(judge, vocab)
    print(json.dumps(r), flush=True)
    arrays = {f"clf/{k}": v.detach().cpu().numpy() for k, v in judge.state_dict().items()}
    np.savez(a.out + ".npz", **arrays)
    meta = {"vocab": vocab, "melMean": mel_mean, "melStd": mel_std,
            "classifierOnGroundTruth": {**r, "fit": {m: v for m, v in score(judge, vocab, fit[::4]).items() if m != "materialAccByMaterial"}},
            "judge": {"config": cfg, "data": per_data, "fitSounds": len(fit), "minutes": round(minutes, 1),
                      "command": "/usr/bin/python3 models/recipe/judge.py " + " ".join(sys.argv[1:])}}
    with open(a.out + ".json", "w") as f:
        json.dump(meta, f, indent=1)
    print(f"judge saved to {a.out}.npz/.json ({minutes:.1f} min of training)")


if __name__ == "__main__":
    main()
