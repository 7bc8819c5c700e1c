import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { relativeL2, tones } from '../helpers/spectrum.js';
import { decayingImpacts } from '../helpers/impacts.js';

// The streaming Griffin-Lim's phase-gradient start (asm/phase-gradient.ts) and its attack gate, against the
// phase-vocoder start it replaced as the default.
const dsp = await Dsp.create();
const bins = dsp.bins;
type PhaseInit = 'phase-gradient' | 'phase-vocoder';

function stream(mag: Float32Array, phaseInit: PhaseInit, iterations: number, chunk = 4): Float32Array {
  const s = dsp.createStreamingGriffinLim({ maxChunkFrames: chunk, iterations, phaseInit });
  const frames = mag.length / bins;
  const out: number[] = [];
  for (let f = 0; f < frames; f += chunk) out.push(...s.push(mag.subarray(f * bins, Math.min(frames, f + chunk) * bins)));
  out.push(...s.flush());
  return Float32Array.from(out);
}

function impactsAndTones(): Float32Array {
  const x = tones(24000, 16000, [300, 1250, 2900], 0.1);
  for (const at of [4000, 13000, 19000]) for (let i = 0; i < 3000 && at + i < x.length; i++) x[at + i]! += 0.5 * Math.exp(-i / 400) * Math.sin(i * 0.7);
  return x;
}

test('phase-gradient start: without any iteration, its magnitudes are close to the target (the phase vocoder\'s are not)', () => {
  const x = impactsAndTones();
  const mag = dsp.magnitude(x);
  const sc = (init: PhaseInit) => relativeL2(dsp.magnitude(stream(mag, init, 0).subarray(0, x.length)), mag);
  const pg = sc('phase-gradient'), pv = sc('phase-vocoder');
  assert.ok(pg < 0.25 && pg < 0.6 * pv, `spectral convergence: phase gradient ${pg.toFixed(3)}, phase vocoder ${pv.toFixed(3)}`);
});

test('phase-gradient start: a click inside a frame is put back at its instant, not spread over the window', () => {
  for (const at of [8000, 8100, 8200, 8300]) {
    const x = new Float32Array(16000);
    x[at] = 1;
    const heard = (init: PhaseInit) => {
      const y = stream(dsp.magnitude(x), init, 0).subarray(0, x.length);
      let peak = 0, peakAt = 0, total = 0, near = 0;
      for (let i = 0; i < y.length; i++) {
        const e = y[i]! * y[i]!;
        total += e;
        if (Math.abs(i - at) <= 32) near += e;
        if (e > peak) { peak = e; peakAt = i; }
      }
      return { peakAt, near: near / total };
    };
    const pg = heard('phase-gradient'), pv = heard('phase-vocoder');
    // Measured: loudest sample 2–21 samples off, 84–100 % of the energy within 2 ms; the phase vocoder: 0 %.
    assert.ok(Math.abs(pg.peakAt - at) <= 24, `click at ${at}: loudest sample at ${pg.peakAt}`);
    assert.ok(pg.near > 0.75, `click at ${at}: ${(100 * pg.near).toFixed(0)} % of the energy within 2 ms`);
    assert.ok(pv.near < 0.25, `click at ${at}, phase vocoder: ${(100 * pv.near).toFixed(0)} % of the energy within 2 ms`);
  }
});

test('streaming Griffin-Lim: the attack gate follows the later, better estimate of an attack (pre-echo it let through is taken back)', () => {
  const onsetErrorsMs = (init: PhaseInit): number[] => {
    const errorsMs: number[] = [];
    let trial = 0;
    for (const { x, at } of decayingImpacts(11, 30, 0.0005)) {
      const mel = dsp.mel(x);
      const y = stream(dsp.melToLinear(mel, mel.length / 80), init, init === 'phase-gradient' ? 2 : 8).subarray(0, x.length);
      const onsets = dsp.onsets(y);
      assert.ok(onsets.length >= 1, `${init}, trial ${trial++}: no onset found`);
      errorsMs.push((onsets[0]! * 16000 - at) / 16);
    }
    return errorsMs.sort((a, b) => a - b);
  };
  // Onsets heard 4–50 ms early: pre-echo that the gate let through. Measured with the phase vocoder's start: 6 of 30
  // (−4.4 … −14.6 ms) when the gate stayed where the first jumping frame put it, 2 (−4.4, −5.4) now. (Its other
  // early onsets, 0.3–0.7 s early, are its own artefacts in the quiet floor: the phase-gradient start has none.)
  const pv = onsetErrorsMs('phase-vocoder');
  const pvEarly = pv.filter((e) => e < -4 && e > -50);
  assert.ok(pvEarly.length <= 2, `phase vocoder start: ${pvEarly.length} of 30 onsets 4–50 ms early (${pvEarly.map((e) => e.toFixed(1)).join(', ')})`);
  // The default: median −0.3 ms, 1 of 30 more than 2 ms early (−6.3). 5 of 30 are 9–14 ms late with either
  // start, before and after this change (a later estimate that overshoots): left as it was.
  const pg = onsetErrorsMs('phase-gradient');
  const pgEarly = pg.filter((e) => e < -4);
  assert.ok(Math.abs(pg[15]!) <= 2 && pgEarly.length <= 1, `phase-gradient start: onset error median ${pg[15]!.toFixed(1)} ms; ${pgEarly.length} of 30 more than 4 ms early (${pgEarly.map((e) => e.toFixed(1)).join(', ')})`);
});

test('streaming Griffin-Lim: phaseInit is checked', () => {
  assert.throws(() => dsp.createStreamingGriffinLim({ phaseInit: 'zero' as PhaseInit }), InvalidArgumentError);
});
