// The float64 reference (src/dsp/reference.ts) against torchaudio 0.13's stored outputs, plus its own
// invariants. If this file passes, the reference is a trustworthy yardstick for the WASM kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hzToSlaneyMel, periodicHann, referenceIstft, referenceMagnitude, referenceMel, referenceMelFilterbank,
  referenceStft, reflectPad, relativeL2, slaneyMelToHz,
} from '../../src/dsp/reference.js';
import { FEATURES, frameCount } from '../../src/dsp/features.js';
import { InvalidAudioError, SignalTooShortError } from '../../src/errors.js';
import { loadF32, loadIndex } from '../fixtures/dsp/load.js';

const index = loadIndex();
const torchFb = loadF32(index.filterbank);

/** mel[t, m] = Σ_k fb[k, m] · mag[t, k] with a bin-major filterbank. */
function applyFilterbank(mag: Float64Array, fb: ArrayLike<number>): Float64Array {
  const bins = FEATURES.nFft / 2 + 1;
  const nMels = FEATURES.nMels;
  const frames = mag.length / bins;
  const mel = new Float64Array(frames * nMels);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < nMels; m++) {
      let sum = 0;
      for (let k = 0; k < bins; k++) sum += fb[k * nMels + m]! * mag[t * bins + k]!;
      mel[t * nMels + m] = sum;
    }
  }
  return mel;
}

test('reference filterbank matches torchaudio melscale_fbanks (slaney/slaney)', () => {
  assert.deepEqual(index.filterbank.shape, [FEATURES.nFft / 2 + 1, FEATURES.nMels]);
  const fb = referenceMelFilterbank();
  // torchaudio builds its filterbank in float32 (band edges through float32 exp/log), which puts it ~3e-6
  // (relative L2) away from the exact float64 filters; the contract's bar is 1e-5.
  const err = relativeL2(fb, torchFb);
  assert.ok(err <= 1e-5, `filterbank relative L2 ${err.toExponential(2)}`);
  // Every filter has some weight (no empty mel band at 16 kHz / n_fft 1024).
  for (let m = 0; m < FEATURES.nMels; m++) {
    let sum = 0;
    for (let k = 0; k < FEATURES.nFft / 2 + 1; k++) sum += fb[k * FEATURES.nMels + m]!;
    assert.ok(sum > 0, `mel band ${m} is empty`);
  }
});

for (const [name, ref] of Object.entries(index.signals)) {
  test(`reference mel matches torchaudio: ${name} (${ref.samples} samples, ${ref.frames} frames)`, () => {
    const signal = loadF32(ref.signal);
    const torchMel = loadF32(ref.mel);
    assert.equal(frameCount(signal.length), ref.frames);
    const mel = referenceMel(signal, { log: false });
    assert.equal(mel.length, ref.frames * FEATURES.nMels);
    if (name === 'silence') {
      assert.ok(mel.every((v) => v === 0), 'silence must give exact zeros');
      return;
    }
    const err = relativeL2(mel, torchMel);
    assert.ok(err <= 1e-5, `relative L2 ${err.toExponential(2)} (torch f32 vs f64: ${ref.torchFloat32VsFloat64RelL2.toExponential(2)})`);
    // With torchaudio's own (float32) filterbank the remaining difference is the STFT alone: float32 rounding.
    const melTorchFb = applyFilterbank(referenceMagnitude(signal), torchFb);
    const stftErr = relativeL2(melTorchFb, torchMel);
    assert.ok(stftErr <= 1e-6, `relative L2 with torchaudio's filterbank ${stftErr.toExponential(2)}`);
  });
}

test('reference |STFT| matches torchaudio on the drum hit', () => {
  const ref = index.signals['drum']!;
  assert.ok(ref.magnitude);
  const mag = referenceMagnitude(loadF32(ref.signal));
  const err = relativeL2(mag, loadF32(ref.magnitude));
  assert.ok(err <= 1e-6, `relative L2 ${err.toExponential(2)}`);
});

test('reference STFT → iSTFT reconstructs the signal (odd length)', () => {
  const signal = loadF32(index.signals['speech']!.signal).subarray(0, 10001);
  const back = referenceIstft(referenceStft(signal), signal.length);
  const err = relativeL2(back, signal);
  assert.ok(err <= 1e-12, `round-trip relative L2 ${err.toExponential(2)}`);
});

test('reference iSTFT matches torch.istft on an arbitrary spectrum (imaginary DC/Nyquist ignored)', () => {
  const ref = index.istft;
  const out = referenceIstft({ re: Float64Array.from(loadF32(ref.re)), im: Float64Array.from(loadF32(ref.im)), frames: ref.frames },
    ref.length);
  const err = relativeL2(out, loadF32(ref.output));
  assert.ok(err <= 1e-6, `relative L2 ${err.toExponential(2)}`);
});

test('log mel is ln(max(mel, floor))', () => {
  const signal = loadF32(index.signals['impulse']!.signal);
  const linear = referenceMel(signal, { log: false });
  const log = referenceMel(signal);
  for (let i = 0; i < linear.length; i++) {
    assert.equal(log[i], Math.log(Math.max(linear[i]!, FEATURES.logFloor)));
  }
});

test('building blocks: periodic Hann, reflect padding, Slaney mel scale', () => {
  const w = periodicHann(8);
  assert.equal(w[0], 0);
  assert.ok(Math.abs(w[4]! - 1) < 1e-15);
  assert.ok(Math.abs(w[1]! - w[7]!) < 1e-15); // periodic: symmetric about n/2, w[n] would be 0 again
  assert.deepEqual(Array.from(reflectPad([1, 2, 3, 4], 2)), [3, 2, 1, 2, 3, 4, 3, 2]);
  for (const hz of [0, 500, 999.9, 1000, 2500, 8000]) {
    assert.ok(Math.abs(slaneyMelToHz(hzToSlaneyMel(hz)) - hz) < 1e-9);
  }
  assert.ok(Math.abs(hzToSlaneyMel(1000) - 15) < 1e-12);
});

test('reference rejects what torchaudio rejects: too short for reflect padding, non-finite samples', () => {
  assert.throws(() => referenceStft(new Float32Array(512)), SignalTooShortError);
  assert.doesNotThrow(() => referenceStft(new Float32Array(513)));
  const bad = new Float32Array(2000);
  bad[700] = Number.NaN;
  assert.throws(() => referenceStft(bad), InvalidAudioError);
  assert.throws(() => referenceStft(new Float32Array(0)), InvalidAudioError);
});
