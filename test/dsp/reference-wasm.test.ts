// The WASM kernels against the float64 reference (src/dsp/reference.ts) on seeded random signals of awkward
// lengths: complex STFT, magnitude, mel (linear and log), iSTFT, and the STFT → iSTFT round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp, FEATURES } from '../../src/dsp/index.js';
import {
  referenceIstft, referenceMagnitude, referenceMel, referenceMelFilterbank, referenceStft, relativeL2,
} from '../../src/dsp/reference.js';

let dsp: Dsp;
before(async () => { dsp = await Dsp.create(); });
after(() => dsp.dispose());

/** Deterministic noise (mulberry32) shaped a little, so that spectra are not flat. */
function randomSignal(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = new Float32Array(n);
  let lowpassed = 0;
  for (let i = 0; i < n; i++) {
    const white = rand() * 2 - 1;
    lowpassed = 0.9 * lowpassed + 0.1 * white;
    x[i] = 0.3 * white + 2 * lowpassed + 0.2 * Math.sin(i * 0.3);
  }
  return x;
}

const LENGTHS = [513, 1000, 4097, 16000, 23457];

test('mel filterbank: WASM vs reference', () => {
  const err = relativeL2(dsp.melFilterbank(), referenceMelFilterbank());
  assert.ok(err <= 1e-6, `relative L2 ${err.toExponential(2)}`);
});

for (const [i, n] of LENGTHS.entries()) {
  test(`STFT, magnitude and mel: WASM vs reference, ${n} random samples`, () => {
    const x = randomSignal(n, 100 + i);
    const wasm = dsp.stft(x);
    const ref = referenceStft(x);
    assert.equal(wasm.frames, ref.frames);
    assert.equal(wasm.bins, ref.bins);
    // Complex values compared jointly: ‖(re, im) − (re', im')‖ / ‖(re', im')‖.
    const both = (a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from([...Array.from(a), ...Array.from(b)]);
    const stftErr = relativeL2(both(wasm.re, wasm.im), both(ref.re, ref.im));
    assert.ok(stftErr <= 1e-6, `STFT relative L2 ${stftErr.toExponential(2)}`);
    const magErr = relativeL2(dsp.magnitude(x), referenceMagnitude(x));
    assert.ok(magErr <= 1e-6, `magnitude relative L2 ${magErr.toExponential(2)}`);
    const melErr = relativeL2(dsp.mel(x, { log: false }), referenceMel(x, { log: false }));
    assert.ok(melErr <= 1e-6, `mel relative L2 ${melErr.toExponential(2)}`);
    const logErr = relativeL2(dsp.mel(x), referenceMel(x));
    assert.ok(logErr <= 1e-6, `log-mel relative L2 ${logErr.toExponential(2)}`);
  });
}

for (const [i, n] of LENGTHS.entries()) {
  test(`iSTFT: WASM vs reference and STFT → iSTFT round trip ≤ 1e-5, ${n} samples`, () => {
    const x = randomSignal(n, 200 + i);
    const { re, im, frames } = dsp.stft(x);
    const wasm = dsp.istft(re, im, frames, n);
    const ref = referenceIstft({ re: Float64Array.from(re), im: Float64Array.from(im), frames }, n);
    const istftErr = relativeL2(wasm, ref);
    assert.ok(istftErr <= 1e-6, `iSTFT relative L2 ${istftErr.toExponential(2)}`);
    const roundTrip = relativeL2(wasm, x);
    assert.ok(roundTrip <= 1e-5, `round-trip relative L2 ${roundTrip.toExponential(2)}`);
  });
}

/**
 * A random complex spectrum, which is not the STFT of any signal (tests overlap-add and envelope division).
 * With `realEdges` the DC and Nyquist bins are real (their imaginary parts are checked in parity.test.ts).
 */
function randomSpectrum(frames: number, realEdges: boolean): { re: Float32Array; im: Float32Array } {
  const bins = FEATURES.nFft / 2 + 1;
  const re = randomSignal(frames * bins, 7);
  const im = randomSignal(frames * bins, 8);
  if (realEdges) {
    for (let t = 0; t < frames; t++) { im[t * bins] = 0; im[t * bins + bins - 1] = 0; }
  }
  return { re, im };
}

test('iSTFT of an arbitrary (inconsistent) spectrum: WASM vs reference', () => {
  const frames = 20;
  const length = 256 * 19 + 100;
  const { re, im } = randomSpectrum(frames, true);
  const wasm = dsp.istft(re, im, frames, length);
  const ref = referenceIstft({ re: Float64Array.from(re), im: Float64Array.from(im), frames }, length);
  const err = relativeL2(wasm, ref);
  assert.ok(err <= 1e-6, `relative L2 ${err.toExponential(2)}`);
});
