/**
 * The XR demo page end to end in headless Chromium: IWER's emulated Quest (hands), Babylon, the splat scene, the real
 * runtime (sampler Workers, playback worklets), the Tone.js output chain, the HUD.
 * 1. Touch: the right hand strikes the table, the pot, the table, the pot. Each strike must be seen as a contact on
 *    the right region, sound at its contact (onsets of the recorded output), sound like its material (the metal pot
 *    brighter than the wooden table), and show on the HUD (material under the hand, latency).
 * 2. Capture: Chromium's fake microphone plays a WAV; the page records it with the hand joints while the hand
 *    strikes the table; the written item must load with the dataset reader, the mic's sound in it, and the strike
 *    in the keypoints where the page says it happened on the audio's timeline.
 * SwiftShader draws the 35k-splat room at about 1 frame/s on two busy cores, and contacts are only seen as often as
 * XR frames come: the tests check that the splat loaded, then hide it (and run two of the seven material
 * samplers, in a small window) so that the emulated session runs at a usable frame rate. test/xr-demo/screenshots.ts
 * takes the docs' pictures with everything shown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dsp } from '../../src/dsp/index.js';
import { matchOnsets, percentile } from '../../src/runtime/latency.js';
import { openDataset, readItem } from '../../src/dataset/index.js';
import { readWav } from '../../src/io/wav.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';
import { readFileSync } from 'node:fs';
import { chromiumAvailable } from '../rig/chromium.js';
import { enterEmulatedSession, openDemo } from './demo-rig.js';

const QUERY = '?desktop=1&materials=wood,metal';
const VIEWPORT = { width: 480, height: 270 };
const skip = !chromiumAvailable() && 'chromium not installed (.ci/run installs it)';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The emulated session stalls for a few hundred ms now and then on two busy cores: a hand that hovers before its
// fall and rests half a second on the surface is seen above it and on it by at least one XR frame each.
const STRIKE = { settleSec: 0.4, holdSec: 0.5 };

/** Spectral centroid (Hz) of `x` (16 kHz) from the Dsp's STFT magnitudes. */
function centroidHz(dsp: Dsp, x: Float32Array): number {
  const mag = dsp.magnitude(x), bins = dsp.settings.nFft / 2 + 1, frames = mag.length / bins;
  let num = 0, den = 0;
  for (let f = 0; f < frames; f++) for (let b = 0; b < bins; b++) { const m = mag[f * bins + b]!; num += m * (b * 16000) / dsp.settings.nFft; den += m; }
  return num / den;
}

test('xr-demo: emulated hands strike the table and the pot; sound at each contact, of its material, shown on the HUD', { skip, timeout: 300_000 }, async () => {
  const demo = await openDemo({ query: QUERY, viewport: VIEWPORT });
  const { page } = demo;
  const diag = () => `\n${demo.log.slice(-25).join('\n')}`;
  try {
    assert.ok(await page.evaluate(() => window.xrDemo.splatCount()) > 30_000, 'the bundled splat room loaded');
    await page.evaluate(() => window.xrDemo.setSplatVisible(false));
    await enterEmulatedSession(page);
    await sleep(2000); // the samplers learn the audio clock's bursts; the session settles
    const t0 = await page.evaluate(() => performance.now() / 1000);
    const plan: [string, [number, number]][] = [['table', [0.0, -0.42]], ['pot', [0.3, -0.65]], ['table', [0.05, -0.42]], ['pot', [0.28, -0.64]]];
    const planned: number[] = [];
    for (const [region, at] of plan) {
      const r = await page.evaluate(([reg, xz, o]) => window.xrDemo.strike(1, reg, xz, o), [region, at, STRIKE] as const);
      planned.push(r.contactPageSec);
    }
    await sleep(700);
    const contacts = await page.evaluate(() => window.xrDemo.contacts.filter((c) => c.hand === 1));
    const rec = await page.evaluate((t) => window.xrDemo.recording(t - 0.3), t0);
    const hudSeen = await page.evaluate(() => window.xrDemo.hudSeen());
    const errors = await page.evaluate(() => window.xrDemo.errors);
    assert.deepEqual(errors, [], diag());
    assert.deepEqual(demo.externalRequests, [], 'the page loads nothing from outside');

    // The router saw each strike on its region, near when the script put the skin on the surface (its time is
    // interpolated between XR frames, which are far apart here).
    const fps = await page.evaluate(() => window.xrDemo.fps());
    assert.equal(contacts.length, plan.length, `contacts ${JSON.stringify(contacts)}${diag()}`);
    const contactErrMs = contacts.map((c, i) => {
      assert.equal(c.region, plan[i]![0]);
      return (c.timeSec - planned[i]!) * 1000;
    });
    // Up to about one XR frame late (the crossing is interpolated between frames around a non-linear fall); the
    // emulated session stalls for several hundred ms now and then on two busy cores.
    const tolMs = Math.max(500, 1500 / fps);
    assert.ok(contactErrMs.every((e) => Math.abs(e) < tolMs), `contact time − planned (ms): ${contactErrMs.map((e) => e.toFixed(0))}; ${fps.toFixed(1)} frames/s`);

    // Audio: one onset per contact, soon after it (contacts mapped to the audio clock as the page maps them).
    const dsp = await Dsp.create();
    const audio = dsp.resample(Float32Array.from(rec.samples), rec.sampleRate, 16000);
    const onsets = Array.from(dsp.onsets(audio), (t) => t + rec.startContextSec);
    const contactsCtx = planned.map((t) => t + rec.offsetSec);
    // A contact is seen one XR frame after it happens at worst: the window allows a stall.
    const match = matchOnsets(contactsCtx, onsets, 0.05, 0.6);
    const lagsMs = match.lagsSec.map((s) => s * 1000);
    console.log(`# xr-demo router contact − planned (ms): ${contactErrMs.map((e) => e.toFixed(0)).join(' ')}`);
    console.log(`# xr-demo planned contact → heard (ms; ${rec.includesOutputLatency ? 'with' : 'without'} output latency): ${lagsMs.map((l) => l.toFixed(1)).join(' ')}; onsets ${onsets.length}; ${fps.toFixed(1)} frames/s`);
    // At most one silent strike: a stall that hides the whole fall shows the hand already touching, which is not
    // an impact by the runtime's rule (as in the runtime's own browser test).
    assert.ok(match.missed <= 1, `contacts without sound: ${match.missed} (onsets ${onsets.map((o) => o.toFixed(3))}, contacts ${contactsCtx.map((c) => c.toFixed(3))})`);
    // Hovering is silent: no onset before the first contact. (Later extra onsets are allowed: at a few frames/s the
    // resting hand jumps between frames, which slides, and a starved sampler Worker underruns.)
    assert.ok(onsets.every((o) => o > contactsCtx[0]! - 0.05), `sound before the first contact (onsets ${onsets.map((o) => o.toFixed(3))}, first contact ${contactsCtx[0]!.toFixed(3)})`);
    assert.ok(percentile(match.lagsSec, 0.5) < 0.25, `median contact → heard ${percentile(match.lagsSec, 0.5)} s`);

    // Material: 150 ms after each contact, the metal pot rings brighter than the wooden table.
    const centroids = match.lagsSec.map((lag, i) => {
      if (Number.isNaN(lag)) return NaN;
      const from = Math.round((contactsCtx[i]! + lag - rec.startContextSec) * 16000);
      return centroidHz(dsp, audio.subarray(from, from + 2400));
    });
    console.log(`# spectral centroid per strike (Hz): ${plan.map(([r], i) => `${r} ${centroids[i]!.toFixed(0)}`).join(', ')}`);
    const of = (region: string) => centroids.filter((c, i) => plan[i]![0] === region && !Number.isNaN(c));
    assert.ok(of('pot').length > 0 && of('table').length > 0 && Math.min(...of('pot')) > Math.max(...of('table')), 'the pot sounds brighter than the table');

    // The HUD showed it: the material under the hand while touching, and a latency reading.
    assert.ok(hudSeen.some((l) => l.startsWith('right hand: wood (table, touching')), `HUD lines: ${hudSeen.join(' | ')}`);
    assert.ok(hudSeen.some((l) => l.startsWith('right hand: metal (pot, touching')), `HUD lines: ${hudSeen.join(' | ')}`);
    assert.ok(hudSeen.some((l) => /^latency: -?\d+ ms \((wood|metal)\)/.test(l)), `HUD lines: ${hudSeen.join(' | ')}`);
    assert.ok(hudSeen.some((l) => /^sound: procedural/.test(l)));
  } finally {
    await demo.close();
  }
});

test('xr-demo capture: fake microphone (a looping drum WAV) + emulated hand joints → a dataset item the reader loads, aligned', { skip, timeout: 300_000 }, async () => {
  const wav = fileURLToPath(new URL('../../examples/drum-hit-16k.wav', import.meta.url));
  const demo = await openDemo({
    query: QUERY, viewport: VIEWPORT,
    extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
  });
  const { page } = demo;
  const diag = () => `\n${demo.log.slice(-25).join('\n')}`;
  try {
    await page.evaluate(() => window.xrDemo.setSplatVisible(false));
    await enterEmulatedSession(page);
    await page.evaluate(() => window.xrDemo.startCapture());
    await sleep(400);
    const strike = await page.evaluate((o) => window.xrDemo.strike(1, 'table', [0.0, -0.42], o), { ...STRIKE, holdSec: 0.8 });
    await sleep(1200);
    const saved = await page.evaluate(() => window.xrDemo.stopCapture());
    const hudSeen = await page.evaluate(() => window.xrDemo.hudSeen());
    assert.deepEqual(await page.evaluate(() => window.xrDemo.errors), [], diag());
    assert.equal(saved.items.length, 1, `one 8 s item for ${saved.seconds.toFixed(1)} s (${JSON.stringify(saved)})`);
    assert.ok(saved.seconds > 2 && saved.seconds < 8, `recorded ${saved.seconds} s`);
    assert.ok(hudSeen.some((l) => /^capture: recording .* mic -?\d+ dBFS/.test(l) && Number(/mic (-?\d+) dBFS/.exec(l)![1]) > -40), `the HUD showed the mic level: ${hudSeen.filter((l) => l.startsWith('capture')).join(' | ')}`);

    // The dataset reader loads it as one of ours (log-mel kept), in the train split.
    const ds = openDataset(demo.capturesDir);
    assert.equal(ds.kind, 'simulated');
    const name = saved.items[0]!;
    assert.deepEqual(ds.split.train, [['xrcapture', name]]);
    const item = readItem(ds, 'xrcapture', name);
    assert.equal(item.keypointFrames, 240);
    assert.equal(item.melFrames, 1 + (8 * 16000) / 256);
    const labels = item.labels as { camera: { position: number[]; right: number[]; down: number[]; forward: number[] }; clock: { audioStartPageSec: number }; trackedFrames: number[]; material: string };
    assert.equal(labels.material, 'wood', 'the region touched most is the table');

    // Audio: the microphone's sound is in the item (the drum loop: onsets 0.6 s apart), silence after the recording.
    const dsp = await Dsp.create();
    const audio = readWav(new Uint8Array(readFileSync(join(demo.capturesDir, 'xrcapture', 'audio', `${name}.wav`)))).channels[0]!;
    const recorded = Math.floor(saved.seconds * 16000);
    const onsets = Array.from(dsp.onsets(audio.subarray(0, recorded)));
    const gaps = onsets.slice(1).map((t, i) => t - onsets[i]!);
    assert.ok(onsets.length >= 3 && Math.abs(percentile(gaps, 0.5) - 0.6) < 0.03, `drum onsets ${onsets.map((o) => o.toFixed(3))}`);
    assert.ok(audio.subarray(recorded + 1600).every((v) => v === 0), 'padding after the recording is silence');

    // Keypoints: the right hand is tracked while recording and not after; it reaches the table where the page
    // says the strike happened, on the audio's timeline (item time = page time − audioStartPageSec).
    const cam = labels.camera;
    const toScene = (k: Float32Array, o: number) => [0, 1, 2].map((a) => cam.position[a]! + cam.right[a]! * k[o]! + cam.down[a]! * k[o + 1]! + cam.forward[a]! * k[o + 2]!);
    const tableTop = 0.75;
    let firstTouch = -1;
    const lows: string[] = [];
    const recordedFrames = Math.floor(saved.seconds * 30);
    let trackedInside = 0, trackedAfter = 0;
    for (let f = 0; f < 240; f++) {
      const base = f * 126 + 63;
      const tracked = item.keypoints.subarray(base, base + 63).some((v) => v !== 0);
      if (f < recordedFrames) trackedInside += tracked ? 1 : 0; else trackedAfter += tracked ? 1 : 0;
      if (!tracked || firstTouch >= 0) continue;
      let low = Infinity;
      for (let k = 0; k < 21; k++) low = Math.min(low, toScene(item.keypoints, base + 3 * k)[1]! - KEYPOINT_RADIUS_M[k]!);
      lows.push(`${f}:${((low - tableTop) * 100).toFixed(1)}`);
      if (low <= tableTop + 0.002) firstTouch = f;
    }
    const expectedSec = strike.contactPageSec - labels.clock.audioStartPageSec;
    console.log(`# capture: ${saved.seconds.toFixed(2)} s, right hand tracked in ${trackedInside}/${recordedFrames} frames; touch at frame ${firstTouch} (${(firstTouch / 30).toFixed(3)} s), page says ${expectedSec.toFixed(3)} s; ${(await page.evaluate(() => window.xrDemo.fps())).toFixed(1)} frames/s`);
    // Frames stalled longer than the bridged gap come out untracked (zeros, the runtime's rule): under load that is
    // a good part of them, so only "mostly there" is checked; none after the recording stopped.
    assert.ok(trackedInside > recordedFrames * 0.3 && trackedAfter <= 2, `tracked ${trackedInside}/${recordedFrames} inside, ${trackedAfter} after`);
    // Keypoints are interpolated between XR frames, far apart here: the touch shows up to about one frame late, and
    // the emulated session stalls now and then on two busy cores (a CI run saw 135 ms at 20 frames/s on average).
    const fps = await page.evaluate(() => window.xrDemo.fps());
    const toleranceSec = Math.max(0.15, 2.5 / fps);
    assert.ok(firstTouch >= 0 && Math.abs(firstTouch / 30 - expectedSec) < toleranceSec, `touch at ${firstTouch / 30} s on the item's timeline, expected ${expectedSec} s (± ${toleranceSec.toFixed(3)} s); frame:cm above the table ${lows.join(' ')}`);
  } finally {
    await demo.close();
  }
});

test('xr-demo without WebGPU: the flow model runs on wasm, the HUD says so, and a strike on the table sounds', { skip, timeout: 300_000 }, async () => {
  const demo = await openDemo({ query: '?desktop=1&sound=model&materials=wood', viewport: VIEWPORT, noWebGpu: true });
  const { page } = demo;
  const diag = () => `\n${demo.log.slice(-25).join('\n')}`;
  try {
    await page.evaluate(() => window.xrDemo.setSplatVisible(false));
    await enterEmulatedSession(page);
    // The model on wasm, shown on the HUD — or already replaced by the procedural baseline because it could not keep
    // up on this busy machine, which the HUD also says ("sound backend wasm → procedural").
    const MODEL_LINES = [/^sound: model on wasm {2}· {2}WebGPU: not available \(the model falls back to wasm\)$/, /^sound backend wasm → procedural/];
    await page.waitForFunction((res) => window.xrDemo.hudSeen().some((l) => res.some((r) => new RegExp(r).test(l))), MODEL_LINES.map((r) => r.source), { timeout: 120_000 });
    await sleep(1000);
    const t0 = await page.evaluate(() => performance.now() / 1000);
    const planned: number[] = [];
    for (const at of [[0.0, -0.42], [-0.2, -0.42]] as [number, number][]) planned.push((await page.evaluate(([xz, o]) => window.xrDemo.strike(1, 'table', xz, o), [at, STRIKE] as const)).contactPageSec);
    await sleep(700);
    const seen = await page.evaluate(() => window.xrDemo.hudSeen());
    assert.ok(seen.some((l) => / {2}WebGPU: not available \(the model falls back to wasm\)$/.test(l)), seen.join('\n') + diag());
    console.log(`# xr-demo without WebGPU, HUD: ${seen.filter((l) => MODEL_LINES.some((r) => r.test(l))).join(' | ')}`);
    // The one error allowed: the runtime's own failover when the model cannot keep up on this busy machine.
    const errors = (await page.evaluate(() => window.xrDemo.errors)).filter((e) => !/cannot keep up/.test(e));
    assert.deepEqual(errors, [], diag());
    const rec = await page.evaluate((t) => window.xrDemo.recording(t - 0.3), t0);
    const dsp = await Dsp.create();
    const audio = dsp.resample(Float32Array.from(rec.samples), rec.sampleRate, 16000);
    const onsets = Array.from(dsp.onsets(audio), (t) => t + rec.startContextSec);
    const match = matchOnsets(planned.map((t) => t + rec.offsetSec), onsets, 0.05, 0.35);
    console.log(`# xr-demo model on wasm: planned contact → heard (ms): ${match.lagsSec.map((s) => (s * 1000).toFixed(1)).join(' ')}; onsets ${onsets.length}`);
    assert.ok(match.missed <= 1, `strikes without sound: ${match.missed} of ${planned.length} (onsets ${onsets.map((o) => o.toFixed(3))})`);
  } finally {
    await demo.close();
  }
});
