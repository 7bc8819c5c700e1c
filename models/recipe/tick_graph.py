"""The exported streaming tick: the same function as export.StreamTick, laid out for fewer graph nodes.

On wasm a tick's cost was as much node overhead as arithmetic (4-frame tensors; the straightforward export had
~1 150 nodes after onnxruntime's own fusions, 4.5 ms). Most of those nodes recomputed, on every Euler step,
things that are fixed for the tick:
  - the flow time of a pass is a constant (k/steps, or 1 for the commit pass), so its time embedding is a
    constant, computed here at export time;
  - every block's FiLM is linear in (conditioning + time embedding): one MatMul per tick gives every block's
    conditioning part, and each pass adds its time part (a constant) and splits it (static sizes);
  - the taps' bias is folded into the FiLM shift (y*a + s with y = m + b is m*a + (b*a + s), linear in the
    conditioning again), and "1 + scale" into the constant;
  - the input layer's conditioning and mask columns are added once per tick, not concatenated per pass;
  - LayerNorm of a block's state (the fixed past) runs once per tick; per pass only the new frames are
    normalised (LayerNorm is per frame, so this is the same function);
  - tap k-1 of a causal dilated convolution is the newest frames themselves: no slice;
  - guidance mixes the two rows *before* the output layer (the rows' weights g and 1-g sum to 1, and the
    output layer is affine), with 1/steps folded into its weights;
  - a pass before the guidance interval (flow time < `guidance_from`, fixed at export: the manifest's
    sampling.fewGuidanceFrom) takes the conditional velocity alone, so it runs the conditional row only;
  - the mel stays channels-last for the whole tick: one transpose in, one out.
605 nodes, 3.1 ms. Inputs, outputs and states are exactly StreamTick's (StreamTickFolded's for a distilled
network: one row, no guidance input); the parity tests compare these graphs with the original PyTorch FlowNet,
so the restructuring is checked on every export.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from model_cl import FlowNetCL


class TickGraph(nn.Module):
    def __init__(self, net: FlowNetCL, steps: int, folded: bool = False, guidance_from: float = 0.0):
        """`folded`: a distilled network with guidance folded in (distill.py): one row per item, no guidance input.
        `guidance_from`: passes at flow times below it are unguided (g 1, as model.sample); not with `folded`."""
        super().__init__()
        if folded and guidance_from > 0:
            raise ValueError("a folded tick has no guidance to limit to an interval")
        self.net, self.steps, self.folded = net, steps, folded
        self.guided = [k / steps >= guidance_from for k in range(steps)]
        w = net.width
        n_mels = net.out.out_features
        blocks = list(net.blocks)
        with torch.no_grad():
            inp_w, inp_b = net.inp.weight, net.inp.bias  # (W, 80 + 1 + C): [mel | mask | conditioning]
            self.register_buffer("w_x", inp_w[:, :n_mels].t().contiguous())
            self.register_buffer("w_cond", inp_w[:, n_mels + 1:].t().contiguous())
            self.register_buffer("b_inp", inp_b.clone())
            self.register_buffer("w_mask", inp_w[:, n_mels].clone())  # added in the commit pass (mask = 1)
            # FiLM of all blocks at once. Per block the columns are [a | s'] where a = 1 + scale and
            # s' = b_taps * a + shift, so a block computes gelu(taps @ W * a + s').
            wf, const = [], []
            times = [k / steps for k in range(steps)] + [1.0]  # flow time of each pass; the commit pass is at 1
            temb = torch.stack([self._time_embedding(t) for t in times])  # (passes, C)
            for b in blocks:
                fw, fb = b.film.weight, b.film.bias  # (2W, C), (2W,)
                ws, wsh = fw[:w], fw[w:]
                bs, bsh = fb[:w], fb[w:]
                bt = b.taps.bias
                wf.append(torch.cat([ws, ws * bt[:, None] + wsh], 0))  # (2W, C)
                cs = temb @ ws.t() + bs  # (passes, W): the scale's constant part
                csh = temb @ wsh.t() + bsh
                const.append(torch.cat([1 + cs, bt * (1 + cs) + csh], 1))  # (passes, 2W)
            self.register_buffer("w_film", torch.cat(wf, 0).t().contiguous())  # (C, blocks * 2W)
            self.register_buffer("film_const", torch.cat(const, 1))  # (passes, blocks * 2W)
            self.register_buffer("w_out", (net.out.weight.t() / steps).contiguous())
            self.register_buffer("b_out", net.out.bias / steps)
            for i, b in enumerate(blocks):
                self.register_buffer(f"w_taps_{i}", b.taps.weight.t().contiguous())
                self.register_buffer(f"w_blockout_{i}", b.out.weight.t().contiguous())
                self.register_buffer(f"b_blockout_{i}", b.out.bias.clone())
        self.norms = nn.ModuleList([b.norm for b in blocks])
        self.geometry = [(b.kernel, b.dilation, b.pad) for b in blocks]
        self.width = w

    @torch.no_grad()
    def _time_embedding(self, t: float):
        arg = 1000.0 * t * self.net.freqs
        return self.net.time_mlp(torch.cat([torch.sin(arg), torch.cos(arg)])[None])[0]

    def _blocks(self, h, film, pass_index: int, normed_states, states, commit: bool):
        """All blocks on the new frames h (R, T, W). Returns h, and in the commit pass the next states."""
        # Every block's [a | s'] (2W each), split in two levels of at most 4 outputs: WebGPU kernels may bind only
        # 8–10 storage buffers, and one 16-way Split would need 17.
        parts = [p for group in (film + self.film_const[pass_index]).split(4 * self.width, dim=2) for p in group.split(self.width, dim=2)]
        next_states = []
        for i, ((kernel, dilation, pad), norm) in enumerate(zip(self.geometry, self.norms)):
            if commit:
                next_states.append(torch.cat([states[i], h], dim=1)[:, -pad:])
                if i == len(self.geometry) - 1:
                    break  # the last block's output feeds nothing the commit pass returns
            nh = norm(h)
            hn = torch.cat([normed_states[i], nh], dim=1)
            taps = [hn[:, j * dilation: j * dilation - pad] for j in range(kernel - 1)] + [nh]
            y = torch.cat(taps, dim=2) @ getattr(self, f"w_taps_{i}")
            y = F.gelu(y * parts[2 * i] + parts[2 * i + 1])
            h = h + y @ getattr(self, f"w_blockout_{i}") + getattr(self, f"b_blockout_{i}")
        return h, next_states

    def forward(self, noise, action, visual, keep, *rest):
        if self.folded:
            return self._forward_folded(noise, action, visual, keep, *rest)
        guidance, states = rest[0], rest[1:]
        net = self.net
        b = noise.shape[0]
        keep2 = torch.cat([keep, keep * 0.0], dim=0)  # rows: [conditional; unconditional]
        cond2 = net.condition(torch.cat([action, action]), torch.cat([visual, visual]), keep2)  # (2B, T, C)
        cin = cond2 @ self.w_cond + self.b_inp
        film = cond2 @ self.w_film
        normed_states = [norm(s) for norm, s in zip(self.norms, states)]
        mix = torch.stack([guidance, 1.0 - guidance]).reshape(2, 1, 1, 1)  # vu + g (vc - vu) = g vc + (1 - g) vu
        if not all(self.guided):  # the conditional row's share, for the unguided passes
            cin_c, film_c, normed_c = cin[:b], film[:b], [s[:b] for s in normed_states]
        x = noise.transpose(1, 2)  # (B, T, 80)
        for k in range(self.steps):
            xw = x @ self.w_x
            if not self.guided[k]:
                h, _ = self._blocks(xw + cin_c, film_c, k, normed_c, states, commit=False)
                x = x + net.out_norm(h) @ self.w_out + self.b_out
                continue
            h, _ = self._blocks(torch.cat([xw, xw]) + cin, film, k, normed_states, states, commit=False)
            hn = net.out_norm(h)
            mixed = (hn.reshape(2, b, hn.shape[1], self.width) * mix).sum(0)
            x = x + mixed @ self.w_out + self.b_out
        xw = x @ self.w_x
        _, next_states = self._blocks(torch.cat([xw, xw]) + (cin + self.w_mask), film, self.steps, normed_states,
                                      states, commit=True)
        return (x.transpose(1, 2), *next_states)

    def _forward_folded(self, noise, action, visual, keep, *states):
        net = self.net
        cond = net.condition(action, visual, keep)  # (B, T, C)
        cin = cond @ self.w_cond + self.b_inp
        film = cond @ self.w_film
        normed_states = [norm(s) for norm, s in zip(self.norms, states)]
        x = noise.transpose(1, 2)
        for k in range(self.steps):
            h, _ = self._blocks(x @ self.w_x + cin, film, k, normed_states, states, commit=False)
            x = x + net.out_norm(h) @ self.w_out + self.b_out
        _, next_states = self._blocks(x @ self.w_x + (cin + self.w_mask), film, self.steps, normed_states, states, commit=True)
        return (x.transpose(1, 2), *next_states)
