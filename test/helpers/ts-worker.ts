import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts a worker thread running a TypeScript file (through tsx); `data` arrives as workerData.data. */
export function startTsWorker(entry: URL, data?: unknown, options: WorkerOptions = {}): Worker {
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    ...options,
    workerData: { entry: entry.href, data },
  });
}
