"""A small neural vocoder (issue 5, item 3): log-mel (the feature contract) -> the STFT of the waveform, Vocos-style
(Siuzdenko et al. 2023): a stack of ConvNeXt blocks over the mel frames predicts, per frame, the log-magnitude and
the phase of the 513 bins of the contract's STFT (n_fft 1024, hop 256, Hann, centred); the waveform is their inverse
STFT, done by the DSP core at run time (src/vocoder/neural-vocoder.ts), so the network is all the ONNX graph holds.

Chunk-causal like the flow model: every convolution looks only at the current and past frames, so a live runtime can
vocode each new chunk given the past. Trained here on the CPU without an adversary (multi-resolution STFT and mel
losses only): what that buys against Griffin-Lim is measured by `hearing-hands eval --vocoder neural`.

  /usr/bin/python3 models/recipe/vocoder.py --data models/recipe/data/sim-gpu16-train --minutes 25 --out models/hh-vocoder
"""
import argparse
import json
import math
import os
import time
import wave

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from features import FEATURES, log_mel_torch as log_mel_of  # the feature contract, as the flow model's data

SR, N_FFT, HOP, N_MELS = FEATURES["sampleRate"], FEATURES["nFft"], FEATURES["hop"], FEATURES["nMels"]
BINS = N_FFT // 2 + 1


class CausalConvNeXt(nn.Module):
    """Depthwise causal conv (kernel 7) -> LayerNorm -> pointwise MLP (x3) -> residual."""

    def __init__(self, dim: int, kernel: int = 7):
        super().__init__()
        self.pad = kernel - 1
        self.dw = nn.Conv1d(dim, dim, kernel, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.up = nn.Linear(dim, 3 * dim)
        self.down = nn.Linear(3 * dim, dim)
        self.scale = nn.Parameter(torch.full((dim,), 0.1))

    def forward(self, x):
        h = self.dw(F.pad(x, (self.pad, 0))).transpose(1, 2)
        h = self.down(F.gelu(self.up(self.norm(h)))) * self.scale
        return x + h.transpose(1, 2)


class MelVocoder(nn.Module):
    def __init__(self, dim: int = 128, blocks: int = 8):
        super().__init__()
        self.embed = nn.Conv1d(N_MELS, dim, 7)
        self.blocks = nn.ModuleList([CausalConvNeXt(dim) for _ in range(blocks)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 2 * BINS)

    def forward(self, log_mel):
        """(B, 80, T) log-mel -> real, imag (B, 513, T): the STFT frames of the waveform."""
        x = self.embed(F.pad((log_mel + 5.0) / 2.5, (6, 0)))  # log-mel of our data lies in about [-11.5, 1]
        for b in self.blocks:
            x = b(x)
        h = self.head(self.norm(x.transpose(1, 2))).transpose(1, 2)
        log_mag, phase = h[:, :BINS], h[:, BINS:]
        mag = torch.exp(torch.clamp(log_mag, max=6.0))
        return mag * torch.cos(phase), mag * torch.sin(phase)


def istft(real, imag, length: int):
    window = torch.hann_window(N_FFT, device=real.device)
    return torch.istft(torch.complex(real, imag), N_FFT, HOP, window=window, center=True, length=length)


def mr_stft_loss(y, x):
    """Multi-resolution STFT loss (spectral convergence + log-magnitude L1) at 3 resolutions."""
    loss = 0.0
    for n_fft, hop in ((512, 128), (1024, 256), (2048, 512)):
        w = torch.hann_window(n_fft, device=y.device)
        Y = torch.stft(y, n_fft, hop, window=w, return_complex=True).abs() + 1e-7
        X = torch.stft(x, n_fft, hop, window=w, return_complex=True).abs() + 1e-7
        loss = loss + torch.norm(X - Y, p="fro") / torch.norm(X, p="fro") + F.l1_loss(torch.log(Y), torch.log(X))
    return loss / 3


def read_wav(path: str) -> np.ndarray:
    with wave.open(path) as w:
        if w.getframerate() != SR or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path}: want 16 kHz mono PCM16")
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def training_audio(root: str, max_files: int, seed: int = 1):
    """The train split's unique recordings (views share one), as int16 arrays."""
    split = json.load(open(os.path.join(root, "split.json")))
    paths = []
    for scene, item in split["train"]:
        p = os.path.join(root, scene, "audio", item + ".wav")
        if os.path.exists(p):
            paths.append(p)
    paths = sorted(set(paths))
    rng = np.random.default_rng(seed)
    if len(paths) > max_files:
        paths = [paths[i] for i in sorted(rng.choice(len(paths), max_files, replace=False))]
    if not paths:
        raise SystemExit(f"{root}: no audio/<item>.wav for the train split")
    return [read_wav(p) for p in paths]


def train(cfg: dict, log=print):
    torch.manual_seed(cfg["seed"])
    torch.set_num_threads(cfg.get("threads", os.cpu_count() or 1))
    clips = training_audio(cfg["data"], cfg["maxFiles"], cfg["seed"])
    # Silent stretches teach nothing: draw segments that hold sound.
    rng = np.random.default_rng(cfg["seed"])
    seg = cfg["segmentFrames"] * HOP
    net = MelVocoder(cfg["dim"], cfg["blocks"])
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=0.01)
    t0, step, losses = time.time(), 0, []
    deadline = t0 + 60 * cfg["minutes"]
    while step < cfg["maxSteps"] and time.time() < deadline:
        batch = []
        while len(batch) < cfg["batch"]:
            c = clips[rng.integers(len(clips))]
            o = rng.integers(0, len(c) - seg)
            x = c[o:o + seg].astype(np.float32) / 32768
            if np.abs(x).max() > 1e-3 or rng.random() < 0.1:
                batch.append(x)
        x = torch.from_numpy(np.stack(batch))
        with torch.no_grad():
            mel = log_mel_of(x)
        re, im = net(mel)
        y = istft(re, im, seg)
        loss = mr_stft_loss(y, x) + 0.5 * F.l1_loss(log_mel_of(y), mel)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        for g in opt.param_groups:  # cosine to 10 % over the time budget
            g["lr"] = cfg["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, (time.time() - t0) / (deadline - t0)))))
        opt.step()
        losses.append(loss.item())
        if step % 100 == 0:
            log(f"vocoder step {step} loss {np.mean(losses[-100:]):.4f} ({time.time() - t0:.0f} s)")
        step += 1
    return net.eval(), {"steps": step, "minutes": round((time.time() - t0) / 60, 1), "finalLoss": float(np.mean(losses[-100:])),
                        "trainFiles": len(clips), "trainHours": round(sum(len(c) for c in clips) / SR / 3600, 3)}


def export(net: MelVocoder, out: str, cfg: dict, info: dict, command: str):
    """<out>.onnx (opset 17; log_mel (1, 80, T) -> real, imag (1, 513, T)) and <out>.json (the manifest)."""
    example = torch.randn(1, N_MELS, 40) - 5
    torch.onnx.export(net, (example,), out + ".onnx", input_names=["log_mel"], output_names=["real", "imag"], opset_version=17,
                      dynamic_axes={"log_mel": {2: "frames"}, "real": {2: "frames"}, "imag": {2: "frames"}})
    params = sum(p.numel() for p in net.parameters())
    manifest = {
        "format": "hearing-hands/vocoder@1", "name": os.path.basename(out), "onnx": os.path.basename(out) + ".onnx", "parameters": params,
        "features": {"sampleRate": SR, "nFft": N_FFT, "hop": HOP, "nMels": N_MELS, "fMin": 0, "fMax": 8000, "melScale": "slaney", "melNorm": "slaney", "power": 1, "log": "ln(max(mel, 1e-5))"},
        "output": {"kind": "stft", "bins": BINS, "window": "hann", "center": True, "receptiveFieldFrames": 6 + 6 * cfg["blocks"], "causal": True},
        "config": cfg, "training": {**info, "command": command}, "metrics": {},
    }
    with open(out + ".json", "w") as f:
        json.dump(manifest, f, indent=2)
    return manifest


def write_fixture(net: MelVocoder, path: str):
    """A log-mel and the graph's outputs for it (export.py's JSON fixture format), for the ONNX-vs-PyTorch parity test
    (no PyTorch in CI's TypeScript tests)."""
    from export import tensor_json
    g = torch.Generator().manual_seed(3)
    mel = torch.randn(1, N_MELS, 24, generator=g) * 2 - 5
    with torch.no_grad():
        re, im = net(mel)
    with open(path, "w") as f:
        json.dump({"inputs": {"log_mel": tensor_json(mel)}, "outputs": {"real": tensor_json(re), "imag": tensor_json(im)}}, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True, help="output path without extension (writes .onnx and .json)")
    ap.add_argument("--minutes", type=float, default=25)
    ap.add_argument("--max-steps", type=int, default=10 ** 9)
    ap.add_argument("--max-files", type=int, default=1200)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--blocks", type=int, default=8)
    ap.add_argument("--fixture", help="also write the parity fixture (JSON) here")
    a = ap.parse_args()
    cfg = {"data": a.data, "minutes": a.minutes, "maxSteps": a.max_steps, "maxFiles": a.max_files, "dim": a.dim, "blocks": a.blocks,
           "batch": 16, "segmentFrames": 64, "lr": 1e-3, "seed": 1}
    net, info = train(cfg)
    command = "/usr/bin/python3 models/recipe/vocoder.py " + " ".join(f"--{k} {v}" for k, v in
                                                                       (("data", a.data), ("minutes", a.minutes), ("out", a.out)))
    m = export(net, a.out, cfg, info, command)
    if a.fixture:
        write_fixture(net, a.fixture)
    print(json.dumps({k: m[k] for k in ("name", "parameters", "training")}))


if __name__ == "__main__":
    main()
