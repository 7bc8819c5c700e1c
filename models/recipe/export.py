"""ONNX export (opset 17, dynamic batch/time axes) of the trained flow network, the classifier, parity
fixtures for the TypeScript tests, and the manifest written beside the weights.

Graphs are exported from the channels-last inference form of the network (model_cl.py: fewer, cheaper
nodes), converted exactly from the trained FlowNet. Graphs:
  <name>.step.onnx   one guided velocity evaluation over a whole window (offline mode, any step count):
                     x, mask, t, action, visual, keep, guidance -> velocity
  <name>.tick<K>.onnx one streaming tick as ONE graph: K guided Euler steps on the newest chunk given the
                     per-block states of the fixed past, then the commit pass that advances the states:
                     noise, action, visual, keep, guidance, state_i... -> mel, next_state_i...
                     (states hold 2B rows: conditional then unconditional branch of the guidance)
"""
import base64
import json
import os

import numpy as np
import torch
import torch.nn as nn

from data import action_features, to_mel_rate
from model import FlowNet, guided_velocity, interval_velocity
from model_cl import from_flownet
from tick_graph import TickGraph

STEP_INPUTS = ["x", "mask", "t", "action", "visual", "keep", "guidance"]


class GuidedStep(nn.Module):
    def __init__(self, net: FlowNet):
        super().__init__()
        self.net = net

    def forward(self, x, mask, t, action, visual, keep, guidance):
        v, _ = guided_velocity(self.net, x, mask, t, action, visual, keep, guidance)
        return v


class StreamTick(nn.Module):
    """K guided Euler steps on the new frames given the states of the past, then the commit pass. Steps at flow times
    below `guidance_from` take the conditional velocity alone (model.sample's interval)."""

    def __init__(self, net: FlowNet, steps: int, guidance_from: float = 0.0):
        super().__init__()
        self.net, self.steps, self.guidance_from = net, steps, guidance_from

    def forward(self, noise, action, visual, keep, guidance, *states):
        states = list(states)
        zero = noise[:, :1, :] * 0.0
        keep2 = torch.cat([keep, keep * 0.0], dim=0)
        cond2 = self.net.condition(torch.cat([action, action]), torch.cat([visual, visual]), keep2)  # once per tick
        x = noise
        for k in range(self.steps):
            t = noise[:, 0, 0] * 0.0 + k / self.steps
            v, _ = interval_velocity(self.net, x, zero, t, action, visual, keep, guidance, k / self.steps >= self.guidance_from,
                                     states, cond2)
            x = x + v / self.steps
        one = zero + 1.0
        _, next_states = self.net(torch.cat([x, x]), torch.cat([one, one]), torch.cat([one[:, 0, 0], one[:, 0, 0]]),
                                  torch.cat([action, action]), torch.cat([visual, visual]), keep2, states, cond2)
        return (x, *next_states)


class StreamTickFolded(nn.Module):
    """The tick of a distilled network with guidance folded in (distill.py): K plain Euler steps on one row."""

    def __init__(self, net: FlowNet, steps: int):
        super().__init__()
        self.net, self.steps = net, steps

    def forward(self, noise, action, visual, keep, *states):
        states = list(states)
        zero = noise[:, :1, :] * 0.0
        cond = self.net.condition(action, visual, keep)
        x = noise
        for k in range(self.steps):
            v, _ = self.net(x, zero, noise[:, 0, 0] * 0.0 + k / self.steps, action, visual, keep, states, cond)
            x = x + v / self.steps
        one = zero + 1.0
        _, next_states = self.net(x, one, one[:, 0, 0], action, visual, keep, states, cond)
        return (x, *next_states)


def tick_io(net: FlowNet, folded: bool = False):
    n = len(net.blocks)
    return (["noise", "action", "visual", "keep"] + ([] if folded else ["guidance"]) + [f"state_{i}" for i in range(n)],
            ["mel"] + [f"next_state_{i}" for i in range(n)])


def export_step(net, path: str, opset: int = 17):
    b, t = 1, 16
    args = (torch.randn(b, 80, t), torch.zeros(b, 1, t), torch.rand(b), torch.randn(b, t, 252),
            torch.randn(b, t, net.visual_dim), torch.ones(b, 2), torch.tensor([4.5]))
    dyn = {"x": {0: "batch", 2: "frames"}, "mask": {0: "batch", 2: "frames"}, "t": {0: "batch"},
           "action": {0: "batch", 1: "frames"}, "visual": {0: "batch", 1: "frames"}, "keep": {0: "batch"},
           "velocity": {0: "batch", 2: "frames"}}
    torch.onnx.export(GuidedStep(net).eval(), args, path, opset_version=opset, input_names=STEP_INPUTS,
                      output_names=["velocity"], dynamic_axes=dyn)


def export_tick(net, steps: int, path: str, opset: int = 17, folded: bool = False, guidance_from: float = 0.0):
    """`folded`: a distilled network with guidance folded in: one row per item, no guidance input. `guidance_from`:
    the flow time from which its steps are guided (fixed in the graph)."""
    b, n = 1, 4
    states = [torch.randn((1 if folded else 2) * b, *shape) for shape in net.state_shapes()]
    args = (torch.randn(b, 80, n), torch.randn(b, n, 252), torch.randn(b, n, net.visual_dim), torch.ones(b, 2),
            *([] if folded else [torch.tensor([4.5])]), *states)
    ins, outs = tick_io(net, folded)
    dyn = {"noise": {0: "batch", 2: "frames"}, "action": {0: "batch", 1: "frames"}, "visual": {0: "batch", 1: "frames"},
           "keep": {0: "batch"}, "mel": {0: "batch", 2: "frames"}}
    for i in range(len(states)):
        dyn[f"state_{i}"] = {0: "rows"}
        dyn[f"next_state_{i}"] = {0: "rows"}
    torch.onnx.export(TickGraph(net, steps, folded, guidance_from).eval(), args, path, opset_version=opset, input_names=ins,
                      output_names=outs, dynamic_axes=dyn)


def export_classifier(clf, path: str, opset: int = 17):
    torch.onnx.export(clf.eval(), (torch.randn(1, 80, 64),), path, opset_version=opset, input_names=["log_mel"],
                      output_names=["material_logits", "action_logits"],
                      dynamic_axes={"log_mel": {0: "batch", 2: "frames"}, "material_logits": {0: "batch"},
                                    "action_logits": {0: "batch"}})


def tensor_json(x: torch.Tensor):
    """A float32 tensor as {dims, f32: base64 of little-endian bytes}."""
    raw = x.detach().contiguous().numpy().astype("<f4").tobytes()
    return {"dims": list(x.shape), "f32": base64.b64encode(raw).decode("ascii")}


def tensor_from_json(j: dict) -> torch.Tensor:
    """tensor_json's inverse."""
    return torch.from_numpy(np.frombuffer(base64.b64decode(j["f32"]), dtype="<f4").reshape(j["dims"]).copy())


@torch.no_grad()
def parity_fixture(net: FlowNet, net_cl, steps: int, seed: int = 123, lookahead: int = 0, folded: bool = False,
                   guidance_from: float = 0.0):
    """Inputs and outputs of the *original* PyTorch FlowNet on fixed random inputs, for the ONNX parity tests
    of the graphs exported from its channels-last form `net_cl` (so the conversion is checked too).
    States are given and returned in the graphs' (B, frames, channels) layout."""
    g = torch.Generator().manual_seed(seed)
    b, t, n = 1, 12, 4
    step_in = [torch.randn(b, 80, t, generator=g), (torch.arange(t) < 5).float().reshape(1, 1, t),
               torch.tensor([0.3]), torch.randn(b, t, 252, generator=g) * 0.2,
               torch.randn(b, t, net.visual_dim, generator=g), torch.ones(b, 2), torch.tensor([4.5])]
    step_out = GuidedStep(net).eval()(*step_in)
    states = [torch.randn((1 if folded else 2) * b, p, w, generator=g) for p, w in net_cl.state_shapes()]
    tick_in = [torch.randn(b, 80, n, generator=g), torch.randn(b, n, 252, generator=g) * 0.2,
               torch.randn(b, n, net.visual_dim, generator=g), torch.tensor([[1.0, 0.0]]),
               *([] if folded else [torch.tensor([4.5])]), *states]
    k = len(tick_in) - len(states)
    cf_in = tick_in[:k] + [s.transpose(1, 2).contiguous() for s in states]
    cf_out = (StreamTickFolded(net, steps) if folded else StreamTick(net, steps, guidance_from)).eval()(*cf_in)
    tick_out = [cf_out[0]] + [s.transpose(1, 2).contiguous() for s in cf_out[1:]]
    ins, outs = tick_io(net, folded)
    kp = torch.randn(10, 2, 21, 3, generator=g) * 0.3
    kp[3, 0] = 0.0  # left hand lost for one frame
    kp[6, 1, 4, 2] = float("nan")  # a NaN keypoint counts as zero
    feats = action_features(kp.numpy(), 30)
    mel_rate = to_mel_rate(feats, 30, 21, lookahead)
    return {
        "conditioning": {"actionLookaheadFrames": lookahead, "inputs": {"keypoints": tensor_json(kp)},
                         "outputs": {"features": tensor_json(torch.from_numpy(feats)), "melRate": tensor_json(torch.from_numpy(mel_rate))}},
        "step": {"inputs": {k: tensor_json(v) for k, v in zip(STEP_INPUTS, step_in)}, "outputs": {"velocity": tensor_json(step_out)}},
        "tick": {"inputs": {k: tensor_json(v) for k, v in zip(ins, tick_in)}, "outputs": {k: tensor_json(v) for k, v in zip(outs, tick_out)}},
    }


def write_fixture(net: FlowNet, net_cl, steps: int, path: str, lookahead: int = 0, folded: bool = False, step_net=None,
                  guidance_from: float = 0.0):
    """`step_net`: where the step graph comes from another network (a distilled model ships its teacher's)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fixture = parity_fixture(net, net_cl, steps, lookahead=lookahead, folded=folded, guidance_from=guidance_from)
    if step_net is not None:
        fixture["step"] = parity_fixture(step_net, from_flownet(step_net), steps, lookahead=lookahead)["step"]
    with open(path, "w") as f:
        json.dump(fixture, f)


def write_manifest(path: str, manifest: dict):
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
