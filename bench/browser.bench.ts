/**
 * The in-browser path in headless Chromium (the test rig's launcher and flags; page served cross-origin
 * isolated on 127.0.0.1): the DSP core in a Worker, onnxruntime-web on the shipped model in a Worker (wasm
 * with 1 and 2 threads; WebGPU where an adapter exists — on SwiftShader reported as functional only, not a
 * timing), and the playback AudioWorklet's per-block cost in a real-time AudioContext. One section per case.
 * Skipped (with a note row) when Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { summarize, type BenchOptions, type BenchRow, type BenchSection } from './lib.js';
import { chromiumAvailable } from '../test/rig/chromium.js';
import { openBrowserBench } from './browser/driver.js';
import type { BrowserCaseResult } from './browser/protocol.js';

const MANIFEST = 'hh-flow-s.json';

function toRows(r: BrowserCaseResult): BenchRow[] {
  return r.rows.map((row) => ({
    label: row.label,
    ...(row.samplesMs && row.samplesMs.length > 0 ? { stats: summarize(row.samplesMs), samplesMs: row.samplesMs.slice(0, 4000) } : {}),
    ...(row.values ? { values: row.values } : {}),
  }));
}

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  if (!chromiumAvailable()) {
    return [{ name: 'Browser (headless Chromium)', description: 'Skipped: no Chromium at CHROMIUM_PATH (/usr/bin/chromium).', rows: [{ label: 'skipped', values: { reason: 'no chromium' } }] }];
  }
  const bench = await openBrowserBench();
  try {
    const where = `Chromium ${bench.chromiumVersion}, crossOriginIsolated ${bench.info.crossOriginIsolated}, hardwareConcurrency ${bench.info.hardwareConcurrency}`;
    const sections: BenchSection[] = [];
    const dsp = await bench.dsp(opts.quick ? 10 : 100);
    sections.push({ name: 'Browser: DSP core in a Worker', description: `WASM DSP in a module Worker (${where}). Same kernels as the Node DSP section; per-tick rows are one 64 ms tick of the live vocoder.`, rows: toRows(dsp) });

    const modelRows: BenchRow[] = [];
    const notes: string[] = [];
    if (existsSync(new URL(`../models/${MANIFEST}`, import.meta.url))) {
      // Quick (CI) mode: one session only — creating one takes seconds on a loaded 2-core machine.
      for (const threads of opts.quick ? [1] : [1, 2]) {
        const r = await bench.ort({ ep: 'wasm', threads, reps: opts.quick ? 10 : 200 }, MANIFEST, 300);
        modelRows.push(...toRows(r)); notes.push(...r.notes);
      }
      const gpu = bench.info.webgpu;
      if (gpu.available && !(opts.quick && gpu.software)) {
        try {
          const r = await bench.ort({ ep: 'webgpu', threads: 1, reps: opts.quick ? 3 : 20 }, MANIFEST, 240);
          for (const row of toRows(r)) {
            // A software adapter computes correctly but its times say nothing about a GPU: keep them out of the stats.
            if (gpu.software) modelRows.push({ label: `${row.label} [${gpu.description}]`, values: { 'outputs finite': row.values?.['outputs finite'] ?? '?', timing: 'functional only, not a timing (software adapter)' } });
            else modelRows.push(row);
          }
        } catch (e) {
          modelRows.push({ label: 'ort-web WebGPU', values: { result: `failed: ${(e as Error).message.split('\n')[0]!.slice(0, 120)}` } });
        }
      } else modelRows.push({ label: 'ort-web WebGPU', values: { result: gpu.available ? `not run in --quick on a software adapter (${gpu.description})` : `not run: ${gpu.description}` } });
    } else modelRows.push({ label: 'ort-web', values: { result: `not run: models/${MANIFEST} absent` } });
    sections.push({ name: 'Browser: flow model (onnxruntime-web) in a Worker', description: `Streaming tick of the shipped model, states fed back between ticks, batch 1 (${where}; ${[...new Set(notes)].join('; ')}; WebGPU adapter: ${bench.info.webgpu.description}).`, rows: modelRows });

    const wl = await bench.worklet({ seconds: opts.quick ? 1 : 6, sampleRateHz: 48000, batchBlocks: opts.quick ? 2000 : 20000, batches: opts.quick ? 3 : 20 });
    sections.push({ name: 'Browser: playback AudioWorklet block cost', description: `src/audio/playback-processor.ts (bundled by esbuild) in a real-time AudioContext, fed 64 ms chunks through the ChunkRing with every third chunk replaced (crossfade); per-block process() time (${wl.notes.join('; ')}).`, rows: toRows(wl) });
    return sections;
  } finally {
    await bench.close();
  }
}
