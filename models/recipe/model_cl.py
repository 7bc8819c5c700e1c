"""The exported (inference) form of FlowNet: the same function, laid out channels-last.

Measured on onnxruntime-web (wasm), a streaming tick of the channels-first network (136 Conv1d + 88
Transpose nodes on 4-frame tensors) cost ~36 ms; per-node overhead, not arithmetic, dominated. Here every
1x1 convolution is a Linear (MatMul/Gemm), each causal dilated convolution is one Linear over its k
concatenated taps, and LayerNorm runs on the last axis without transposes. Weights are converted from a
trained FlowNet exactly (`from_flownet`); the parity tests compare the ONNX graphs of this form with the
original PyTorch FlowNet, so the conversion is checked too. Block states are (B, frames, channels).
"""
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from model import FlowNet


def _linear_from_conv1x1(conv: nn.Conv1d) -> nn.Linear:
    lin = nn.Linear(conv.in_channels, conv.out_channels)
    lin.weight.data.copy_(conv.weight.data[:, :, 0])
    lin.bias.data.copy_(conv.bias.data)
    return lin


class BlockCL(nn.Module):
    def __init__(self, block):
        super().__init__()
        conv = block.conv
        self.kernel, self.dilation, self.pad = conv.kernel_size[0], conv.dilation[0], block.pad
        self.norm = block.norm.norm
        self.taps = nn.Linear(conv.in_channels * self.kernel, conv.out_channels)
        # Tap i reads full[t + i*d]; its weight block is conv.weight[:, :, i].
        self.taps.weight.data.copy_(torch.cat([conv.weight.data[:, :, i] for i in range(self.kernel)], dim=1))
        self.taps.bias.data.copy_(conv.bias.data)
        self.film = _linear_from_conv1x1(block.film)
        self.out = _linear_from_conv1x1(block.out)

    def forward(self, x, c, state):
        """x: (B, T, W); c: (B, T, C); state: (B, pad, W)."""
        full = torch.cat([state, x], dim=1)
        h = self.norm(full)
        # Static slice bounds (negative ends): no shape arithmetic in the exported graph.
        taps = torch.cat([h[:, i * self.dilation: (i * self.dilation - self.pad) or None] for i in range(self.kernel)], dim=2)
        h = self.taps(taps)
        scale, shift = self.film(c).chunk(2, dim=2)
        h = F.gelu(h * (1 + scale) + shift)
        return x + self.out(h), full[:, -self.pad:]


class FlowNetCL(nn.Module):
    def __init__(self, net: FlowNet):
        super().__init__()
        self.visual_dim, self.width = net.visual_dim, net.width
        for name in ("action_mean", "action_std", "visual_mean", "visual_std", "freqs"):
            self.register_buffer(name, getattr(net, name).clone())
        self.action_proj, self.visual_proj = net.action_proj, net.visual_proj
        self.material_prior = net.material_prior  # works on the last axis already
        self.time_mlp = nn.Sequential(_linear_from_conv1x1(net.time_mlp[0]), nn.GELU(), _linear_from_conv1x1(net.time_mlp[2]))
        self.inp = _linear_from_conv1x1(net.inp)
        self.blocks = nn.ModuleList([BlockCL(b) for b in net.blocks])
        self.out_norm = net.out_norm.norm
        self.out = _linear_from_conv1x1(net.out)
        self.receptive_field = net.receptive_field

    def state_shapes(self):
        return [(b.pad, self.width) for b in self.blocks]

    def zero_states(self, batch: int, like: torch.Tensor) -> List[torch.Tensor]:
        return [like.new_zeros((batch, p, w)) for p, w in self.state_shapes()]

    def condition(self, action, visual, keep):
        """-> (B, T, C)"""
        a = F.normalize(self.action_proj((action - self.action_mean) / self.action_std), dim=-1)
        if self.material_prior is not None:
            visual = self.material_prior(visual)
        v = F.normalize(self.visual_proj((visual - self.visual_mean) / self.visual_std), dim=-1)
        return a * keep[:, 0:1, None] + v * keep[:, 1:2, None]

    def forward(self, x, mask, t, action, visual, keep, states: Optional[List[torch.Tensor]] = None, cond=None):
        """Same signature and layout of x / mask / velocity as FlowNet ((B, 80, T), (B, 1, T))."""
        if states is None:
            states = self.zero_states(x.shape[0], x)
        xt = x.transpose(1, 2)
        mt = mask.transpose(1, 2)  # (B, T, 1)
        tf = mt + (1 - mt) * t[:, None, None]
        arg = 1000.0 * tf * self.freqs[None, None, :]
        temb = self.time_mlp(torch.cat([torch.sin(arg), torch.cos(arg)], dim=2))
        if cond is None:
            cond = self.condition(action, visual, keep)
        h = self.inp(torch.cat([xt, mt, cond], dim=2))
        c = cond + temb
        new_states = []
        for block, s in zip(self.blocks, states):
            h, ns = block(h, c, s)
            new_states.append(ns)
        return self.out(self.out_norm(h)).transpose(1, 2), new_states


def from_flownet(net: FlowNet) -> FlowNetCL:
    return FlowNetCL(net).eval()
