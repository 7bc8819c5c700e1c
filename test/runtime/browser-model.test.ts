// The flow model in the browser sampler Worker (onnxruntime-web served from this origin): taps sound at their contacts
// through the real playback worklet, the 'backend' and 'contact' events arrive, nothing is fetched from elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { percentile } from '../../src/runtime/latency.js';
import { chromiumAvailable } from '../rig/chromium.js';
import type { TapRunConfig, TapRunResult } from './browser/hh-page.js';
import { analyseCapture } from './browser/analyse.js';
import { HH_PAGE, openRuntimePage } from './browser/hh-server.js';

test('browser runtime (model, wasm EP): taps sound at their contacts; backend and contact events', { skip: !chromiumAvailable() && 'no chromium' }, async () => {
  const rig = await openRuntimePage(HH_PAGE);
  const { browser, server } = rig;
  try {
    await browser.page.goto(server.url('/hh-page.html'));
    await browser.page.waitForFunction(() => window.hhTest?.ready === true, undefined, { timeout: 30_000 });
    const contacts = Array.from({ length: 8 }, (_, i) => 0.5 + 0.45 * i);
    const config: TapRunConfig = { contactsSec: contacts, durationSec: contacts.at(-1)! + 0.5, backend: 'wasm', model: 'shipped-live', allowProceduralFallback: false };
    const r: TapRunResult = await browser.page.evaluate((c) => window.hhTest.runTaps(c), config);
    assert.equal(r.createError, null, JSON.stringify(r.createError) + '\n' + browser.log.slice(-30).join('\n'));
    assert.deepEqual(r.errors, [], browser.log.slice(-30).join('\n'));
    const backends = r.events.filter((e) => e.type === 'backend');
    assert.deepEqual(backends.map((e) => e.type === 'backend' && e.backend), ['wasm']);
    const contactEvents = r.events.filter((e) => e.type === 'contact');
    assert.equal(contactEvents.length, contacts.length, JSON.stringify(contactEvents));
    const a = analyseCapture(await Dsp.create(), r, r.contactsAudioSec);
    const lagsMs = a.match.lagsSec.map((s) => s * 1000);
    console.log(`model (wasm) browser latency per tap (ms): ${lagsMs.map((l) => l.toFixed(1)).join(" ")}; create ${r.createSec.toFixed(1)} s; stats ${JSON.stringify(r.stats)}`);
    assert.ok(a.finite, 'non-finite samples in the output');
    assert.ok(a.match.missed <= 1, `taps without sound: ${a.match.missed} of ${contacts.length} (onsets ${a.onsetsSec.map((o) => o.toFixed(3))})`);
    // The live teacher (hh-flow-s-live: trained on the lookahead frames a live tick predicts) with the onset backstop, as
    // a live runtime plays it; the offline hh-flow-s, retrained in session 16, leaves live taps silent more often
    // (models/README.md, "Not the live default"). This bounds the pipeline, not the model.
    assert.ok(percentile(a.match.lagsSec, 0.5) < 0.16, `median latency ${percentile(a.match.lagsSec, 0.5)}`);
    assert.ok(a.peak > 0.01 && a.peak <= 1, `peak ${a.peak}`);
    // Clicks in the model's live output are reported, not asserted (see browser-faults.test.ts and the issue-6 note).
    if (a.clicksSec.length > 0) console.log(`model (wasm): click samples at ${a.clicksSec.slice(0, 10).map((t) => t.toFixed(4))} s (not asserted)`);
    assert.deepEqual(browser.externalRequests, []);
  } finally {
    await rig.close();
  }
});
