"""Checks train.flow_times, the flow-time distribution of the training windows (`train.timeSampling`), against the
closed forms of each choice; prints one JSON line that test/model/time-sampling.test.ts asserts on.
  - uniform (absent or "uniform"): mean 1/2, P(t < 0.1) = 0.1;
  - {"power": p}: t = u^p, mean 1/(p+1), P(t < 0.1) = 0.1^(1/p);
  - {"power": p, "uniformShare": f}: the mixture, mean f/2 + (1-f)/(p+1);
  - {"logitNormal": [m, s]}: median sigmoid(m);
  - every draw lies in [0, 1], the same generator seed gives the same draws, and a malformed spec is refused."""
import json

import torch

from train import flow_times

N = 200_000


def stats(spec) -> dict:
    t = flow_times(N, spec, torch.Generator().manual_seed(0), "cpu")
    again = flow_times(N, spec, torch.Generator().manual_seed(0), "cpu")
    return {"mean": float(t.mean()), "median": float(t.median()), "below01": float((t < 0.1).float().mean()),
            "min": float(t.min()), "max": float(t.max()), "repeatable": bool(torch.equal(t, again))}


refused = []
for bad in ({"power": 0}, {"power": -1}, {"logitNormal": [0.0]}, {"cubic": 2}, "lognormal", 3,
            {"power": 2, "uniformShare": 1.5}, {"power": 2, "share": 0.5}, {"logitNormal": [0.0, -1.0]}):
    try:
        flow_times(8, bad, torch.Generator().manual_seed(0), "cpu")
    except (ValueError, TypeError) as e:
        refused.append(str(e)[:160])
print(json.dumps({"absent": stats(None), "uniform": stats("uniform"), "power2": stats({"power": 2.0}),
                  "power3": stats({"power": 3.0}),
                  "power3Half": stats({"power": 3.0, "uniformShare": 0.5}), "logitNormal": stats({"logitNormal": [-1.0, 1.0]}),
                  "refused": refused}))
