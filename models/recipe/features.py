"""Audio features (DESIGN.md "Audio features"): the same log-mel the TypeScript DSP computes, so training and
runtime agree. torchaudio's MelSpectrogram with the contract's settings is the reference (parity tested in
test/dsp); we only need it here for datasets that ship WAV files instead of mels, and to convert the paper's
released [0, 1]-normalised mels into our log-mel."""
import math

import numpy as np
import torch

FEATURES = {
    "sampleRate": 16000, "nFft": 1024, "winLength": 1024, "hop": 256, "nMels": 80, "fMin": 0, "fMax": 8000,
    "melScale": "slaney", "melNorm": "slaney", "center": True, "padMode": "reflect", "window": "hann",
    "power": 1, "logFloor": 1e-5,
}
MEL_FPS = FEATURES["sampleRate"] / FEATURES["hop"]  # 62.5 frames per second
LOG_FLOOR = math.log(FEATURES["logFloor"])


_MEL_TRANSFORMS = {}


def log_mel_torch(audio: torch.Tensor) -> torch.Tensor:
    """(..., samples) tensor -> (..., 80, frames) log-mel on its device (differentiable: the vocoder's mel loss)."""
    key = str(audio.device)
    if key not in _MEL_TRANSFORMS:  # one transform per device, built once
        import torchaudio
        f = FEATURES
        _MEL_TRANSFORMS[key] = torchaudio.transforms.MelSpectrogram(
            sample_rate=f["sampleRate"], n_fft=f["nFft"], win_length=f["winLength"], hop_length=f["hop"],
            n_mels=f["nMels"], f_min=f["fMin"], f_max=f["fMax"], norm="slaney", mel_scale="slaney", power=1.0,
            center=f["center"], pad_mode=f["padMode"]).to(audio.device)
    return torch.log(torch.clamp(_MEL_TRANSFORMS[key](audio), min=FEATURES["logFloor"]))


def log_mel(wave: np.ndarray) -> np.ndarray:
    """16 kHz mono float waveform -> log-mel, shape (80, frames)."""
    return np.ascontiguousarray(log_mel_torch(torch.from_numpy(np.asarray(wave, dtype=np.float32))).numpy())


def released_mel_to_log_mel(x01: np.ndarray) -> np.ndarray:
    """The paper's released mels are in [0, 1]: dB = 100 x - 100, magnitude = 10^((dB + 20) / 20)."""
    db = 100.0 * x01.astype(np.float64) - 100.0
    mag = np.power(10.0, (db + 20.0) / 20.0)
    return np.log(np.maximum(mag, FEATURES["logFloor"])).astype(np.float32)
