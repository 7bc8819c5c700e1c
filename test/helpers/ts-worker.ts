import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts a worker thread running a TypeScript file (through tsx); `data`'s fields join workerData. */
export function startTsWorker(entry: URL, data: Record<string, unknown> = {}, options: WorkerOptions = {}): Worker {
  return new Worker(new URL('./ts-worker.mjs', import.meta.url), {
    ...options,
    workerData: { ...data, tsModule: entry.href },
  });
}
