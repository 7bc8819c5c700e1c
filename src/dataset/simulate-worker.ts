/** Worker thread of simulateDataset: writes its share of the planned sounds and reports each one. */
import { parentPort, workerData } from 'node:worker_threads';
import { Dsp } from '../dsp/index.js';
import { planDataset } from './plan.js';
import { writeSound } from './writer.js';
import type { WorkerJob, WorkerMessage } from './simulate.js';

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  const plan = planDataset(job.seed, job.hours);
  const dsp = await Dsp.create();
  for (const index of job.indices) {
    const w = writeSound(job.out, plan, plan.sounds[index]!, dsp);
    post({ type: 'done', index, bytes: w.bytes, impacts: w.impacts });
  }
  dsp.dispose();
} catch (e) {
  post({ type: 'error', message: (e as Error).message, code: (e as { code?: string }).code });
}
