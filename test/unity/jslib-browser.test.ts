// The Unity WebGL plugin in headless Chromium: the .jslib and the runtime .jspre (built by scripts/build-unity.mjs,
// Worker and worklet embedded) linked by the Emscripten-like harness, driven like a Unity player drives it: frames
// pushed by pointer once per display frame → the real runtime → audio captured after its output; errors through
// SendMessage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Dsp } from '../../src/dsp/index.js';
import { matchOnsets, percentile } from '../../src/runtime/latency.js';
import { chromiumAvailable, launchRigBrowser, type RigBrowser } from '../rig/chromium.js';
import { startRigServer } from '../rig/server.js';
import { buildRuntimeJspre, readJslib } from './unity-bundles.js';
import type { ProceduralRunResult, TapsResult } from './browser/unity-page.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const skip = !chromiumAvailable() && 'no chromium';
const CONTACTS = [0.4, 0.8, 1.2, 1.6, 2.0, 2.4];

/** Serves the test page like a Unity build's folder would be served: the page, onnxruntime-web's files, the model. */
async function withPage(fn: (browser: RigBrowser, jslib: string, jspre: string) => Promise<void>): Promise<void> {
  const jslib = readJslib();
  const jspre = buildRuntimeJspre();
  const server = await startRigServer({
    entries: { 'unity-page': here('./browser/unity-page.ts'), recorder: here('../runtime/browser/recorder-processor.ts') },
    files: { '/ort/': here('../../node_modules/onnxruntime-web/dist'), '/models/': here('../../models') },
  });
  const browser = await launchRigBrowser();
  try {
    await browser.page.goto(server.url('/unity-page.html'));
    await browser.page.waitForFunction(() => window.unityTest?.ready === true, undefined, { timeout: 30_000 });
    await fn(browser, jslib, jspre);
    assert.deepEqual(browser.externalRequests, []);
  } finally {
    await browser.close();
    await server.close();
  }
}

const describeRun = (browser: RigBrowser, r: TapsResult) => `${browser.log.join('\n')}\nsent: ${JSON.stringify(r.sent.filter((m) => !m.payload.includes('"contact"')), null, 1)}`;
const payloads = (r: TapsResult, method: string) => r.sent.filter((m) => m.method === method).map((m) => JSON.parse(m.payload));

async function onsetsOf(r: TapsResult): Promise<number[]> {
  const dsp = await Dsp.create();
  return Array.from(dsp.onsets(dsp.resample(Float32Array.from(r.samples), r.sampleRate, 16000)), (t) => t + r.startFrame / r.sampleRate);
}

test('Unity plugin in Chromium (procedural): frames pushed from the heap sound at their contacts; NaN hands, stats, listener pose and a failed start come back through the API and SendMessage', { skip }, async () => {
  await withPage(async (browser, jslib, jspre) => {
    const r: ProceduralRunResult = await browser.page.evaluate(([l, p, c]) => window.unityTest.runProcedural(l, p, c, 2.8), [jslib, jspre, CONTACTS] as const);
    const log = describeRun(browser, r);
    const ready = r.sent.find((m) => m.method === 'OnHearingHandsReady');
    assert.ok(ready, log);
    assert.equal(ready.gameObject, 'HandSounds');
    assert.deepEqual(JSON.parse(ready.payload), { handle: 1, generator: 'procedural', backend: 'procedural' });
    assert.ok((r.pushCodes['1'] ?? 0) >= 2.8 * 30, `pushes delivered (one per display frame): ${JSON.stringify(r.pushCodes)}`);
    assert.deepEqual(Object.keys(r.pushCodes).filter((c) => Number(c) < 0), [], JSON.stringify(r.pushCodes));
    assert.equal(r.stats.state, 1);
    assert.equal(r.stats.generator, 1);
    assert.equal(r.stats.backend, 1);
    assert.equal(r.stats.framesDelivered, r.pushCodes['1']);
    assert.ok(r.stats.steps! > 0 && r.stats.chunks! > 0, JSON.stringify(r.stats));

    const onsets = await onsetsOf(r);
    const match = matchOnsets(r.contactsAudioSec, onsets, 0.03, 0.2);
    console.log(`unity plugin (procedural) latency per tap (ms): ${match.lagsSec.map((s) => (s * 1000).toFixed(1)).join(' ')}; ${r.pushCodes['1']} frames pushed, µs per push p50 ${percentile(r.pushMicros, 0.5).toFixed(0)} p95 ${percentile(r.pushMicros, 0.95).toFixed(0)}; stats ${JSON.stringify(r.stats)}`);
    assert.ok(match.missed <= 1, `taps without sound: ${match.missed} of ${CONTACTS.length} (onsets ${onsets.map((o) => o.toFixed(3))})\n${log}`);
    // The runtime's own browser test bounds this at 60 ms; a player adds up to one display frame (16.7 ms at 60 Hz)
    // between the contact and the push that carries it.
    assert.ok(percentile(match.lagsSec, 0.5) < 0.08, `median latency ${percentile(match.lagsSec, 0.5)}`);
    let peak = 0;
    for (const v of r.samples) peak = Math.max(peak, Math.abs(v));
    assert.ok(peak > 0.01 && peak <= 1, `peak ${peak}`);
    // (Clicks are the playback's business, checked by test/runtime/browser-runtime.test.ts: the plugin only changes
    // how frames arrive.)

    // The NaN hand: dropped, counted, reported once to the GameObject.
    assert.equal(r.statsAfterNaN.nonFiniteHands, 1);
    const nan = payloads(r, 'OnHearingHandsError').filter((e) => /NaN/.test(e.message));
    assert.equal(nan.length, 1, log);
    assert.equal(nan[0].code, 'INVALID_ARGUMENT');
    // The listener pose landed on the AudioContext's listener.
    assert.deepEqual(r.listener, [0.1, 1.6, 0.2, -1].map(Math.fround));
    // The instance that could not start said why, with a stable code.
    assert.ok(r.failedStart, log);
    const failed = JSON.parse(r.failedStart.payload);
    assert.match(failed.code, /^(UNKNOWN_MATERIAL|BACKEND_UNAVAILABLE|INVALID_ARGUMENT)$/);
    assert.match(failed.message, /unobtainium/);
  });
});

test('Unity plugin in Chromium (model): modelUrl/backend/ortUrl reach the runtime; the flow model runs on wasm from the page\'s origin, inside the plugin\'s blob: Worker', { skip }, async () => {
  await withPage(async (browser, jslib, jspre) => {
    const r: TapsResult = await browser.page.evaluate(([l, p, c]) => window.unityTest.runModel(l, p, c, 1.6), [jslib, jspre, CONTACTS.slice(0, 3)] as const);
    const log = describeRun(browser, r);
    assert.deepEqual(payloads(r, 'OnHearingHandsError'), [], log);
    assert.deepEqual(payloads(r, 'OnHearingHandsReady'), [{ handle: 1, generator: 'model', backend: 'wasm' }], log);
    assert.equal(r.stats.generator, 2);
    assert.equal(r.stats.backend, 2);
    assert.ok(r.stats.steps! > 0 && r.stats.chunks! > 0, JSON.stringify(r.stats));
    assert.ok(r.samples.length > 0, log);
    const onsets = await onsetsOf(r);
    const match = matchOnsets(r.contactsAudioSec, onsets, 0.03, 0.2);
    let peak = 0;
    for (const v of r.samples) peak = Math.max(peak, Math.abs(v));
    console.log(`unity plugin (model, wasm) latency per tap (ms): ${match.lagsSec.map((s) => (s * 1000).toFixed(1)).join(' ')}; missed ${match.missed}; peak ${peak.toFixed(3)}; stats ${JSON.stringify(r.stats)}`);
    // Whether the model keeps up in real time (its chunks arriving before their play time) is the runtime's and the
    // bench's question, and on a busy 2-core VM it often does not (a tick of 200+ ms: every chunk late, silence).
    // What the plugin owes is above: the options reached the runtime, which loaded the model and generated chunks.
    assert.ok(Number.isFinite(peak) && peak <= 1, `peak ${peak}`);
  });
});
