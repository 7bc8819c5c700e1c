// Faults in the browser runtime, each checked on what the real playback worklet played (captured after it):
// a corrupt / mismatched / missing model, NaN hand frames, a stalled producer, a suspended AudioContext (resumed by a
// click), the model's session failing mid-run (→ the standby, without a gap) and, where Chromium has a WebGPU adapter
// (SwiftShader here), a destroyed WebGPU device (→ wasm).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { chromiumAvailable } from '../rig/chromium.js';
import type { TapRunConfig, TapRunResult } from './browser/hh-page.js';
import { analyseCapture, peakBetween, rmsBetween } from './browser/analyse.js';
import { HH_PAGE, openRuntimePage } from './browser/hh-server.js';

const skip = !chromiumAvailable() && 'no chromium';
let rig: Awaited<ReturnType<typeof openRuntimePage>>;
let dsp: Dsp;

before(async () => {
  if (skip) return;
  rig = await openRuntimePage(HH_PAGE);
  await rig.browser.page.goto(rig.server.url('/hh-page.html'));
  await rig.browser.page.waitForFunction(() => window.hhTest?.ready === true, undefined, { timeout: 30_000 });
  dsp = await Dsp.create();
});
after(async () => { if (!skip) { assert.deepEqual(rig.browser.externalRequests, []); await rig.close(); } });

const run = (c: TapRunConfig): Promise<TapRunResult> => rig.browser.page.evaluate((cfg) => window.hhTest.runTaps(cfg), c);
const taps = (n: number, from = 0.5, every = 0.45) => Array.from({ length: n }, (_, i) => from + every * i);
const log = () => rig.browser.log.slice(-30).join('\n');
/**
 * Clicks in the model's live output are reported, not asserted: when this shared machine is loaded the wasm model
 * falls behind real time and its late chunks meet the worklet's fades (the procedural runs, whose timing does not
 * depend on the load, assert no clicks; see the issue-6 note).
 */
const modelClicks = (what: string, n: number) => { if (n > 0) console.log(`${what} (model): ${n} click samples in the captured output (not asserted)`); };

test('a model that cannot run: typed rejection without fallback; with it, an error event first, then the procedural baseline plays', { skip }, async () => {
  for (const [model, code, name] of [['corrupt', 'MODEL_LOAD', 'ModelLoadError'], ['mismatched', 'MODEL_MISMATCH', 'ModelMismatchError'], ['missing', 'MODEL_LOAD', 'ModelLoadError']] as const) {
    const r = await run({ contactsSec: [0.5], durationSec: 1, backend: 'wasm', model, allowProceduralFallback: false });
    assert.equal(r.createError?.code, code, `${model}: ${JSON.stringify(r.createError)}\n${log()}`);
    assert.equal(r.createError?.name, name);
  }
  const contacts = taps(4);
  const r = await run({ contactsSec: contacts, durationSec: 2.5, backend: 'auto', model: 'corrupt', allowProceduralFallback: true });
  assert.equal(r.createError, null, log());
  const kinds = r.events.filter((e) => e.type === 'error' || e.type === 'backend').map((e) => e.type === 'error' ? `error ${e.code}` : `backend ${e.backend}`);
  assert.deepEqual(kinds.slice(0, 2), ['error MODEL_LOAD', 'backend procedural'], kinds.join(', '));
  const a = analyseCapture(dsp, r, r.contactsAudioSec);
  assert.ok(a.match.missed === 0, `taps without sound on the fallback: ${a.match.missed}`);
  assert.deepEqual(a.clicksSec, []);
});

test('NaN hand frames: dropped per frame (no sound, no garbage), the taps after them sound; the model stays finite and click-free', { skip }, async () => {
  const contacts = taps(7);
  // Taps 3 and 4 (1.4 s, 1.85 s) fall inside the NaN interval. It starts while the hand still rises from tap 2
  // (0.95 s): from a hand already falling towards tap 3, a model may rightly sound tap 3 ahead of time.
  const config: TapRunConfig = { contactsSec: contacts, durationSec: 3.8, nanSec: [1.05, 2.05], allowProceduralFallback: false };
  const p = await run({ ...config, backend: 'procedural' });
  assert.deepEqual(p.errors, [], log());
  const a = analyseCapture(dsp, p, p.contactsAudioSec);
  console.log(`NaN hands (procedural): lags (ms) ${a.match.lagsSec.map((l) => (l * 1000).toFixed(0)).join(' ')}; dropped hands ${p.stats.droppedHands}`);
  assert.ok(p.stats.droppedHands > 20, `dropped hands ${p.stats.droppedHands}`);
  const sounded = a.match.lagsSec.map((l) => !Number.isNaN(l));
  assert.deepEqual([sounded[0], sounded[1], sounded[2], sounded[3], sounded[5], sounded[6]], [true, true, false, false, true, true], `lags ${a.match.lagsSec}`);
  assert.ok(a.finite && a.peak <= 1, `peak ${a.peak}`);
  assert.deepEqual(a.clicksSec, [], `clicks at ${a.clicksSec.slice(0, 5)}`);
  // The model: whether it keeps up on this loaded machine or not, NaN hands must never reach it as garbage.
  // Nothing struck while the hand was NaN (from tap 3 on, when tap 2 has rung out): the loudest sample there stays well
  // under the taps'. An onset alone is not asserted: on a loaded machine an underrun in a ring, and the fade back in,
  // reads as one. A run the machine made late (a late chunk or an underrun: once in CI, with one late chunk, the peak
  // there was 0.251 of the taps', against ~0.06 otherwise) is run once more; sound the NaN hands made would come every time.
  const overNan: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const m = await run({ ...config, backend: 'wasm', model: 'shipped-live' });
    assert.deepEqual(m.errors, [], log());
    const b = analyseCapture(dsp, m, m.contactsAudioSec);
    console.log(`NaN hands (model): lags (ms) ${b.match.lagsSec.map((l) => (l * 1000).toFixed(0)).join(' ')}; peak ${b.peak.toFixed(3)}; stats ${JSON.stringify(m.stats)}`);
    assert.ok(b.finite && b.peak <= 1, `peak ${b.peak}`);
    const nanFrom = m.trajStartAudioSec + 1.4, nanTo = m.trajStartAudioSec + 2.05;
    const tapPeaks = m.contactsAudioSec.filter((_, i) => i !== 2 && i !== 3).map((c) => peakBetween(b, c - 0.02, c + 0.25)).sort((x, y) => x - y);
    const nanPeak = peakBetween(b, nanFrom, nanTo);
    const duringNan = b.onsetsSec.filter((o) => o > nanFrom && o < nanTo).map((o) => (o - m.trajStartAudioSec).toFixed(3));
    console.log(`NaN hands (model): peak while NaN ${nanPeak.toFixed(4)}, median tap peak ${tapPeaks[2]!.toFixed(3)}; onsets while NaN (s) [${duringNan.join(', ')}]`);
    modelClicks('NaN hands', b.clicksSec.length);
    if (nanPeak < 0.25 * tapPeaks[2]!) { overNan.length = 0; break; }
    overNan.push(`peak ${nanPeak} while the hand was NaN, taps' median ${tapPeaks[2]} (onsets at ${duringNan.join(', ')} s; underruns ${m.stats.underruns}, late chunks ${m.stats.lateChunks})`);
    if (!(m.stats.underruns > 0 || m.stats.lateChunks > 0)) break; // an on-time run over the bound fails at once
  }
  assert.deepEqual(overNan, []);
});

test('a stalled producer: after the last hand frame the output falls to silence, not garbage', { skip }, async () => {
  const contacts = taps(3);
  const r = await run({ contactsSec: contacts, durationSec: 4.5, backend: 'wasm', model: 'shipped-live', stallSec: [1.6, 99], allowProceduralFallback: false });
  assert.deepEqual(r.errors, [], log());
  const a = analyseCapture(dsp, r, r.contactsAudioSec);
  assert.ok(a.finite);
  const tapRms = rmsBetween(a, r.contactsAudioSec[0]!, r.contactsAudioSec[0]! + 0.2);
  // From 1 s into the stall: a model that fell behind on this loaded machine may still be playing its late audio.
  const stalledRms = rmsBetween(a, r.trajStartAudioSec + 2.6, r.trajStartAudioSec + 4.5);
  console.log(`stalled producer (model): RMS during the first tap ${tapRms.toExponential(2)}, 1–3 s into the stall ${stalledRms.toExponential(2)}; stats ${JSON.stringify(r.stats)}`);
  assert.ok(stalledRms < 0.003, `stalled RMS ${stalledRms} (−50 dBFS allowed)`);
  assert.ok(a.peak <= 1);
  // Nothing audible: the onset detector is relative and finds "onsets" in a −65 dBFS floor, so the level is checked.
  const stalledPeak = peakBetween(a, r.trajStartAudioSec + 2.6, r.trajStartAudioSec + 4.5);
  assert.ok(stalledPeak < 0.02, `peak ${stalledPeak} while no hand frames came`);
  modelClicks('stalled producer', a.clicksSec.length);
});

test('a suspended AudioContext resumes on the next click, and taps after it sound at their contacts', { skip }, async () => {
  const contacts = [0.5, 0.95, 3.0, 3.45, 3.9, 4.35];
  // Procedural: this checks the context and the clocks, not the generator (the model's timing depends on the load).
  const pending = run({ contactsSec: contacts, durationSec: 4.8, backend: 'procedural', suspendAtSec: 1.3 });
  await rig.browser.page.waitForFunction(() => window.hhTest.state.suspended, undefined, { timeout: 60_000, polling: 50 });
  await new Promise((r) => setTimeout(r, 500));
  await rig.browser.page.mouse.click(20, 20);
  const r = await pending;
  assert.ok(r.resumed, 'the context did not resume on the click');
  assert.deepEqual(r.errors, [], log());
  const a = analyseCapture(dsp, r, r.contactsAudioSec);
  // The page → audio clock offset is taken after the resume, so only the taps after it are timed.
  const late = a.match.lagsSec.slice(2);
  console.log(`after resume: lags (ms) ${late.map((l) => (l * 1000).toFixed(1)).join(' ')}`);
  assert.ok(late.filter((l) => !Number.isNaN(l)).length >= 3, `taps after resume without sound: ${late}`);
  assert.ok(late.every((l) => Number.isNaN(l) || l < 0.12), `late after resume: ${late}`);
  assert.deepEqual(a.clicksSec, []);
});

test('the model session failing mid-run: the warm standby takes over with no gap (no underrun) and taps go on sounding', { skip }, async () => {
  const contacts = taps(8);
  // On this loaded 2-core machine the model path underruns now and then wherever it is (mostly while it warms up; once,
  // in CI, 80 ms after the switch). A gap the switch makes comes every time, so an underrun around the switch fails the
  // test only when a second run has one there too.
  const gapsAroundSwitch: number[][] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await run({ contactsSec: contacts, durationSec: 4.2, backend: 'wasm', model: 'shipped-live', faultInjection: true,
      faults: [{ atSec: 1.6, fault: 'fail-session' }], allowProceduralFallback: false });
    assert.deepEqual(r.errors, [], log());
    const switches = r.events.filter((e) => e.type === 'backend' && e.previous !== null);
    assert.equal(switches.length, 1, JSON.stringify(r.events.filter((e) => e.type === 'backend')));
    const a = analyseCapture(dsp, r, r.contactsAudioSec);
    console.log(`session failover (run ${attempt + 1}): underruns at ${r.underrunsAtSec.map((t) => t.toFixed(2))} s; lags (ms) ${a.match.lagsSec.map((l) => (l * 1000).toFixed(0)).join(' ')}`);
    assert.ok(a.match.lagsSec.slice(3).filter((l) => !Number.isNaN(l)).length >= 3, `taps after the switch: ${a.match.lagsSec}`);
    modelClicks('session failover', a.clicksSec.length);
    gapsAroundSwitch.push(r.underrunsAtSec.filter((t) => t > 1.5 && t < 2.2));
    if (gapsAroundSwitch[attempt]!.length === 0) break;
  }
  assert.ok(gapsAroundSwitch.some((g) => g.length === 0), `a gap around the switch in every run: ${JSON.stringify(gapsAroundSwitch)} s`);
});

test('a destroyed WebGPU device: the runtime switches to wasm and goes on sounding (procedural if wasm cannot keep up here)', { skip }, async (t) => {
  const hasAdapter = await rig.browser.page.evaluate(async () => !!(await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter()));
  if (!hasAdapter) { t.skip('no WebGPU adapter in this Chromium'); return; }
  // SwiftShader runs a WebGPU tick in hundreds of ms and a destroyed device's run takes seconds to fail: the taps
  // come after the switch has had time to happen. The model is the live teacher (a model made for live ticks, as the
  // runtime plays; the offline hh-flow-s, retrained in session 16, sounded most taps 80-100 ms late here after the
  // switch). On this 2-core machine a run now and then leaves two neighbouring taps after the switch silent (a stall
  // of a few hundred ms in the page; seen with the previous offline model too); a runtime that stops sounding after
  // the switch leaves them silent every time, so the test fails only when a second run does too.
  const contacts = taps(8, 5.0);
  const sounded: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await run({ contactsSec: contacts, durationSec: 8.6, backend: 'webgpu', model: 'shipped-live',
      faults: [{ atSec: 1.0, fault: 'lose-device' }], allowProceduralFallback: true });
    assert.equal(r.createError, null, log());
    const backends = r.events.filter((e) => e.type === 'backend').map((e) => e.type === 'backend' ? `${e.previous ?? '-'}→${e.backend}` : '');
    console.log(`WebGPU device loss (run ${attempt + 1}): create ${r.createSec.toFixed(1)} s; backends ${backends.join(", ")}; errors ${r.errors.join("; ")}; stats ${JSON.stringify(r.stats)}; events ${JSON.stringify(r.events.filter((e) => e.type === "backend").map((e) => (e.atPageSec - r.events[0]!.atPageSec).toFixed(2)))}`);
    assert.equal(backends[0], '-→webgpu', backends.join(', '));
    assert.ok(backends.includes('webgpu→wasm'), backends.join(', '));
    assert.ok(r.stats.backend === 'wasm' || backends.at(-1) === 'wasm→procedural', backends.join(', '));
    assert.ok(r.errors.every((e) => e.startsWith('BACKEND_UNAVAILABLE')), r.errors.join('\n'));
    const a = analyseCapture(dsp, r, r.contactsAudioSec);
    if (r.stats.backend === 'procedural') assert.deepEqual(a.clicksSec, []);
    else modelClicks('WebGPU device loss', a.clicksSec.length);
    if (a.match.lagsSec.slice(2).filter((l) => !Number.isNaN(l)).length >= 5) return;
    sounded.push(`run ${attempt + 1}: lags ${a.match.lagsSec}; onsets ${a.onsetsSec.map((o) => (o - r.trajStartAudioSec).toFixed(2))}`);
  }
  assert.fail(`fewer than 5 of the 6 taps after the switch sounded, in both runs:\n${sounded.join('\n')}`);
});
