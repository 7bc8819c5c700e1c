"""Material / action classifier trained on ground-truth log-mels: our stand-in for the paper's CLAP-acc
(section 5.1). Generated and ground-truth sounds 'agree' when it gives them the same label. Small on purpose:
a few dilated convolutions over the normalised log-mel, mean+max pooled over time, two heads."""
import zlib
from typing import Dict, List

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class MelClassifier(nn.Module):
    def __init__(self, n_materials: int, n_actions: int, mel_mean: float, mel_std: float, width: int = 64):
        super().__init__()
        self.register_buffer("mel_mean", torch.tensor(float(mel_mean)))
        self.register_buffer("mel_std", torch.tensor(float(mel_std)))
        self.convs = nn.ModuleList([nn.Conv1d(80, width, 3, padding=1)] +
                                   [nn.Conv1d(width, width, 3, padding=d, dilation=d) for d in (2, 4, 8)])
        self.material = nn.Linear(2 * width, n_materials)
        self.action = nn.Linear(2 * width, n_actions)

    def forward(self, log_mel):
        """(B, 80, T) log-mel -> material logits (B, M), action logits (B, A)."""
        h = (log_mel - self.mel_mean) / self.mel_std
        for i, c in enumerate(self.convs):
            h = F.gelu(c(h)) + (h if i > 0 else 0)
        pooled = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        return self.material(pooled), self.action(pooled)

    @classmethod
    def from_state(cls, state: Dict[str, torch.Tensor], n_materials: int, n_actions: int) -> "MelClassifier":
        """A judge from its weights, of the width they have (train.py's are 64 wide; judge.py's as configured)."""
        clf = cls(n_materials, n_actions, float(state["mel_mean"]), float(state["mel_std"]), width=state["convs.0.weight"].shape[0])
        clf.load_state_dict(state)
        return clf.eval()


def held_out_sound(label: dict, name: str) -> bool:
    """The judge's held-out fifth of the sounds: by the sound's WAV, which its three views share (else by `name`)."""
    return zlib.crc32(str(label.get("wav", name)).encode()) % 5 == 0


def label_vocab(items) -> Dict[str, List[str]]:
    mats = sorted({it.label.get("material") for it in items if it.label.get("material")})
    acts = sorted({it.label.get("action") for it in items if it.label.get("action")})
    return {"materials": mats, "actions": acts}


def train_classifier(items, vocab, mel_mean, mel_std, cfg, log=print, device="cpu"):
    rng = np.random.default_rng(1)
    usable = [it for it in items if it.label.get("material") in vocab["materials"] and it.label.get("action") in vocab["actions"]]
    net = MelClassifier(len(vocab["materials"]), len(vocab["actions"]), mel_mean, mel_std, cfg.get("width", 64)).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    # "lrDecay": "cosine" anneals the rate to zero over the steps (judge.py's longer runs); without it the rate stays.
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg["steps"]) if cfg.get("lrDecay") == "cosine" else None
    n_frames = min([it.mel.shape[1] for it in usable] + [cfg.get("cropFrames", 256)])
    for step in range(cfg["steps"]):
        idx = rng.integers(len(usable), size=cfg["batch"])
        crops = []
        for i in idx:  # random crops: cheaper steps; the whole item is classified at evaluation
            o = rng.integers(usable[i].mel.shape[1] - n_frames + 1)
            crops.append(usable[i].mel[:, o:o + n_frames])
        mel = torch.from_numpy(np.stack(crops)).to(device)
        ym = torch.tensor([vocab["materials"].index(usable[i].label["material"]) for i in idx], device=device)
        ya = torch.tensor([vocab["actions"].index(usable[i].label["action"]) for i in idx], device=device)
        lm, la = net(mel + 0.1 * torch.randn_like(mel))
        loss = F.cross_entropy(lm, ym) + F.cross_entropy(la, ya)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        if step % 200 == 0:
            log(f"classifier step {step} loss {loss.item():.3f}")
    return net.eval()


@torch.no_grad()
def accuracy(net, items, vocab):
    device = net.mel_mean.device
    usable = [it for it in items if it.label.get("material") in vocab["materials"] and it.label.get("action") in vocab["actions"]]
    if not usable:
        return {}
    cm = ca = 0
    for it in usable:
        lm, la = net(torch.from_numpy(it.mel[None]).to(device))
        cm += int(vocab["materials"][lm.argmax().item()] == it.label["material"])
        ca += int(vocab["actions"][la.argmax().item()] == it.label["action"])
    return {"materialAcc": cm / len(usable), "actionAcc": ca / len(usable), "items": len(usable)}
