// The browser runtime end to end in headless Chromium: a hand taps in real time; what the real playback worklet
// played (captured by a recorder worklet) must sound at each contact, soon after it, without clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { percentile } from '../../src/runtime/latency.js';
import { chromiumAvailable } from '../rig/chromium.js';
import type { TapRunConfig, TapRunResult } from './browser/hh-page.js';
import { analyseCapture } from './browser/analyse.js';
import { HH_PAGE, openRuntimePage } from './browser/hh-server.js';

test('browser runtime (procedural): taps sound at their contacts through Worker → ChunkRing → AudioWorklet', { skip: !chromiumAvailable() && 'no chromium' }, async () => {
  const rig = await openRuntimePage(HH_PAGE);
  const { browser, server } = rig;
  try {
    await browser.page.goto(server.url('/hh-page.html'));
    await browser.page.waitForFunction(() => window.hhTest?.ready === true, undefined, { timeout: 30_000 });
    const contacts = [0.4, 0.8, 1.2, 1.6, 2.0, 2.4];
    const config: TapRunConfig = { contactsSec: contacts, durationSec: 2.8, backend: 'procedural' };
    const r: TapRunResult = await browser.page.evaluate((c) => window.hhTest.runTaps(c), config);
    assert.deepEqual(r.errors, [], browser.log.join('\n'));
    const a = analyseCapture(await Dsp.create(), r, r.contactsAudioSec);
    const lagsMs = a.match.lagsSec.map((s) => s * 1000);
    console.log(`browser latency per tap (ms): ${lagsMs.map((l) => l.toFixed(1)).join(' ')}; stats ${JSON.stringify(r.stats)}`);
    assert.ok(a.match.missed <= 1, `taps without sound: ${a.match.missed} of ${contacts.length} (onsets ${a.onsetsSec.map((o) => o.toFixed(3))})`);
    // Headless Chromium on SwiftShader, 2 shared cores: a generous bound here; the bench reports the distribution.
    assert.ok(percentile(a.match.lagsSec, 0.5) < 0.06, `median latency ${percentile(a.match.lagsSec, 0.5)}`);
    assert.ok(a.peak > 0.01 && a.peak <= 1, `peak ${a.peak}`);
    assert.deepEqual(a.clicksSec, [], `clicks at ${a.clicksSec.slice(0, 10).map((t) => t.toFixed(4))} s`);
    assert.deepEqual(browser.externalRequests, []);
  } finally {
    await rig.close();
  }
});
