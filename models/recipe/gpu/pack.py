"""Packs what run.sh left in OUT/<name>/ for the trip back from a GPU machine, whose return allows few, small files:

  python3 models/recipe/gpu/pack.py OUT DEST

DEST/<name>.npz is each run's bundle weights; DEST/meta.tar holds the bundles' .json and the train logs. A run cut
short before its bundle was saved gives its last checkpoint's EMA weights instead (DEST/<name>.ckpt.npz, with
<name>.ckpt.json in meta.tar: step, time, loss history, mel statistics), enough to rebuild a bundle here."""
import json
import os
import shutil
import sys
import tarfile

import numpy as np


def main(src: str, dest: str):
    os.makedirs(dest, exist_ok=True)
    with tarfile.open(os.path.join(dest, "meta.tar"), "w") as tar:
        for name in sorted(os.listdir(src)):
            run = os.path.join(src, name)
            if not os.path.isdir(run):
                continue
            for f in ("bundle.json", "train.log", "train-resumed.log"):
                if os.path.exists(os.path.join(run, f)):
                    tar.add(os.path.join(run, f), arcname=f"{name}/{f}")
            if os.path.exists(os.path.join(run, "bundle.npz")):
                shutil.copy(os.path.join(run, "bundle.npz"), os.path.join(dest, f"{name}.npz"))
                print(f"{name}: bundle")
            elif os.path.exists(os.path.join(run, "checkpoint.pt")):
                import torch
                ck = torch.load(os.path.join(run, "checkpoint.pt"), map_location="cpu", weights_only=False)
                np.savez(os.path.join(dest, f"{name}.ckpt.npz"), **{f"ema/{k}": v.numpy() for k, v in ck["ema"].items()})
                info = {k: ck.get(k) for k in ("step", "elapsed", "history", "melMean", "melStd")}
                with open(os.path.join(run, "ckpt.json"), "w") as f:
                    json.dump(info, f)
                tar.add(os.path.join(run, "ckpt.json"), arcname=f"{name}/ckpt.json")
                print(f"{name}: no bundle; checkpoint of step {ck.get('step')}")
            else:
                print(f"{name}: nothing saved")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
