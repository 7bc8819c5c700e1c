"""Checks the few-step sampler's guidance interval (manifest sampling.fewGuidanceFrom) in the streaming tick, on a
network with random weights. Prints one JSON line; test/model/tick-interval.test.ts asserts on it.
  - a tick from silence (zero states) generates what the offline sampler (model.sample) does on the same frames, from
    the same noise, for the same steps, guidance and interval: the interval means the same in both;
  - the exported layout (tick_graph.TickGraph: the unguided passes run the conditional row alone) is the same function
    as export.StreamTick, states included, with and without an interval;
  - steps before the interval ignore the guidance: an interval past the last step makes the guidance input moot,
    and an interval does change the sound (it is not ignored);
  - a folded (distilled) tick refuses an interval."""
import json

import torch

from export import StreamTick
from model import FlowNet, sample
from model_cl import from_flownet
from tick_graph import TickGraph

torch.manual_seed(0)
VIS, STEPS, B, N = 6, 4, 2, 5
net = FlowNet(VIS, width=32, cond_width=16, time_width=16, dilations=(1, 2, 4))
with torch.no_grad():
    for p in net.parameters():  # the zero-initialised block outputs too: every block must matter
        p.add_(0.2 * torch.randn_like(p))
net.eval()
cl = from_flownet(net)
noise, act, vis = torch.randn(B, 80, N), 0.3 * torch.randn(B, N, 252), torch.randn(B, N, VIS)
keep = torch.tensor([[1.0, 1.0], [1.0, 0.0]])
g = torch.tensor([3.0])


def rel(a, b):
    return float((a - b).abs().max() / (b.abs().max() + 1e-12))


out = {}
with torch.no_grad():
    for start in (0.0, 0.4, 0.8):
        zero_cf = [torch.zeros(2 * B, w, p) for w, p in net.state_shapes()]
        ticked = StreamTick(net, STEPS, start)(noise, act, vis, keep, g, *zero_cf)
        offline = sample(net, torch.zeros_like(noise), torch.zeros(B, 1, N), noise, act, vis, keep, STEPS, float(g), start)
        states_cf = [torch.randn(2 * B, w, p) for w, p in net.state_shapes()]
        ref = StreamTick(net, STEPS, start)(noise, act, vis, keep, g, *states_cf)
        got = TickGraph(cl, STEPS, False, start)(noise, act, vis, keep, g, *[s.transpose(1, 2) for s in states_cf])
        out[str(start)] = {"tickVsOfflineSampler": rel(ticked[0], offline),
                           "graphVsStreamTick": max([rel(got[0], ref[0])] + [rel(a.transpose(1, 2), b) for a, b in zip(got[1:], ref[1:])])}
    zero_cf = [torch.zeros(2 * B, w, p) for w, p in net.state_shapes()]
    past_all = [TickGraph(cl, STEPS, False, 0.8)(noise, act, vis, keep, torch.tensor([x]), *[s.transpose(1, 2) for s in zero_cf])[0] for x in (1.0, 7.0)]
    out["guidanceMootPastLastStep"] = rel(past_all[0], past_all[1])
    every = TickGraph(cl, STEPS, False, 0.0)(noise, act, vis, keep, g, *[s.transpose(1, 2) for s in zero_cf])[0]
    half = TickGraph(cl, STEPS, False, 0.4)(noise, act, vis, keep, g, *[s.transpose(1, 2) for s in zero_cf])[0]
    out["intervalChangesSound"] = rel(half, every)
try:
    TickGraph(cl, STEPS, True, 0.4)
    out["foldedRefused"] = None
except ValueError as e:
    out["foldedRefused"] = str(e)
print(json.dumps(out))
