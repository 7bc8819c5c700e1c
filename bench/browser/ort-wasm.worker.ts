/** onnxruntime-web (wasm build) in a Worker, where the live model runs; one Worker per thread count (ort fixes threads at its first session). */
import * as ort from 'onnxruntime-web/wasm';
import { ortTickCase } from './ort-tick.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  let reply: WorkerReply;
  try {
    if (e.data.type !== 'ort') throw new Error(`ort worker cannot run '${e.data.type}'`);
    reply = { type: 'result', result: await ortTickCase(ort as never, e.data) };
  } catch (err) {
    reply = { type: 'error', message: String((err as Error)?.stack ?? err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
