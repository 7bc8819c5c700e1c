"""The vector-field network: a chunk-causal conditional rectified flow over log-mel frames.

Conditioning follows the paper (4.1): action (2x21x3 keypoints + their velocities, per frame) -> linear ->
unit-normalised; visual features -> small MLP -> unit-normalised, same width; both already nearest-upsampled
to the mel frame rate (data.py / src/model/conditioning.ts), summed, and concatenated to the noisy mel.
Classifier-free guidance comes from dropping either condition in training (`keep` flags).

Streaming: every temporal operation is a causal dilated convolution, and every per-frame operation
(LayerNorm over channels, 1x1 convolutions) looks at one frame only. Frames already generated are given
as clean context (mask = 1, flow time 1), so their activations never change: each block keeps the last
(kernel-1)*dilation frames of its input as a state, and a live runtime denoises only the newest chunk
given those states. The same code runs the offline (whole window) mode with zero states, so streaming
and offline generation are the same function of the inputs.
"""
import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

N_MELS = 80
ACTION_DIM = 252  # 2 hands x 21 keypoints x xyz, positions and velocities


class ChannelNorm(nn.Module):
    """LayerNorm over channels of a (B, C, T) tensor: per frame, hence causal. Affine (ONNX-exportable)."""

    def __init__(self, c: int):
        super().__init__()
        self.norm = nn.LayerNorm(c)

    def forward(self, x):
        return self.norm(x.transpose(1, 2)).transpose(1, 2)


class Block(nn.Module):
    def __init__(self, width: int, cond: int, dilation: int, kernel: int):
        super().__init__()
        self.pad = (kernel - 1) * dilation
        self.norm = ChannelNorm(width)
        self.conv = nn.Conv1d(width, width, kernel, dilation=dilation)
        self.film = nn.Conv1d(cond, 2 * width, 1)
        self.out = nn.Conv1d(width, width, 1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, c, state):
        """x: (B, W, T) block input; c: (B, C, T); state: (B, W, pad) previous block inputs."""
        full = torch.cat([state, x], dim=2)
        h = self.conv(self.norm(full))
        scale, shift = self.film(c).chunk(2, dim=1)
        h = F.gelu(h * (1 + scale) + shift)
        return x + self.out(h), full[:, :, full.shape[2] - self.pad:]


class FlowNet(nn.Module):
    def __init__(self, visual_dim: int, width: int = 128, cond_width: int = 64, time_width: int = 64,
                 dilations=(1, 2, 4, 8, 1, 2, 4, 8), kernel: int = 3):
        super().__init__()
        self.visual_dim, self.width, self.cond_width = visual_dim, width, cond_width
        # Input standardisation, set from the training data and baked into the exported graph.
        self.register_buffer("action_mean", torch.zeros(ACTION_DIM))
        self.register_buffer("action_std", torch.ones(ACTION_DIM))
        self.register_buffer("visual_mean", torch.zeros(visual_dim))
        self.register_buffer("visual_std", torch.ones(visual_dim))
        self.action_proj = nn.Linear(ACTION_DIM, cond_width)
        self.visual_proj = nn.Sequential(nn.Linear(visual_dim, cond_width), nn.GELU(), nn.Linear(cond_width, cond_width))
        # Optional visual encoder in front (material_prior.py, fitted after training): set by its owner, saved with
        # the weights, exported inside the graphs.
        self.material_prior: Optional[nn.Module] = None
        half = time_width // 2
        self.register_buffer("freqs", torch.exp(-math.log(10000.0) * torch.arange(half) / half))
        self.time_mlp = nn.Sequential(nn.Conv1d(time_width, cond_width, 1), nn.GELU(), nn.Conv1d(cond_width, cond_width, 1))
        self.inp = nn.Conv1d(N_MELS + 1 + cond_width, width, 1)
        self.blocks = nn.ModuleList([Block(width, cond_width, d, kernel) for d in dilations])
        self.out_norm = ChannelNorm(width)
        self.out = nn.Conv1d(width, N_MELS, 1)
        self.receptive_field = 1 + sum((kernel - 1) * d for d in dilations)

    def state_shapes(self) -> List[Tuple[int, int]]:
        return [(self.width, b.pad) for b in self.blocks]

    def zero_states(self, batch: int, like: torch.Tensor) -> List[torch.Tensor]:
        return [like.new_zeros((batch, w, p)) for w, p in self.state_shapes()]

    def condition(self, action, visual, keep):
        """(B, T, 252), (B, T, Dv), (B, 2) -> (B, C, T): unit action + unit visual embeddings, summed."""
        a = F.normalize(self.action_proj((action - self.action_mean) / self.action_std), dim=-1)
        if self.material_prior is not None:
            visual = self.material_prior(visual)
        v = F.normalize(self.visual_proj((visual - self.visual_mean) / self.visual_std), dim=-1)
        c = a * keep[:, 0:1, None] + v * keep[:, 1:2, None]
        return c.transpose(1, 2)

    def forward(self, x, mask, t, action, visual, keep, states: Optional[List[torch.Tensor]] = None,
                cond: Optional[torch.Tensor] = None):
        """x: (B, 80, T) normalised mel (context frames clean, the rest noisy); mask: (B, 1, T) 1 = context;
        t: (B,) flow time of the noisy frames (0 noise .. 1 data). `cond` (B, C, T) may be given precomputed
        (a tick reuses it for all its steps). Returns velocity (B, 80, T), new states."""
        if states is None:
            states = self.zero_states(x.shape[0], x)
        tf = mask + (1 - mask) * t[:, None, None]  # per-frame flow time; context frames are at t = 1
        arg = 1000.0 * tf * self.freqs[None, :, None]
        temb = self.time_mlp(torch.cat([torch.sin(arg), torch.cos(arg)], dim=1))
        if cond is None:
            cond = self.condition(action, visual, keep)
        h = self.inp(torch.cat([x, mask, cond], dim=1))
        c = cond + temb
        new_states = []
        for block, s in zip(self.blocks, states):
            h, ns = block(h, c, s)
            new_states.append(ns)
        return self.out(self.out_norm(h)), new_states


def guided_velocity(net: FlowNet, x, mask, t, action, visual, keep, guidance, states=None, cond2=None):
    """Classifier-free guidance in one batched pass: rows [cond; uncond]. States (if any) are 2B rows;
    cond2 (2B, C, T), if given, is the precomputed conditioning of both rows."""
    b = x.shape[0]
    keep2 = torch.cat([keep, torch.zeros_like(keep)], dim=0)
    v, ns = net(torch.cat([x, x]), torch.cat([mask, mask]), torch.cat([t, t]), torch.cat([action, action]),
                torch.cat([visual, visual]), keep2, states, cond2)
    vc, vu = v[:b], v[b:]
    return vu + guidance * (vc - vu), ns


def interval_velocity(net: FlowNet, x, mask, t, action, visual, keep, guidance, guided: bool, states=None, cond2=None):
    """guided_velocity inside the guidance interval (`guided`); before it, the conditional velocity alone (g 1), on the
    conditional rows only: the first B rows of `states` and `cond2`, as guided_velocity lays them out."""
    if guided:
        return guided_velocity(net, x, mask, t, action, visual, keep, guidance, states, cond2)
    b = x.shape[0]
    return net(x, mask, t, action, visual, keep, None if states is None else [s[:b] for s in states],
               None if cond2 is None else cond2[:b])


@torch.no_grad()
def sample(net: FlowNet, ctx, mask, noise, action, visual, keep, steps: int, guidance: float, guidance_from: float = 0.0):
    """Euler sampler from t=0 (noise) to t=1, generating frames where mask == 0; context frames stay. Steps before
    flow time `guidance_from` take the conditional velocity alone (g 1): guidance in a limited interval
    (Kynkaanniemi et al. 2024). Guiding the noisiest steps is what exaggerates a sound (more, louder attacks)."""
    x = mask * ctx + (1 - mask) * noise
    for k in range(steps):
        t = torch.full((x.shape[0],), k / steps, device=x.device)
        v, _ = interval_velocity(net, x, mask, t, action, visual, keep, torch.tensor(guidance, device=x.device),
                                 k / steps >= guidance_from)
        x = x + (1 - mask) * v / steps
    return x
