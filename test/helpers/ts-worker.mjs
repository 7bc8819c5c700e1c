// Worker bootstrap for tests: Node 20 worker threads do not inherit tsx's loader, so register it here and then
// import the TypeScript entry named in workerData.entry (a file URL string).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
