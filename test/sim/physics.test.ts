import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContactSoundEngine, type ContactPart } from '../../src/sim/engine.js';
import { getMaterial, instantiateMaterial, modesFor, MATERIALS, type MaterialInstance } from '../../src/sim/materials.js';
import { generateScene, makeSurface, type Scene } from '../../src/sim/scene.js';
import { HandMotion, planAction, type ActionName } from '../../src/sim/actions.js';
import { renderContactAudio } from '../../src/sim/render.js';
import { handClearance } from '../../src/sim/contact.js';
import { Rng } from '../../src/sim/rng.js';

const FS = 16000;

function goertzelPower(x: Float32Array, freqHz: number, start = 0, length = x.length - start): number {
  const w = (2 * Math.PI * freqHz) / FS, c = 2 * Math.cos(w);
  let s1 = 0, s2 = 0;
  // Hann-windowed, so a ringing mode cut off by the window does not spray side lobes that look like peaks.
  for (let i = 0; i < length; i++) {
    const s = x[start + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length)) + c * s1 - s2;
    s2 = s1; s1 = s;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

function rms(x: Float32Array, start = 0, end = x.length): number {
  let e = 0;
  for (let i = start; i < end; i++) e += x[i]! * x[i]!;
  return Math.sqrt(e / Math.max(1, end - start));
}

/** Spectral centroid (Hz) from a coarse Goertzel scan. */
function centroid(x: Float32Array, start = 0, length = 4096): number {
  let num = 0, den = 0;
  for (let f = 50; f < 7800; f += 50) { const p = Math.sqrt(goertzelPower(x, f, start, length)); num += f * p; den += p; }
  return num / den;
}

function impactSound(material: MaterialInstance, speedMps: number, part: ContactPart = 'fingertip', seconds = 0.5): Float32Array {
  const e = new ContactSoundEngine(material, { seed: 3 });
  const out = new Float32Array(Math.round(seconds * FS));
  e.impact(160, { speedMps, part });
  e.process(out);
  return out;
}

/** A one-surface scene (wood unless told) and a planned action on it. */
function sceneWith(material = 'wood', seed = 1): Scene {
  return { id: 'T', surfaces: [makeSurface(0, instantiateMaterial(material, new Rng(seed)), [0, 0.75, 0], [0, 1, 0], 0.5, 0.4, 7)],
    roomT60Sec: 0.3, roomWetGain: 0.1, noiseFloorDb: -60, background: [120, 120, 120] };
}

function planned(scene: Scene, action: ActionName, seed: number) {
  const plan = planAction(new Rng(seed), action, scene.surfaces[0]!, 4);
  return { plan, motions: plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null)) };
}

test('the library has ≥ 12 materials with sane physical parameters', () => {
  assert.ok(MATERIALS.length >= 12, `${MATERIALS.length} materials`);
  for (const m of MATERIALS) {
    const modes = modesFor(m);
    assert.ok(modes.length >= 3, `${m.name} has ${modes.length} audible modes`);
    for (const mode of modes) assert.ok(mode.freqHz > 20 && mode.freqHz < 8000 && mode.t60Sec > 0 && mode.gain > 0, m.name);
    assert.ok(m.stiffnessNPerM > 0 && m.roughness >= 0 && m.roughness <= 1 && m.crumple >= 0 && m.crumple <= 1, m.name);
  }
  // Metal rings far longer than fabric at its fundamental.
  assert.ok(modesFor(getMaterial('metal'))[0]!.t60Sec > 20 * modesFor(getMaterial('fabric'))[0]!.t60Sec, 'metal rings longer than fabric');
});

test('an impact onset sits at the geometric contact time (± 1 ms), which lies in the first touching 30 Hz frame', () => {
  const scene = sceneWith('wood');
  for (const seed of [1, 2, 3]) {
    const { motions } = planned(scene, 'tap', seed);
    const dry = renderContactAudio(scene, motions, 4, { dry: true, seed });
    assert.ok(dry.impacts.length >= 2, 'the tap plan strikes the surface');
    const first = dry.impacts[0]!;
    let onset = 0;
    while (onset < dry.audio.length && Math.abs(dry.audio[onset]!) < 1e-6) onset++;
    const errMs = (onset / FS - first.timeSec) * 1000;
    assert.ok(Math.abs(errMs) <= 1, `dry onset ${(onset / FS).toFixed(5)} s vs contact ${first.timeSec.toFixed(5)} s (${errMs.toFixed(3)} ms)`);

    // With room and noise floor: the first sample well above the floor.
    const wet = renderContactAudio(scene, motions, 4, { seed });
    const floor = rms(wet.audio, 0, Math.round(first.timeSec * FS) - 200);
    let k = 0;
    while (k < wet.audio.length && Math.abs(wet.audio[k]!) < 8 * floor) k++;
    const wetErrMs = (k / FS - first.timeSec) * 1000;
    assert.ok(wetErrMs >= -1 && wetErrMs <= 1, `onset above the noise floor at ${wetErrMs.toFixed(3)} ms from contact`);

    // The 30 Hz frames: the hand is clear of the surface at the frame before contact, touching at the next one
    // unless the tap is shorter than a frame.
    const hand = first.hand, kp = new Float64Array(63);
    const before = Math.floor(first.timeSec * 30) / 30;
    motions[hand]!.keypointsAt(before, kp);
    assert.ok(handClearance(scene.surfaces, kp).clearanceM > 0, 'not touching before the contact time');
    motions[hand]!.keypointsAt(first.timeSec + 0.0005, kp);
    assert.ok(handClearance(scene.surfaces, kp).clearanceM <= 1e-6, 'touching right after the contact time');
  }
});

test("an impact's spectral peaks sit at the material's modal frequencies", () => {
  for (const name of ['wood', 'metal', 'glass', 'ceramic']) {
    const m = instantiateMaterial(name, new Rng(11));
    const x = impactSound(m, 0.8, 'knuckle', 1);
    // Scan 60 Hz … 7.5 kHz at 3 Hz steps over the ringing part; the strongest peaks must be modes.
    const peaks: { f: number; p: number }[] = [];
    const powerAt = (f: number) => goertzelPower(x, f, 400, 6000);
    let prev = powerAt(57), cur = powerAt(60);
    for (let f = 63; f < 7500; f += 3) {
      const next = powerAt(f);
      if (cur > prev && cur >= next) peaks.push({ f: f - 3, p: cur });
      prev = cur; cur = next;
    }
    peaks.sort((a, b) => b.p - a.p);
    for (const pk of peaks.slice(0, 3)) {
      const nearest = Math.min(...m.modes.map((mode) => Math.abs(mode.freqHz - pk.f) / mode.freqHz));
      assert.ok(nearest < 0.015, `${name}: peak at ${pk.f} Hz is ${(nearest * 100).toFixed(1)}% from the nearest mode (${m.modes.map((q) => q.freqHz.toFixed(0)).join(', ')})`);
    }
    // And each of the first two modes stands well above the spectrum between it and its neighbour.
    for (const mode of m.modes.slice(0, 2)) {
      assert.ok(powerAt(mode.freqHz) > 10 * powerAt(mode.freqHz * 1.045), `${name}: mode ${mode.freqHz.toFixed(0)} Hz stands out`);
    }
  }
});

test('faster hits are louder and brighter; stiffer surfaces are brighter', () => {
  const wood = instantiateMaterial('wood', new Rng(5));
  const speeds = [0.15, 0.4, 1.0, 2.5];
  const levels = speeds.map((v) => rms(impactSound(wood, v, 'fingertip'), 0, 4000));
  const bright = speeds.map((v) => centroid(impactSound(wood, v, 'fingertip'), 160, 2048));
  for (let i = 1; i < speeds.length; i++) {
    assert.ok(levels[i]! > levels[i - 1]! * 1.5, `level rises with speed: ${levels.map((l) => l.toFixed(4)).join(' < ')}`);
    assert.ok(bright[i]! > bright[i - 1]!, `centroid rises with speed: ${bright.map((c) => c.toFixed(0)).join(' < ')}`);
  }
  // Same modes, softer vs harder surface: the harder one is brighter (shorter contact).
  const soft: MaterialInstance = { ...wood, spec: { ...wood.spec, stiffnessNPerM: 2e4 } };
  const hard: MaterialInstance = { ...wood, spec: { ...wood.spec, stiffnessNPerM: 5e7 } };
  const cHard = centroid(impactSound(hard, 0.8, 'knuckle'), 160, 2048), cSoft = centroid(impactSound(soft, 0.8, 'knuckle'), 160, 2048);
  assert.ok(cHard > 1.2 * cSoft, `hard surface centroid ${cHard.toFixed(0)} Hz vs soft ${cSoft.toFixed(0)} Hz`);
  // A palm slap moves more mass than a fingertip tap at the same speed: louder.
  const palm = rms(impactSound(wood, 1.5, 'palm'), 0, 4000), tip = rms(impactSound(wood, 1.5, 'fingertip'), 0, 4000);
  assert.ok(palm > 2 * tip, `palm ${palm.toFixed(4)} vs fingertip ${tip.toFixed(4)}`);
});

test('scratching energy follows sliding speed', () => {
  for (const name of ['wood', 'cardboard', 'stone']) {
    const e = new ContactSoundEngine(instantiateMaterial(name, new Rng(2)), { seed: 9 });
    const speeds = [0.02, 0.05, 0.1, 0.2, 0.4];
    const levels = speeds.map((v) => {
      const out = new Float32Array(2 * FS);
      for (let i = 0; i < out.length; i += 16) { e.setContact(v, 2, 0); e.process(out, i, 16); }
      return rms(out, FS / 4);
    });
    for (let i = 1; i < speeds.length; i++) assert.ok(levels[i]! > levels[i - 1]!, `${name}: ${levels.map((l) => l.toExponential(2)).join(' < ')}`);
  }
  // Through the whole geometry path: in a scratch, loud 20 ms windows are the fast-sliding ones.
  const scene = sceneWith('wood');
  const { motions } = planned(scene, 'scratch', 4);
  const r = renderContactAudio(scene, motions, 4, { dry: true });
  const span = r.spans.find((s) => s.endSec - s.startSec > 0.5);
  assert.ok(span, 'the scratch plan slides on the surface');
  const kpPrev = new Float64Array(63), kp = new Float64Array(63);
  const xs: number[] = [], ys: number[] = [];
  for (let t = span.startSec + 0.15; t < span.endSec - 0.15; t += 0.02) {
    motions[span.hand]!.keypointsAt(t - 0.01, kpPrev); motions[span.hand]!.keypointsAt(t + 0.01, kp);
    xs.push(Math.hypot(kp[36]! - kpPrev[36]!, kp[38]! - kpPrev[38]!) / 0.02); // middle tip speed (x, z)
    ys.push(rms(r.audio, Math.round((t - 0.01) * FS), Math.round((t + 0.01) * FS)));
  }
  const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
  const mx = mean(xs), my = mean(ys);
  const cov = xs.reduce((acc, x, i) => acc + (x - mx) * (ys[i]! - my), 0);
  const corr = cov / Math.sqrt(xs.reduce((a, x) => a + (x - mx) ** 2, 0) * ys.reduce((a, y) => a + (y - my) ** 2, 0));
  assert.ok(corr > 0.5, `loudness follows sliding speed (correlation ${corr.toFixed(2)})`);
});

test('no sound when the hand never touches a surface', () => {
  const scene = sceneWith('metal');
  const plan = planAction(new Rng(8), 'tap', scene.surfaces[0]!, 4);
  // Lift every stroke 1 cm above the surface: the same motion, never reaching it.
  for (const h of plan.hands) for (const s of h.strokes) { s.liftM += 0.01; }
  const hovering = plan.hands.map((h) => (h.present ? new HandMotion({ ...h, strokes: [], restH: 0.01 }, scene.surfaces[0]!) : null));
  const dry = renderContactAudio(scene, hovering, 4, { dry: true });
  assert.equal(dry.impacts.length, 0);
  assert.equal(dry.spans.length, 0);
  assert.ok(dry.audio.every((x) => x === 0), 'dry output is exactly silent');
  const wet = renderContactAudio(scene, hovering, 4, {});
  const db = 20 * Math.log10(rms(wet.audio));
  assert.ok(Math.abs(db - scene.noiseFloorDb) < 2, `only the noise floor remains (${db.toFixed(1)} dBFS vs ${scene.noiseFloorDb})`);
});

test('every action makes contact and sound on a generated scene', () => {
  const scene = generateScene(3, 1);
  for (const action of ['tap', 'knock', 'hit', 'pat', 'scratch', 'rub', 'press', 'swipe'] as const) {
    const plan = planAction(Rng.derive(3, action), action, scene.surfaces[0]!, 5);
    const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, scene.surfaces[0]!) : null));
    const r = renderContactAudio(scene, motions, 5, { dry: true });
    assert.ok(r.spans.length >= 1, `${action}: touches`);
    assert.ok(rms(r.audio) > 1e-4, `${action}: audible (${rms(r.audio)})`);
    assert.ok(r.audio.every(Number.isFinite), `${action}: finite samples`);
    const expected = action === 'hit' || action === 'pat' ? 'palm' : action === 'knock' ? 'knuckle' : null;
    if (expected) assert.ok(r.impacts.every((i) => i.part === expected), `${action} strikes with the ${expected}: ${r.impacts.map((i) => i.part).join(',')}`);
    if (action === 'tap') assert.ok(r.impacts.every((i) => i.part === 'fingertip'), `tap parts: ${r.impacts.map((i) => i.part).join(',')}`);
  }
});
