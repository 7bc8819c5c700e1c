#!/usr/bin/python3
"""Writes the small bundled example sounds used by `hearing-hands demo` (committed; run again only to change them).

    /usr/bin/python3 examples/make_examples.py

  speech-espeak-22k.wav  espeak-ng saying "Hearing hands make sound.", its native 22050 Hz, 16-bit mono
                         (not 16 kHz on purpose: the demo shows the resampling step).
  drum-hit-16k.wav       a synthesised kick (pitch-dropping sine + noise click), 16 kHz, 16-bit mono, 0.6 s.
Needs only espeak-ng and numpy.
"""
import os
import subprocess
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def write_pcm16(path: str, samples: np.ndarray, rate: int) -> None:
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def drum(rate: int = 16000, seconds: float = 0.6) -> np.ndarray:
    n = int(rate * seconds)
    t = np.arange(n) / rate
    freq = 50 + 120 * np.exp(-t * 30)
    body = np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.exp(-t * 10)
    click = np.random.default_rng(1).standard_normal(n) * np.exp(-t * 300) * 0.3
    out = np.zeros(n)
    start = int(0.05 * rate)
    out[start:] = (body + click)[: n - start]
    return 0.8 * out / np.max(np.abs(out))


def main() -> None:
    subprocess.run(["espeak-ng", "-w", os.path.join(HERE, "speech-espeak-22k.wav"), "Hearing hands make sound."],
                   check=True)
    write_pcm16(os.path.join(HERE, "drum-hit-16k.wav"), drum(), 16000)


if __name__ == "__main__":
    main()
