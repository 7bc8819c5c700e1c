/**
 * Motion-to-sound latency of the real browser runtime (HearingHands in headless Chromium: HandRing → sampler Worker →
 * ChunkRing → playback AudioWorklet, captured by a recorder worklet after it), per backend: a hand taps in real time
 * (tapTrajectory at 90 Hz, contacts 0.45 s apart); latency = first onset of a contact's sound in the captured output −
 * the hand frame that first shows the contact (pipeline only: no tracker or device output latency; the page → audio
 * clock offset is the smallest currentTime − performance.now() reading). Also the sampler's per-stage times and the
 * model's real-time factor (audio generated / compute spent in conditioning + model + vocoder).
 */
import { Dsp } from '../../src/dsp/index.js';
import { percentile } from '../../src/runtime/latency.js';
import { analyseCapture, lateContactLines } from '../../test/runtime/browser/analyse.js';
import type { TapRunConfig, TapRunResult } from '../../test/runtime/browser/hh-page.js';
import { HH_PAGE, openRuntimePage } from '../../test/runtime/browser/hh-server.js';
import { summarize, type BenchRow } from '../lib.js';

export interface RuntimeLatencyCase { label: string; config: Omit<TapRunConfig, 'contactsSec' | 'durationSec'>; contacts: number }

const RATE_HZ = 90, SPACING_SEC = 0.45;
/** HH_BENCH_DIAG=1: the model cases report the onset backstop's decisions, printed for each contact heard > 20 ms late. */
const DIAG = process.env['HH_BENCH_DIAG'] === '1';

/** One run covers at most this many contacts (a run holds its whole capture in the page). */
const PER_RUN = 100;

export async function runtimeLatencyRows(cases: RuntimeLatencyCase[]): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rig = await openRuntimePage(HH_PAGE);
  const dsp = await Dsp.create();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    await rig.browser.page.goto(rig.server.url('/hh-page.html'));
    await rig.browser.page.waitForFunction(() => window.hhTest?.ready === true, undefined, { timeout: 60_000 });
    for (const c of cases) {
      const fromFrameMs: number[] = [], fromContactMs: number[] = [];
      let struck = 0, judged = 0, retimed = 0;
      let missed = 0, contacts = 0, ticks = 0, modelMs = 0, vocoderMs = 0, conditioningMs = 0, underruns = 0, lateChunks = 0, createSec = 0, clicks = 0;
      const backends = new Set<string>();
      for (let done = 0; done < c.contacts; done += PER_RUN) {
        const n = Math.min(PER_RUN, c.contacts - done);
        const contactsSec = Array.from({ length: n }, (_, i) => 0.5 + SPACING_SEC * i + 0.013 * (i % 7)); // phases vs the 90 Hz frames vary
        const config: TapRunConfig = { ...c.config, contactsSec, durationSec: contactsSec.at(-1)! + 0.5, rateHz: RATE_HZ, ...(DIAG ? { reportBackstop: true } : {}) };
        const r: TapRunResult = await rig.browser.page.evaluate((cfg) => window.hhTest.runTaps(cfg), config);
        if (r.createError) throw new Error(`${c.label}: ${r.createError.code} ${r.createError.message}`);
        for (const e of r.events) if (e.type === 'backend') backends.add(e.backend);
        // The first hand frame at or after each contact instant, on the audio clock.
        const frameAudioSec = contactsSec.map((t, i) => r.contactsAudioSec[i]! + Math.ceil(t * RATE_HZ - 1e-9) / RATE_HZ - t);
        const a = analyseCapture(dsp, r, frameAudioSec, 0.2);
        const b = analyseCapture(dsp, r, r.contactsAudioSec, 0.2);
        if (DIAG) for (const line of lateContactLines(a, frameAudioSec, r.events.flatMap((e) => (e.type === 'backstop' ? [e] : [])), 0.02)) console.error(line);
        fromFrameMs.push(...a.match.lagsSec.filter((l) => !Number.isNaN(l)).map((l) => l * 1000));
        fromContactMs.push(...b.match.lagsSec.filter((l) => !Number.isNaN(l)).map((l) => l * 1000));
        missed += a.match.missed; contacts += n; clicks += a.clicksSec.length;
        ticks += r.stats.ticks; modelMs += r.stats.modelMs; vocoderMs += r.stats.vocoderMs; conditioningMs += r.stats.conditioningMs;
        underruns += r.stats.underruns; lateChunks += r.stats.lateChunks; createSec += r.createSec;
        struck += r.stats.backstopSounded; judged += r.stats.backstopImpacts; retimed += r.stats.backstopRetimed;
      }
      const tickAudioMs = (4 * 256 * 1000) / 16000;
      const computeMs = modelMs + vocoderMs + conditioningMs;
      rows.push({
        label: `${c.label}: contact frame → sound`,
        ...(fromFrameMs.length > 0 ? { stats: summarize(fromFrameMs), samplesMs: fromFrameMs } : {}),
        values: {
          contacts, missed, 'p50 from contact instant (ms)': percentile(fromContactMs, 0.5), 'p95 from contact instant (ms)': percentile(fromContactMs, 0.95),
          backends: [...backends].join('→'), ...(judged > 0 ? { 'onset backstop struck': `${struck} of ${judged}`, 'late model onsets moved': retimed } : {}), underruns, 'late chunks': lateChunks, 'click samples': clicks, 'create (s)': createSec / Math.ceil(c.contacts / PER_RUN),
          ...(ticks > 0 ? {
            'model ms/tick': modelMs / ticks, 'vocoder ms/tick': vocoderMs / ticks, 'conditioning ms/tick': conditioningMs / ticks,
            'real-time factor': (ticks * tickAudioMs) / computeMs,
          } : {}),
        },
      });
    }
    notes.push(`Chromium ${rig.browser.context.browser()?.version() ?? ''}`.trim());
  } finally {
    await rig.close();
  }
  return { rows, notes };
}
