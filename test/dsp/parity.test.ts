// The WASM DSP core (src/dsp) against torchaudio 0.13, from the committed fixtures
// (test/fixtures/dsp/make_fixtures.py): mel magnitudes, frame counts, filterbank, Griffin-Lim convergence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp, FEATURES } from '../../src/dsp/index.js';
import { relativeL2 } from '../../src/dsp/reference.js';
import { loadF32, loadIndex } from '../fixtures/dsp/load.js';

const index = loadIndex();
let dsp: Dsp;
before(async () => { dsp = await Dsp.create(); });
after(() => dsp.dispose());

test('mel filterbank matches torchaudio melscale_fbanks', (t) => {
  const fb = dsp.melFilterbank();
  const torchFb = loadF32(index.filterbank);
  assert.equal(fb.length, torchFb.length);
  const err = relativeL2(fb, torchFb);
  t.diagnostic(`filterbank relative L2 vs torchaudio: ${err.toExponential(2)}`);
  assert.ok(err <= 1e-5, `filterbank relative L2 ${err.toExponential(2)}`);
});

for (const [name, ref] of Object.entries(index.signals)) {
  test(`mel (linear) matches torchaudio: ${name}, ${ref.samples} samples`, (t) => {
    const signal = loadF32(ref.signal);
    const torchMel = loadF32(ref.mel);
    const mel = dsp.mel(signal, { log: false });
    assert.equal(mel.length / FEATURES.nMels, ref.frames, 'frame count');
    assert.equal(dsp.frameCount(signal.length), ref.frames);
    if (name === 'silence') {
      assert.ok(mel.every((v) => v === 0), 'silence must give exact zeros');
      // And the log features sit exactly at the floor.
      assert.ok(dsp.mel(signal).every((v) => v === Math.fround(Math.log(FEATURES.logFloor))));
      return;
    }
    const err = relativeL2(mel, torchMel);
    t.diagnostic(`${name}: relative L2 ${err.toExponential(2)} (torchaudio's own float32-vs-float64: ${ref.torchFloat32VsFloat64RelL2.toExponential(2)})`);
    assert.ok(err <= 1e-5, `relative L2 ${err.toExponential(2)}`);
  });
}

test('log mel equals ln(max(linear mel, floor)) to float32 rounding', () => {
  const signal = loadF32(index.signals['speech']!.signal);
  const linear = dsp.mel(signal, { log: false });
  const log = dsp.mel(signal);
  for (let i = 0; i < linear.length; i++) {
    const expected = Math.log(Math.max(linear[i]!, FEATURES.logFloor));
    assert.ok(Math.abs(log[i]! - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `index ${i}: ${log[i]} vs ${expected}`);
  }
});

/** ‖S − |STFT(x̂)|‖_F / ‖S‖_F, the measure torchaudio's numbers were taken with. */
function spectralConvergence(mag: Float32Array, reconstruction: Float32Array): number {
  return relativeL2(dsp.magnitude(reconstruction), mag);
}

for (const [name, ref] of Object.entries(index.signals)) {
  const gl = ref.griffinLim;
  if (!gl) continue;
  test(`Griffin-Lim, ${gl.iterations} iterations, converges no worse than torchaudio: ${name}`, (t) => {
    const signal = loadF32(ref.signal);
    const mag = dsp.magnitude(signal);
    const run = (seed: number) => spectralConvergence(mag, dsp.griffinLim(mag, ref.frames,
      { iterations: gl.iterations, momentum: gl.momentum, length: gl.length, seed }));
    // Same deterministic start (zero phase = torchaudio rand_init=False): allow only float32 rounding (0.5 %).
    const zeroPhase = run(0);
    // Random starts (different generators): the mean over 5 seeds against torchaudio's mean over 5 seeds.
    const randomMean = [1, 2, 3, 4, 5].map(run).reduce((a, b) => a + b, 0) / 5;
    t.diagnostic(`${name}: zero-phase start: wasm ${zeroPhase.toFixed(4)} vs torchaudio ${gl.spectralConvergenceOnesInit.toFixed(4)}; ` +
      `random start (mean of 5): wasm ${randomMean.toFixed(4)} vs torchaudio ${gl.spectralConvergenceRandInitMean5.toFixed(4)} ` +
      `(torchaudio seed 0: ${gl.spectralConvergenceRandInit.toFixed(4)})`);
    assert.ok(zeroPhase <= gl.spectralConvergenceOnesInit * 1.005,
      `zero-phase start: ${zeroPhase.toFixed(4)} > torchaudio ${gl.spectralConvergenceOnesInit.toFixed(4)}`);
    assert.ok(randomMean <= gl.spectralConvergenceRandInitMean5,
      `random start: ${randomMean.toFixed(4)} > torchaudio ${gl.spectralConvergenceRandInitMean5.toFixed(4)}`);
    // The default start (phase gradient) must beat both of torchaudio's.
    const phaseGradient = spectralConvergence(mag, dsp.griffinLim(mag, ref.frames, { iterations: gl.iterations, momentum: gl.momentum, length: gl.length }));
    t.diagnostic(`${name}: phase-gradient start: wasm ${phaseGradient.toFixed(4)}`);
    assert.ok(phaseGradient < Math.min(gl.spectralConvergenceOnesInit, gl.spectralConvergenceRandInitMean5),
      `phase-gradient start: ${phaseGradient.toFixed(4)} not below torchaudio's ${gl.spectralConvergenceOnesInit.toFixed(4)} / ${gl.spectralConvergenceRandInitMean5.toFixed(4)}`);
  });
}

test('iSTFT matches torch.istft on an arbitrary (inconsistent) spectrum with real DC/Nyquist bins', (t) => {
  const ref = index.istft;
  const re = loadF32(ref.re);
  const im = loadF32(ref.im);
  // torch.istft ignores the imaginary parts of DC and Nyquist, so zeroing them leaves its output unchanged.
  for (let f = 0; f < ref.frames; f++) { im[f * dsp.bins] = 0; im[f * dsp.bins + dsp.bins - 1] = 0; }
  const err = relativeL2(dsp.istft(re, im, ref.frames, ref.length), loadF32(ref.output));
  t.diagnostic(`iSTFT relative L2 vs torch.istft: ${err.toExponential(2)}`);
  assert.ok(err <= 1e-5, `relative L2 ${err.toExponential(2)}`);
});

test('iSTFT ignores imaginary DC/Nyquist parts as torch.istft does (a vocoder spectrum may have them)', (t) => {
  const ref = index.istft;
  const err = relativeL2(dsp.istft(loadF32(ref.re), loadF32(ref.im), ref.frames, ref.length), loadF32(ref.output));
  t.diagnostic(`iSTFT (raw spectrum) relative L2 vs torch.istft: ${err.toExponential(2)}`);
  assert.ok(err <= 1e-5, `relative L2 ${err.toExponential(2)}`);
});
