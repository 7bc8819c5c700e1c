/**
 * The web side of the Unity WebGL plugin: a table of runtime instances addressed by int handles, fed from Unity's
 * heap. The `.jslib` (unity/Plugins/WebGL/HearingHands.jslib) owns everything Emscripten-specific (pointers,
 * `HEAPF32`, `UTF8ToString`, `SendMessage`) and calls this with plain numbers, typed arrays and strings.
 *
 * Rules, because every call comes from Unity's frame loop:
 * - Nothing throws back into Unity: bad input returns a negative BridgeResult, and problems that the game should
 *   hear about go to its GameObject through SendMessage (each kind once per instance, not once per frame).
 * - `pushFrame` allocates nothing: it copies the 126 floats out of the heap into the instance's one HandFrame.
 * - SendMessage is never called from inside a call from Unity (re-entering the player mid-frame): it is queued
 *   as a microtask and runs when the plugin call has returned.
 */
import { HearingHandsError } from '../errors.js';
import { HandFrame } from '../hand/hand-frame.js';
import { deliverFrame, emptyStats, type HandSourceStats } from '../hand/source.js';
import type { HearingHands } from '../runtime/browser/hearing-hands.js';
import {
  BACKEND_CODES, BridgeResult, GENERATOR_CODES, INSTANCE_STATES, UNITY_CALLBACKS, UNITY_FRAME_FLOATS, UNITY_POSE_FLOATS,
  UNITY_STATS_FIELDS, VALID_LEFT, VALID_RIGHT, type InstanceState,
} from './unity-abi.js';
import { parseUnityOptions, type UnityRuntimeOptions } from './unity-options.js';

/** What the bridge needs of a runtime instance (HearingHands; a fake in unit tests). */
export type BridgeRuntime = Pick<HearingHands, 'push' | 'on' | 'stats' | 'dispose' | 'context'> & Partial<Pick<HearingHands, 'setListener'>>;
export type RuntimeEvent = Parameters<Parameters<HearingHands['on']>[0]>[0];

export interface UnityBridgeOptions {
  /** Starts a runtime; `onEvent` hears its events from the start (start-up ones too: a model's fallback reason). */
  createRuntime(options: UnityRuntimeOptions, onEvent: (e: RuntimeEvent) => void): Promise<BridgeRuntime>;
  /** Unity's SendMessage(gameObjectName, methodName, stringArgument). */
  sendMessage(gameObject: string, method: string, payload: string): void;
  /** Frame timestamps: page seconds, the clock HearingHands expects (default performance.now() / 1000). */
  nowSec?: () => number;
}

interface Instance {
  readonly handle: number;
  readonly gameObject: string;
  state: InstanceState;
  runtime: BridgeRuntime | null;
  readonly frame: HandFrame;
  readonly stats: HandSourceStats;
  lastTimeSec: number;
  readonly deliver: (frame: HandFrame) => void;
  /** Problems already reported to the GameObject (each kind once). */
  readonly reported: Set<string>;
  /** The runtime's own 'ready' event was forwarded (else the bridge sends one when create resolves). */
  readySent: boolean;
}

export class UnityBridge {
  private readonly instances = new Map<number, Instance>();
  private nextHandle = 1;
  private readonly nowSec: () => number;

  constructor(private readonly options: UnityBridgeOptions) {
    this.nowSec = options.nowSec ?? (() => performance.now() / 1000);
  }

  /**
   * Starts an instance and returns its handle (> 0) at once; `OnHearingHandsReady` or `OnHearingHandsError`
   * follows when the sampler has started or failed. Options that cannot be read: 0, and the error is reported.
   */
  create(optionsJson: string, gameObject: string): number {
    let options: UnityRuntimeOptions;
    try {
      options = parseUnityOptions(optionsJson);
    } catch (e) {
      this.send(gameObject, UNITY_CALLBACKS.error, { handle: 0, ...describe(e) });
      return 0;
    }
    const handle = this.nextHandle++;
    const inst: Instance = {
      handle, gameObject, state: 'starting', runtime: null, frame: new HandFrame(), stats: emptyStats(),
      lastTimeSec: -Infinity, reported: new Set(), readySent: false,
      deliver: (f) => inst.runtime?.push(f),
    };
    this.instances.set(handle, inst);
    this.options.createRuntime(options, (e) => this.forward(inst, e)).then((runtime) => {
      if (inst.state === 'disposed') { void runtime.dispose(); return; }
      inst.runtime = runtime;
      inst.state = 'ready';
      if (!inst.readySent) {
        const { generator, backend } = runtime.stats();
        this.send(gameObject, UNITY_CALLBACKS.ready, { handle, generator, backend });
      }
    }, (e: unknown) => {
      if (inst.state === 'disposed') return;
      inst.state = 'failed';
      this.send(gameObject, UNITY_CALLBACKS.error, { handle, ...describe(e) });
    });
    return handle;
  }

  dispose(handle: number): number {
    const inst = this.instances.get(handle);
    if (!inst) return BridgeResult.unknownHandle;
    inst.state = 'disposed';
    this.instances.delete(handle);
    if (inst.runtime) void inst.runtime.dispose();
    return BridgeResult.ok;
  }

  /**
   * One Unity frame: `count` floats at `heap[offset]` (2 × 21 × xyz, module frame) and which hands are tracked
   * (`validMask`: 1 left, 2 right). Stamped with the page clock here. A hand with a NaN/±Infinity coordinate is
   * dropped (counted in the stats, reported once), the other hand still plays.
   */
  pushFrame(handle: number, heap: Float32Array, offset: number, count: number, validMask: number): number {
    const inst = this.instances.get(handle);
    if (!inst) return BridgeResult.unknownHandle;
    if (count !== UNITY_FRAME_FLOATS || offset < 0 || offset + count > heap.length) {
      this.reportOnce(inst, 'frame-length', 'INVALID_ARGUMENT', `a frame is ${UNITY_FRAME_FLOATS} floats (2 hands × 21 keypoints × xyz), got ${count}`);
      return BridgeResult.badLength;
    }
    if (inst.state !== 'ready') return BridgeResult.notDelivered;
    const f = inst.frame;
    const kp = f.keypointsM;
    for (let i = 0; i < UNITY_FRAME_FLOATS; i++) kp[i] = heap[offset + i]!;
    f.valid[0] = validMask & VALID_LEFT ? 1 : 0;
    f.valid[1] = validMask & VALID_RIGHT ? 1 : 0;
    f.timeSec = this.nowSec();
    const nonFiniteBefore = inst.stats.nonFiniteHands;
    const delivered = deliverFrame(f, inst.lastTimeSec, inst.deliver, inst.stats);
    if (delivered) inst.lastTimeSec = f.timeSec;
    if (inst.stats.nonFiniteHands !== nonFiniteBefore) {
      this.reportOnce(inst, 'non-finite', 'INVALID_ARGUMENT', 'a hand had NaN/Infinity joint coordinates: that hand was dropped from the frame (later ones are counted in the stats, nonFiniteHands)');
    }
    return delivered ? BridgeResult.ok : BridgeResult.notDelivered;
  }

  /**
   * The listener (the user's head): position, forward and up (`UNITY_POSE_FLOATS` floats, module frame) on the
   * AudioContext's listener, for whatever spatialises the output.
   */
  setListenerPose(handle: number, heap: Float32Array, offset: number, count: number): number {
    const inst = this.instances.get(handle);
    if (!inst) return BridgeResult.unknownHandle;
    if (count !== UNITY_POSE_FLOATS || offset < 0 || offset + count > heap.length) {
      this.reportOnce(inst, 'pose-length', 'INVALID_ARGUMENT', `a listener pose is ${UNITY_POSE_FLOATS} floats (position, forward, up), got ${count}`);
      return BridgeResult.badLength;
    }
    if (!inst.runtime) return BridgeResult.notDelivered;
    for (let i = 0; i < UNITY_POSE_FLOATS; i++) {
      const v = heap[offset + i]!;
      if (v - v !== 0) { // NaN or ±Infinity: keep the last good pose
        this.reportOnce(inst, 'pose-non-finite', 'INVALID_ARGUMENT', 'a listener pose had NaN/Infinity: ignored');
        return BridgeResult.notDelivered;
      }
    }
    const l = inst.runtime.context.listener;
    const p = offset;
    if (l.positionX) {
      l.positionX.value = heap[p]!; l.positionY.value = heap[p + 1]!; l.positionZ.value = heap[p + 2]!;
      l.forwardX.value = heap[p + 3]!; l.forwardY.value = heap[p + 4]!; l.forwardZ.value = heap[p + 5]!;
      l.upX.value = heap[p + 6]!; l.upY.value = heap[p + 7]!; l.upZ.value = heap[p + 8]!;
    } else { // browsers without the AudioParam listener
      l.setPosition(heap[p]!, heap[p + 1]!, heap[p + 2]!);
      l.setOrientation(heap[p + 3]!, heap[p + 4]!, heap[p + 5]!, heap[p + 6]!, heap[p + 7]!, heap[p + 8]!);
    }
    // The runtime's own voices (its binaural panners keep the head themselves; HRTF ones read the listener above).
    inst.runtime.setListener?.({ x: heap[p]!, y: heap[p + 1]!, z: heap[p + 2]! }, { x: heap[p + 3]!, y: heap[p + 4]!, z: heap[p + 5]! },
      { x: heap[p + 6]!, y: heap[p + 7]!, z: heap[p + 8]! });
    return BridgeResult.ok;
  }

  /**
   * The touched material, after creation. The runtime takes its material once, at create (the `material` option);
   * until it can change it live this answers `unsupported` and tells the GameObject once: recreate the instance.
   */
  setMaterial(handle: number, material: string): number {
    const inst = this.instances.get(handle);
    if (!inst) return BridgeResult.unknownHandle;
    this.reportOnce(inst, 'set-material', 'BACKEND_UNAVAILABLE', `cannot change the material of a running instance (asked for '${material}'): pass it in the options at create`);
    return BridgeResult.unsupported;
  }

  /**
   * Writes up to `capacity` floats of the stats block (order: UNITY_STATS_FIELDS) at `heap[offset]`; returns how
   * many it wrote. An instance that failed or is still starting still answers (state, zeros).
   */
  getStats(handle: number, heap: Float32Array, offset: number, capacity: number): number {
    const inst = this.instances.get(handle);
    if (!inst) return BridgeResult.unknownHandle;
    const n = Math.min(capacity, UNITY_STATS_FIELDS.length, heap.length - offset);
    if (n <= 0 || offset < 0) return BridgeResult.badLength;
    const s = inst.runtime?.stats();
    const ctx = inst.runtime?.context;
    for (let i = 0; i < n; i++) {
      let v = 0;
      switch (UNITY_STATS_FIELDS[i]!) {
        case 'state': v = INSTANCE_STATES.indexOf(inst.state); break;
        case 'generator': v = Math.max(0, GENERATOR_CODES.indexOf(s?.generator ?? 'starting')); break;
        case 'backend': v = Math.max(0, BACKEND_CODES.indexOf(s?.backend ?? 'starting')); break;
        case 'steps': v = s?.steps ?? 0; break;
        case 'chunks': v = s?.chunks ?? 0; break;
        case 'refusedChunks': v = s?.refusedChunks ?? 0; break;
        case 'lastStepMs': v = s?.lastStepMs ?? 0; break;
        case 'underruns': v = s?.underruns ?? 0; break;
        case 'lateChunks': v = s?.lateChunks ?? 0; break;
        case 'droppedHandFrames': v = s?.droppedHandFrames ?? 0; break;
        case 'framesDelivered': v = inst.stats.frames; break;
        case 'nonFiniteHands': v = inst.stats.nonFiniteHands; break;
        case 'outputLatencySec': v = ctx ? (ctx.baseLatency ?? 0) + (ctx.outputLatency ?? 0) : 0; break;
      }
      heap[offset + i] = v;
    }
    return n;
  }

  private forward(inst: Instance, e: RuntimeEvent): void {
    if (inst.state === 'disposed') return;
    const { handle, gameObject } = inst;
    // A fatal error while starting rejects create(), which reports it: once is enough.
    if (e.type === 'error' && e.fatal && inst.state === 'starting') return;
    if (e.type === 'ready') inst.readySent = true;
    if (e.type === 'ready') this.send(gameObject, UNITY_CALLBACKS.ready, { handle, generator: e.generator, backend: e.backend });
    else if (e.type === 'error') this.send(gameObject, UNITY_CALLBACKS.error, { handle, code: e.code, message: e.message });
    else if (e.type === 'backend') this.send(gameObject, UNITY_CALLBACKS.backend, { handle, backend: e.backend, previous: e.previous, reason: e.reason });
    else this.send(gameObject, UNITY_CALLBACKS.event, { handle, ...e });
  }

  private reportOnce(inst: Instance, kind: string, code: string, message: string): void {
    if (inst.reported.has(kind)) return;
    inst.reported.add(kind);
    this.send(inst.gameObject, UNITY_CALLBACKS.error, { handle: inst.handle, code, message });
  }

  private send(gameObject: string, method: string, payload: object): void {
    const json = JSON.stringify(payload);
    queueMicrotask(() => {
      try { this.options.sendMessage(gameObject, method, json); } catch { /* a missing GameObject is Unity's to log */ }
    });
  }
}

function describe(e: unknown): { code: string; message: string } {
  if (e instanceof HearingHandsError) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
