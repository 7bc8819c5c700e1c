/**
 * The procedural baseline as a streaming runtime backend: live hand frames in (any rate, scene frame,
 * metres), 16 kHz audio blocks out. It runs the same contact geometry and ContactSoundEngine as the
 * simulated capture, so "what the dataset sounds like" and "what the fallback plays" are one thing.
 * Without a scene it assumes one flat surface of the given material at y = surfaceHeightM.
 *
 * Timing: sample 0 is frame time 0. An impact found between two frames is placed at its interpolated
 * crossing time; if that sample was already rendered it plays at once (latency = one block at most).
 */
import { InvalidArgumentError } from '../errors.js';
import { ContactTracker, type HandContact, type ImpactEvent } from './contact.js';
import { ContactSoundEngine } from './engine.js';
import { HAND_VALUES } from './hand-skeleton.js';
import { instantiateMaterial, type MaterialInstance } from './materials.js';
import { Room, type RoomOptions } from './room.js';
import { copyState } from './state-copy.js';
import { makeSurface, type Scene, type Surface } from './scene.js';

/** Structurally a src/hand HandFrame: 126 floats (left then right hand), per-hand validity, time. */
export interface LiveHandFrame {
  timeSec: number;
  keypointsM: ArrayLike<number>;
  valid: ArrayLike<number>;
}

export interface ProceduralBackendOptions {
  sampleRate?: number;
  /** A material name (or instance) for a single flat surface; ignored when `scene` is given. */
  material?: string | MaterialInstance;
  surfaceHeightM?: number;
  scene?: Scene;
  /** Room and noise floor (false = dry). */
  room?: boolean | RoomOptions;
  seed?: number;
}

/** The surfaces the procedural engine plays: the scene's, or one flat surface of `material` at y = `surfaceHeightM`. */
export function liveSurfaces(opts: Pick<ProceduralBackendOptions, 'scene' | 'material' | 'surfaceHeightM'>): readonly Surface[] {
  if (opts.scene) return opts.scene.surfaces;
  const m = typeof opts.material === 'string' || opts.material === undefined ? instantiateMaterial(opts.material ?? 'wood') : opts.material;
  const h = opts.surfaceHeightM ?? 0;
  if (!Number.isFinite(h)) throw new InvalidArgumentError(`surfaceHeightM must be finite, got ${h}`);
  return [makeSurface(0, m, [0, h, 0], [0, 1, 0], 1000, 1000, 1)];
}

/** One contact-sound engine per surface, each seeded from `seed` and the surface's index. */
export function surfaceEngines(surfaces: readonly Surface[], sampleRate: number, seed = 1): ContactSoundEngine[] {
  return surfaces.map((s) => new ContactSoundEngine(s.material, { sampleRate, seed: seed * 131 + s.index }));
}

/** The room of live playback (null for `room: false`): the scene's reverb, and no noise floor unless asked for. */
export function liveRoomOptions(sampleRate: number, opts: Pick<ProceduralBackendOptions, 'scene' | 'room'>): RoomOptions | null {
  if (opts.room === false) return null;
  // Live playback wants the room but not a recorder's hiss.
  return { sampleRate, noiseFloorDb: -Infinity, ...(opts.scene ? { t60Sec: opts.scene.roomT60Sec, wetGain: opts.scene.roomWetGain } : {}), ...(typeof opts.room === 'object' ? opts.room : {}) };
}

/** Live hand frames into the contact tracker (strikes anticipated): each `update` leaves that frame's impacts and contacts. */
export class FrameContactTracker {
  readonly impacts: ImpactEvent[] = [];
  readonly contacts: HandContact[] = [];
  private readonly tracker: ContactTracker;
  private readonly hands = [new Float64Array(HAND_VALUES), new Float64Array(HAND_VALUES)];
  private readonly handRefs: (Float64Array | null)[] = [null, null];

  constructor(surfaces: readonly Surface[]) {
    this.tracker = new ContactTracker(surfaces, 2, { anticipate: true });
  }

  /** The frame's hands must be finite where valid (NaN keypoints raise InvalidTrajectoryError). */
  update(frame: LiveHandFrame): void {
    for (let h = 0; h < 2; h++) {
      if (frame.valid[h]) {
        const dst = this.hands[h]!;
        for (let i = 0; i < HAND_VALUES; i++) dst[i] = frame.keypointsM[h * HAND_VALUES + i]!;
        this.handRefs[h] = dst;
      } else this.handRefs[h] = null;
    }
    this.impacts.length = 0;
    this.tracker.update(frame.timeSec, this.handRefs, this.impacts, this.contacts);
  }
}

export class ProceduralBackend {
  readonly sampleRate: number;
  readonly surfaces: readonly Surface[];
  private tracker: FrameContactTracker;
  private readonly engines: ContactSoundEngine[];
  private readonly room: Room | null;
  private readonly force: Float64Array; private readonly speed: Float64Array; private readonly compression: Float64Array;
  private lastFrameSec = -Infinity;
  /** Impacts seen so far (for HUDs and tests), with the sample they were scheduled at. */
  readonly impactLog: (ImpactEvent & { scheduledSample: number })[] = [];

  constructor(opts: ProceduralBackendOptions = {}) {
    const fs = opts.sampleRate ?? 16000;
    if (!(fs >= 8000 && fs <= 192000)) throw new InvalidArgumentError(`sampleRate must be in 8000…192000 Hz, got ${fs}`);
    this.sampleRate = fs;
    this.surfaces = liveSurfaces(opts);
    this.tracker = new FrameContactTracker(this.surfaces);
    this.engines = surfaceEngines(this.surfaces, fs, opts.seed);
    this.force = new Float64Array(this.surfaces.length);
    this.speed = new Float64Array(this.surfaces.length);
    this.compression = new Float64Array(this.surfaces.length);
    const roomOpts = liveRoomOptions(fs, opts);
    this.room = roomOpts ? new Room(roomOpts) : null;
  }

  /** Absolute index of the next sample `render` writes. */
  get samplePosition(): number { return this.engines[0]!.samplePosition; }

  /** Feeds one hand frame (frames must arrive in time order; NaN keypoints raise InvalidTrajectoryError). */
  pushFrame(frame: LiveHandFrame): void {
    if (!(frame.timeSec > this.lastFrameSec)) {
      if (frame.timeSec === this.lastFrameSec) return; // duplicate frame: nothing new
      throw new InvalidArgumentError(`frames must arrive in time order (got t=${frame.timeSec} after t=${this.lastFrameSec})`);
    }
    if (frame.keypointsM.length !== 2 * HAND_VALUES) throw new InvalidArgumentError(`a frame holds ${2 * HAND_VALUES} floats, got ${frame.keypointsM.length}`);
    this.lastFrameSec = frame.timeSec;
    this.tracker.update(frame);
    for (const imp of this.tracker.impacts) {
      const e = this.engines[imp.surfaceIndex]!;
      const at = Math.max(e.samplePosition, Math.round(imp.timeSec * this.sampleRate));
      e.impact(at, { speedMps: Math.min(imp.speedMps, 30), part: imp.part });
      this.impactLog.push({ ...imp, scheduledSample: at });
      if (this.impactLog.length > 256) this.impactLog.shift();
    }
    this.force.fill(0); this.speed.fill(0); this.compression.fill(0);
    for (const c of this.tracker.contacts) {
      if (!c.touching) continue;
      const s = c.surfaceIndex;
      this.force[s]! += c.normalForceN;
      this.speed[s] = Math.max(this.speed[s]!, c.slideSpeedMps);
      this.compression[s] = Math.max(this.compression[s]!, Math.abs(c.compressionSpeedMps));
    }
    // The frame describes time `timeSec`, which may lie ahead of what has been rendered: sliding and
    // pressing change from that sample on, not from the next block's start.
    const at = Math.round(frame.timeSec * this.sampleRate);
    if (at <= this.samplePosition) this.applyContact(this.speed, this.force, this.compression);
    else {
      if (this.pending.length >= 64) this.pending.shift();
      this.pending.push({ sample: at, speed: this.speed.slice(), force: this.force.slice(), compression: this.compression.slice() });
    }
  }

  private readonly pending: { sample: number; speed: Float64Array; force: Float64Array; compression: Float64Array }[] = [];

  private applyContact(speed: Float64Array, force: Float64Array, compression: Float64Array): void {
    for (let s = 0; s < this.engines.length; s++) this.engines[s]!.setContact(speed[s]!, force[s]!, compression[s]!);
  }

  /** Writes the next out.length samples (overwrites `out`). */
  render(out: Float32Array): void {
    out.fill(0);
    let done = 0;
    while (done < out.length) {
      const pos = this.samplePosition;
      const next = this.pending[0];
      if (next && next.sample <= pos) { this.pending.shift(); this.applyContact(next.speed, next.force, next.compression); continue; }
      const len = next ? Math.min(out.length - done, next.sample - pos) : out.length - done;
      for (const e of this.engines) e.process(out, done, len);
      done += len;
    }
    this.room?.process(out);
  }

  /**
   * Makes this backend's sound continue exactly as `other`'s would from its present sample on: the engines' and the
   * room's state and the contact changes still pending (not the contact tracker: frames keep going to `other`). Both
   * must have been built with the same options. A speculative render is a twin's render ahead of the original.
   */
  copySoundStateFrom(other: ProceduralBackend): void {
    for (let i = 0; i < this.engines.length; i++) copyState(this.engines[i]!, other.engines[i]!);
    if (this.room && other.room) copyState(this.room, other.room);
    this.pending.length = 0;
    for (const p of other.pending) this.pending.push({ sample: p.sample, speed: p.speed.slice(), force: p.force.slice(), compression: p.compression.slice() });
  }

  /** Forgets all contact state and sound (e.g. after a teleport). */
  reset(): void {
    for (const e of this.engines) e.reset();
    this.pending.length = 0;
    this.tracker = new FrameContactTracker(this.surfaces);
    this.lastFrameSec = -Infinity;
  }
}

/**
 * Offline convenience: plays a whole frame sequence (e.g. a trajectory file's frames, any rate) through
 * the backend and returns the audio, time-aligned (sample 0 = t 0), `durationSec` long (default: last
 * frame + 1 s of ring-out). Frames are fed just before the block that contains their time.
 */
export function renderFramesProcedural(frames: readonly LiveHandFrame[], opts: ProceduralBackendOptions & { durationSec?: number; blockSamples?: number } = {}): Float32Array {
  const backend = new ProceduralBackend(opts);
  const fs = backend.sampleRate, block = opts.blockSamples ?? 128;
  if (!Number.isInteger(block) || block < 1) throw new InvalidArgumentError(`blockSamples must be a positive integer, got ${block}`);
  const last = frames.length > 0 ? frames[frames.length - 1]!.timeSec : 0;
  const dur = opts.durationSec ?? last + 1;
  if (!(dur > 0 && dur <= 3600)) throw new InvalidArgumentError(`durationSec must be in (0, 3600], got ${dur}`);
  const out = new Float32Array(Math.round(dur * fs)), buf = new Float32Array(block);
  let next = 0;
  for (let start = 0; start < out.length; start += block) {
    const end = (start + block) / fs;
    while (next < frames.length && frames[next]!.timeSec <= end) backend.pushFrame(frames[next++]!);
    backend.render(buf);
    out.set(buf.subarray(0, Math.min(block, out.length - start)), start);
  }
  return out;
}
