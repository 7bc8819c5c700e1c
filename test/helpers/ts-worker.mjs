// Starts a TypeScript worker under Node: registers tsx inside the worker thread (Node 20 does not pass
// the parent's --import hooks to workers), then loads the module named in workerData.tsModule.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsModule);
