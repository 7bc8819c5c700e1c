"""A shipped model back into a trainable bundle: the PyTorch network from its step graph, the judge from its classifier
graph, the bundle's metadata from its manifest.

Why: the bundles a GPU run leaves (`gpu/run.sh`) are not in the repository (the ONNX files and manifests are), so a
fine-tune (`train.py --init-from`), a distillation (`distill.py --teacher`), a new material prior
(`material_prior.py --bundle`) or a diagnostic on the shipped model would otherwise need the original run's files.
The step graph holds the whole network (the offline mode: every weight, the input standardisation and any material
prior), exported from its channels-last twin (model_cl.py); this inverts that conversion exactly. A distilled
student's tick graph is a fused layout (tick_graph.py) and is not read: its step graph is its teacher's.

    /usr/bin/python3 models/recipe/from_onnx.py --model models/hh-flow-s.json --out OUT [--check]

writes OUT.npz + OUT.json (train.py's bundle format) and OUT.config.json (the training config its manifest records), so
`train.py --config OUT.config.json --from-bundle OUT.npz` exports it again (the same step graph, byte for byte) and
`--init-from OUT.npz` fine-tunes it. --check runs the rebuilt network on the manifest's parity
fixture (PyTorch outputs of the original network) and prints the largest difference.
"""
import argparse
import json
import os
import sys
from typing import Dict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)


def _onnx_arrays(path: str):
    import onnx
    from onnx import numpy_helper
    g = onnx.load(path).graph
    return g, {i.name: numpy_helper.to_array(i) for i in g.initializer}


def _linear_weights(g, arrays, prefix: str) -> Dict[str, np.ndarray]:
    """Module path below scope `prefix` -> (out, in) weight of every MatMul on a weight: torch.onnx names a Linear's
    weight `onnx::MatMul_N` (transposed) but keeps the module path in the node's output name."""
    out = {}
    for n in g.node:
        if n.op_type == "MatMul" and n.input[1] in arrays and n.input[1].startswith("onnx::"):
            # Scopes: /net/blocks.0/taps/MatMul_output_0, /net/time_mlp/time_mlp.0/MatMul_output_0 (a container's
            # child repeats the container's name), /net/material_prior/classify/classify.0/...
            scopes = n.output[0].split("/")[1:-1]
            if not scopes or scopes[0] != prefix:
                continue
            path = []
            for s in scopes[1:]:
                if path and s.startswith(path[-1] + "."):
                    path[-1] = s
                else:
                    path.append(s)
            out[".".join(path)] = arrays[n.input[1]].T
    return out


def net_state_from_step_graph(path: str) -> Dict[str, torch.Tensor]:
    """The FlowNet state dict (channels-first layout, model.py) of a step graph exported by export.py."""
    g, arrays = _onnx_arrays(path)
    named = {k[len("net."):]: v for k, v in arrays.items() if k.startswith("net.")}
    lin = _linear_weights(g, arrays, "net")
    if not lin:
        raise SystemExit(f"{path}: no named Linear weights under 'net.': not a step graph of export.py")
    state: Dict[str, np.ndarray] = {}
    for k in ("action_mean", "action_std", "visual_mean", "visual_std"):
        state[k] = named[k]
    conv1x1 = lambda w: w[:, :, None]  # Linear (out, in) -> Conv1d (out, in, 1)
    for mod, w in lin.items():
        if mod.startswith("blocks.") and mod.endswith(".taps"):
            i = mod.split(".")[1]
            width = w.shape[0]
            k = w.shape[1] // width
            # Tap j's weight block is conv.weight[:, :, j] (model_cl.BlockCL).
            state[f"blocks.{i}.conv.weight"] = np.stack([w[:, j * width:(j + 1) * width] for j in range(k)], axis=2)
            state[f"blocks.{i}.conv.bias"] = named[f"blocks.{i}.taps.bias"]
        elif mod.startswith(("time_mlp.", "inp", "out", "blocks.")):  # 1x1 convolutions in FlowNet
            state[mod + ".weight"] = conv1x1(w)
            state[mod + ".bias"] = named[mod + ".bias"]
        else:  # Linear in both layouts: action_proj, visual_proj.*, material_prior.classify.*
            state[mod + ".weight"] = w
            state[mod + ".bias"] = named[mod + ".bias"]
    # The time embedding's frequencies: a constant of the time width, folded into the graph as (1, 1, half); taken
    # from it rather than recomputed (exp differs in the last bit between torch builds).
    freqs = [arrays[i] for n in g.node if n.op_type == "Mul" for i in n.input
             if i.startswith("onnx::") and i in arrays and arrays[i].ndim == 3 and arrays[i].shape[:2] == (1, 1)]
    if len(freqs) == 1:
        state["freqs"] = freqs[0].reshape(-1)
    for k, v in named.items():  # LayerNorms: FlowNet wraps them (ChannelNorm.norm); material prior buffers as named
        if k.endswith(("norm.weight", "norm.bias")):
            module, param = k.rsplit(".", 1)
            state[f"{module}.norm.{param}"] = v
        elif k.startswith("material_prior.") and not k.startswith("material_prior.classify."):
            state[k] = v
    return {k: torch.from_numpy(np.ascontiguousarray(v).astype(np.float32)) for k, v in state.items()}


def judge_state_from_graph(path: str) -> Dict[str, torch.Tensor]:
    """The MelClassifier state dict: its Conv and Gemm weights keep their names in the graph."""
    _, arrays = _onnx_arrays(path)
    return {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in arrays.items() if not k.startswith("onnx::")}


def bundle_from_manifest(manifest_path: str):
    """(network, judge or None, bundle metadata, config) rebuilt from a shipped model."""
    from classifier import MelClassifier
    from material_prior import prior_from_state
    from train import build_net
    with open(manifest_path) as f:
        man = json.load(f)
    base = os.path.dirname(os.path.abspath(manifest_path))
    if man["training"].get("distilledFrom"):
        teacher = man["files"]["step"].rsplit(".step.", 1)[0]
        raise SystemExit(f"{manifest_path}: a distilled student (its tick graph is a fused layout, not read back); its step graph is "
                         f"its teacher's: rebuild that with --model {os.path.join(os.path.dirname(manifest_path), teacher + '.json')}")
    cfg = man["training"]["config"]
    if man["sampling"].get("guidanceFrom"):  # a sampler setting chosen after training: it lives in the manifest's sampling
        cfg["sample"]["guidanceFrom"] = man["sampling"]["guidanceFrom"]
    state = net_state_from_step_graph(os.path.join(base, man["files"]["step"]))
    net = build_net(cfg, man["conditioning"]["visualDim"])
    net.material_prior = prior_from_state(state)
    missing, unexpected = net.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{manifest_path}: the step graph does not fit the manifest's network: missing {missing}, unexpected {unexpected}")
    labels = man.get("labels") or {}
    judge = None
    if man["files"].get("classifier") and labels.get("materials"):
        judge = MelClassifier.from_state(judge_state_from_graph(os.path.join(base, man["files"]["classifier"])),
                                         len(labels["materials"]), len(labels["actions"]))
    tr, metrics = man["training"], man.get("metrics", {})
    prior = man["conditioning"].get("materialPrior")
    meta = {
        "visualDim": man["conditioning"]["visualDim"], "melMean": man["melNorm"]["mean"], "melStd": man["melNorm"]["std"],
        "melMax": man["melNorm"]["max"], "vocab": labels, "classifierOnGroundTruth": metrics.get("classifierOnGroundTruth", {}),
        "sweep": metrics.get("valLogMelMseByStepsAtGuidance", {}), "fewGuidance": man["sampling"]["fewGuidance"],
        **{k: man["sampling"][k] for k in ("guidanceFrom", "fewGuidanceFrom") if man["sampling"].get(k)},
        **{k: metrics[k] for k in ("fewGuidanceChoice", "tickGuidanceChoice", "snapshotChoice", "guidanceFromChoice") if metrics.get(k)},
        "training": {k: tr[k] for k in ("steps", "minutes", "history", "device", "torch", "keptStep", "keptValLoss", "initFrom") if k in tr},
        "data": tr.get("data", {}),
        **({"materialPrior": {k: v for k, v in prior.items() if k != "what"}} if prior else {}),
        "importedFrom": os.path.relpath(os.path.abspath(manifest_path), REPO),
    }
    return net.eval(), judge, meta, cfg


@torch.no_grad()
def check_against_fixture(net, fixture_path: str) -> float:
    """Largest |difference| between the rebuilt network's guided velocity and the fixture's step output."""
    from export import tensor_from_json
    from model import guided_velocity
    with open(fixture_path) as f:
        fx = json.load(f)["step"]
    t = {k: tensor_from_json(v) for k, v in fx["inputs"].items()}
    v, _ = guided_velocity(net, t["x"], t["mask"], t["t"], t["action"], t["visual"], t["keep"], t["guidance"][0])
    ref = tensor_from_json(fx["outputs"]["velocity"])
    return float((v - ref).abs().max() / max(1e-6, float(ref.abs().max())))


def fixture_of(manifest_path: str) -> str:
    """The parity fixture whose step outputs come from this model's step graph: its own, or that of a model shipped
    with the same step graph (a distilled student's fixture holds its teacher's step outputs)."""
    fixtures = os.path.join(REPO, "test", "model", "fixtures")
    base = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path) as f:
        step = json.load(f)["files"]["step"]
    for name in sorted(os.listdir(base)):
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(base, name)) as f:
                other = json.load(f)
        except (OSError, ValueError):
            continue
        fx = os.path.join(fixtures, f"{other.get('name')}.parity.json")
        if isinstance(other, dict) and other.get("files", {}).get("step") == step and os.path.exists(fx):
            return fx
    raise SystemExit(f"no parity fixture of {step} under {fixtures}: give --fixture")


def main():
    from train import log, save_bundle
    ap = argparse.ArgumentParser(description="rebuild a trainable bundle from a shipped model's ONNX files and manifest")
    ap.add_argument("--model", required=True, help="the model's manifest (models/NAME.json)")
    ap.add_argument("--out", required=True, help="the bundle's path (without .npz/.json)")
    ap.add_argument("--check", action="store_true", help="compare with the manifest's parity fixture (prints the relative error)")
    ap.add_argument("--fixture", help="the parity fixture (default test/model/fixtures/<name>.parity.json)")
    a = ap.parse_args()
    net, judge, meta, cfg = bundle_from_manifest(a.model)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    save_bundle(a.out, net, judge, meta)
    with open(a.out + ".config.json", "w") as f:  # the recipe's scripts take the config as a file
        json.dump(cfg, f, indent=1)
    n = sum(p.numel() for p in net.parameters())
    log(f"rebuilt {cfg['name']} ({n} parameters{', material prior' if net.material_prior is not None else ''}"
        f"{', judge' if judge is not None else ''}) -> {a.out}.npz/.json")
    if a.check:
        fixture = a.fixture or fixture_of(a.model)
        err = check_against_fixture(net, fixture)
        print(json.dumps({"name": cfg["name"], "parameters": n, "stepRelError": err}))
        if not err <= 1e-4:
            raise SystemExit(f"the rebuilt network differs from the fixture by {err:.2e} (relative)")


if __name__ == "__main__":
    main()
