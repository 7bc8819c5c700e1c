// The Unity WebGL plugin in headless Chromium: the .jslib and the runtime .jspre (built by scripts/build-unity.mjs,
// Worker and worklet embedded) linked by the Emscripten-like harness, driven like a Unity player drives it: frames
// pushed by pointer in real time → the real runtime → audio captured after its output; errors through SendMessage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Dsp } from '../../src/dsp/index.js';
import { matchOnsets, percentile } from '../../src/runtime/latency.js';
import { chromiumAvailable, launchRigBrowser } from '../rig/chromium.js';
import { startRigServer } from '../rig/server.js';
import { buildRuntimeJspre, readJslib } from './unity-bundles.js';
import type { UnityRunResult } from './browser/unity-page.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

test('Unity plugin in Chromium: frames pushed from the heap sound at their contacts; NaN hands, stats, listener pose and a failed start come back through the API and SendMessage', { skip: !chromiumAvailable() && 'no chromium' }, async () => {
  const jslib = readJslib();
  const jspre = buildRuntimeJspre();
  const server = await startRigServer({
    entries: { 'unity-page': here('./browser/unity-page.ts'), recorder: here('../runtime/browser/recorder-processor.ts') },
  });
  const browser = await launchRigBrowser();
  try {
    await browser.page.goto(server.url('/unity-page.html'));
    await browser.page.waitForFunction(() => window.unityTest?.ready === true, undefined, { timeout: 30_000 });
    const contacts = [0.4, 0.8, 1.2, 1.6, 2.0, 2.4];
    const r: UnityRunResult = await browser.page.evaluate(([l, p, c, d]) => window.unityTest.run(l, p, c, d), [jslib, jspre, contacts, 2.8] as const);
    const log = `${browser.log.join('\n')}\nsent: ${JSON.stringify(r.sent, null, 1)}`;
    assert.deepEqual(browser.externalRequests, []);

    const ready = r.sent.find((m) => m.method === 'OnHearingHandsReady');
    assert.ok(ready, log);
    assert.equal(ready.gameObject, 'HandSounds');
    assert.equal(JSON.parse(ready.payload).generator, 'procedural');
    assert.ok((r.pushCodes['1'] ?? 0) >= 2.8 * 30, `pushes delivered (one per display frame): ${JSON.stringify(r.pushCodes)}`);
    assert.deepEqual(Object.keys(r.pushCodes).filter((c) => Number(c) < 0), [], JSON.stringify(r.pushCodes));
    assert.equal(r.stats.state, 1);
    assert.equal(r.stats.generator, 1);
    assert.equal(r.stats.framesDelivered, r.pushCodes['1']);
    assert.ok(r.stats.steps! > 0 && r.stats.chunks! > 0, JSON.stringify(r.stats));

    const dsp = await Dsp.create();
    const audio = Float32Array.from(r.samples);
    const onsets = Array.from(dsp.onsets(dsp.resample(audio, r.sampleRate, 16000)), (t) => t + r.startFrame / r.sampleRate);
    const match = matchOnsets(r.contactsAudioSec, onsets, 0.03, 0.2);
    const lagsMs = match.lagsSec.map((s) => s * 1000);
    console.log(`unity plugin latency per tap (ms): ${lagsMs.map((l) => l.toFixed(1)).join(' ')}; ${r.pushCodes['1']} frames pushed, µs per push p50 ${percentile(r.pushMicros, 0.5).toFixed(0)} p95 ${percentile(r.pushMicros, 0.95).toFixed(0)}; stats ${JSON.stringify(r.stats)}`);
    assert.ok(match.missed <= 1, `taps without sound: ${match.missed} of ${contacts.length} (onsets ${onsets.map((o) => o.toFixed(3))})\n${log}`);
    // The runtime's own browser test bounds this at 60 ms; a player adds up to one display frame (16.7 ms at 60 Hz)
    // between the contact and the push that carries it.
    assert.ok(percentile(match.lagsSec, 0.5) < 0.08, `median latency ${percentile(match.lagsSec, 0.5)}`);
    let peak = 0;
    for (const v of audio) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak > 0.01 && peak <= 1, `peak ${peak}`);
    // (Clicks are the playback's business, checked by test/runtime/browser-runtime.test.ts: the plugin only changes
    // how frames arrive.)

    // The NaN hand: dropped, counted, reported once to the GameObject.
    assert.equal(r.statsAfterNaN.nonFiniteHands, 1);
    const errors = r.sent.filter((m) => m.method === 'OnHearingHandsError').map((m) => JSON.parse(m.payload));
    const nan = errors.filter((e) => /NaN/.test(e.message));
    assert.equal(nan.length, 1, log);
    assert.equal(nan[0].code, 'INVALID_ARGUMENT');
    // The listener pose landed on the AudioContext's listener.
    assert.deepEqual(r.listener, [0.1, 1.6, 0.2, -1].map(Math.fround));
    // The instance that could not start said why, with a stable code.
    assert.ok(r.failedStart, log);
    const failed = JSON.parse(r.failedStart.payload);
    assert.match(failed.code, /^(UNKNOWN_MATERIAL|BACKEND_UNAVAILABLE|INVALID_ARGUMENT)$/);
    assert.match(failed.message, /unobtainium/);
  } finally {
    await browser.close();
    await server.close();
  }
});
