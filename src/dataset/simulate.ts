/**
 * Generates a whole simulated dataset: plans it from the seed, writes the sounds on worker threads (each
 * sound is independent and seeded by its name, so the split across workers never changes a byte), then
 * writes the manifest and splits. Reports progress through a callback.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import { Dsp } from '../dsp/index.js';
import { planDataset, type DatasetPlan } from './plan.js';
import { writeManifest, writeSound } from './writer.js';

export interface SimulateOptions {
  out: string;
  hours: number;
  seed: number;
  workers?: number;
  /**
   * Write only these sounds of the plan (plan indices; default all) — e.g. the evaluation split of a big dataset
   * trained elsewhere. Their bytes are the same as in the whole dataset; split.json then lists only them.
   */
  soundIndices?: readonly number[];
  onProgress?: (done: number, total: number) => void;
}

export interface SimulateSummary {
  plan: DatasetPlan;
  sounds: number;
  items: number;
  bytes: number;
  impacts: number;
  wallSec: number;
  workers: number;
}

export interface WorkerJob { out: string; seed: number; hours: number; indices: number[] }
export type WorkerMessage = { type: 'done'; index: number; bytes: number; impacts: number } | { type: 'error'; message: string; code?: string };

export async function simulateDataset(opts: SimulateOptions): Promise<SimulateSummary> {
  const t0 = performance.now();
  const plan = planDataset(opts.seed, opts.hours);
  const chosen = opts.soundIndices ? [...new Set(opts.soundIndices)].sort((a, b) => a - b) : plan.sounds.map((p) => p.index);
  for (const i of chosen) if (!Number.isInteger(i) || !plan.sounds[i]) throw new InvalidArgumentError(`sound index ${i} is not in the plan (0…${plan.sounds.length - 1})`);
  const total = chosen.length;
  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(2, availableParallelism()), total));
  if (!Number.isInteger(workers) || workers > 64) throw new InvalidArgumentError(`workers must be an integer in 1…64, got ${opts.workers}`);
  let done = 0, bytes = 0, impacts = 0;
  if (workers === 1) {
    const dsp = await Dsp.create();
    for (const i of chosen) {
      const w = writeSound(opts.out, plan, plan.sounds[i]!, dsp);
      bytes += w.bytes; impacts += w.impacts; done++;
      opts.onProgress?.(done, total);
    }
    dsp.dispose();
  } else {
    const isTs = import.meta.url.endsWith('.ts');
    const url = new URL(isTs ? './simulate-worker.ts' : './simulate-worker.js', import.meta.url);
    await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<void>((resolve, reject) => {
      const job: WorkerJob = { out: opts.out, seed: opts.seed, hours: opts.hours, indices: chosen.filter((_, k) => k % workers === w) };
      // Under tsx (the CLI runs from source) a worker needs the TypeScript loader registered in its own thread.
      const worker = isTs
        ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: job })
        : new Worker(url, { workerData: job });
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'done') { done++; bytes += m.bytes; impacts += m.impacts; opts.onProgress?.(done, total); }
        else reject(new Error(`simulate worker failed: ${m.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`simulate worker exited with code ${code}`))));
    })));
  }
  bytes += writeManifest(opts.out, plan, opts.soundIndices ? new Set(chosen) : undefined);
  return { plan, sounds: total, items: total * 3, bytes, impacts, wallSec: (performance.now() - t0) / 1000, workers };
}
