/**
 * A `.jspre` for Node tests: the real UnityBridge over a fake runtime that records what reaches it, so the .jslib's
 * pointer handling and the bridge's rules can be checked without a browser. The recordings are on
 * `globalThis.fakeHearingHands`.
 */
import { HearingHandsError } from '../../src/errors.js';
import type { HandFrame } from '../../src/hand/hand-frame.js';
import { UnityBridge, type BridgeRuntime } from '../../src/unity/unity-bridge.js';
import type { UnityRuntimeOptions } from '../../src/unity/unity-options.js';

type Listener = Parameters<BridgeRuntime['on']>[0];

export interface FakeRecord {
  options: UnityRuntimeOptions[];
  frames: Array<{ timeSec: number; keypoints: number[]; valid: [number, number] }>;
  disposed: number;
  listener: Record<string, number>;
  emit(e: Parameters<Listener>[0]): void;
  /** Set by the test while it is inside a plugin call; SendMessage calls made meanwhile are counted (should be none). */
  inCall: boolean;
  reentrantSends: number;
}

const record: FakeRecord = { options: [], frames: [], disposed: 0, listener: {}, emit: () => undefined, inCall: false, reentrantSends: 0 };
(globalThis as { fakeHearingHands?: FakeRecord }).fakeHearingHands = record;

const param = (name: string) => ({ set value(v: number) { record.listener[name] = v; }, get value() { return record.listener[name] ?? 0; } });

async function createRuntime(options: UnityRuntimeOptions, onEvent: Listener): Promise<BridgeRuntime> {
  record.options.push(options);
  if (options.material === 'unobtainium') {
    // As the runtime does: a fatal error event, then create() rejects with the typed error.
    onEvent({ type: 'error', code: 'UNKNOWN_MATERIAL', message: "unknown material 'unobtainium'", fatal: true } as never);
    throw new HearingHandsError('UNKNOWN_MATERIAL', "unknown material 'unobtainium'");
  }
  if (options.material === 'paper') onEvent({ type: 'error', code: 'MODEL_LOAD', message: 'no model here: procedural fallback', fatal: false } as never);
  const listeners = new Set<Listener>([onEvent]);
  record.emit = (e) => { for (const l of listeners) l(e); };
  const listener = Object.fromEntries(['positionX', 'positionY', 'positionZ', 'forwardX', 'forwardY', 'forwardZ', 'upX', 'upY', 'upZ'].map((n) => [n, param(n)]));
  const runtime = {
    context: { listener, baseLatency: 0.01, outputLatency: 0.02 } as unknown as AudioContext,
    push(f: HandFrame) { record.frames.push({ timeSec: f.timeSec, keypoints: Array.from(f.keypointsM), valid: [f.valid[0]!, f.valid[1]!] }); },
    on(l: Listener) { listeners.add(l); return () => listeners.delete(l); },
    stats() {
      return { generator: 'procedural' as const, backend: 'procedural' as const, steps: 7, chunks: 5, refusedChunks: 0, lastStepMs: 1.5, underruns: 2, lateChunks: 0, droppedHandFrames: 0 };
    },
    async dispose() { record.disposed++; },
  };
  return runtime as unknown as BridgeRuntime;
}

let clock = 100;
export function createUnityBridge(sendMessage: (gameObject: string, method: string, payload: string) => void): UnityBridge {
  return new UnityBridge({
    createRuntime,
    sendMessage: (g, m, p) => {
      if (record.inCall) record.reentrantSends++;
      sendMessage(g, m, p);
    },
    nowSec: () => (clock += 0.011), // a 90 Hz headset
  });
}
