/** onnxruntime-web's WebGPU build in a Worker (the WebGPU execution provider; on SwiftShader a functional check only). */
import * as ort from 'onnxruntime-web/webgpu';
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
