/**
 * Offline rendering of a simulated interaction: hand kinematics → contact (geometry, 1 kHz) → each
 * touched object's ContactSoundEngine → room and noise floor. Impacts are scheduled at their interpolated
 * crossing time, so the sound starts at the contact instant to the sample (62.5 µs), whatever the tick.
 */
import { InvalidArgumentError } from '../errors.js';
import { HAND_VALUES } from './hand-skeleton.js';
import { ContactTracker, type HandContact, type ImpactEvent } from './contact.js';
import { ContactSoundEngine, type ContactPart } from './engine.js';
import { Room } from './room.js';
import type { Scene } from './scene.js';

/** Anything that can say where a hand's keypoints are at time t (HandMotion does). */
export interface KeypointSource { keypointsAt(t: number, out: Float64Array, offset?: number): void }

export interface ContactSpan {
  hand: number;
  surfaceIndex: number;
  material: string;
  startSec: number;
  endSec: number;
  /** Set when the span began with an impact. */
  impactSpeedMps?: number;
  part?: ContactPart;
  maxSlideSpeedMps: number;
  maxNormalForceN: number;
}

export interface RenderedAudio {
  audio: Float32Array;
  sampleRate: number;
  impacts: ImpactEvent[];
  spans: ContactSpan[];
}

export interface RenderOptions {
  sampleRate?: number;
  physicsRateHz?: number;
  seed?: number;
  /** Skip the room and noise floor (tests of the dry physics). */
  dry?: boolean;
}

export function renderContactAudio(scene: Scene, hands: readonly (KeypointSource | null)[], durationSec: number, opts: RenderOptions = {}): RenderedAudio {
  const fs = opts.sampleRate ?? 16000, rate = opts.physicsRateHz ?? 1000, seed = opts.seed ?? 1;
  if (!(durationSec > 0 && durationSec <= 3600)) throw new InvalidArgumentError(`durationSec must be in (0, 3600], got ${durationSec}`);
  if (!Number.isInteger(fs / rate)) throw new InvalidArgumentError(`sampleRate (${fs}) must be a multiple of physicsRateHz (${rate})`);
  const block = fs / rate;
  const total = Math.round(durationSec * fs);
  const audio = new Float32Array(total);
  const tracker = new ContactTracker(scene.surfaces, hands.length);
  const engines = new Map<number, ContactSoundEngine>();
  const engineFor = (surfaceIndex: number) => {
    let e = engines.get(surfaceIndex);
    if (!e) {
      const s = scene.surfaces[surfaceIndex]!;
      e = new ContactSoundEngine(s.material, { sampleRate: fs, seed: (seed * 31 + surfaceIndex * 7919 + 1) >>> 0 });
      e.samplePosition = 0;
      engines.set(surfaceIndex, e);
    }
    return e;
  };
  // All engines share the timeline: create them up front so samplePosition stays in step.
  for (const s of scene.surfaces) engineFor(s.index);
  const kp: (Float64Array | null)[] = hands.map((h) => (h ? new Float64Array(HAND_VALUES) : null));
  const impacts: ImpactEvent[] = [], newImpacts: ImpactEvent[] = [], contacts: HandContact[] = [];
  const spans: ContactSpan[] = [];
  const open: (ContactSpan | null)[] = hands.map(() => null);
  const perSurface = new Map<number, { speed: number; force: number; compression: number }>();

  const evaluate = (t: number) => {
    hands.forEach((h, i) => { if (h) h.keypointsAt(t, kp[i]!, 0); });
  };
  evaluate(0);
  tracker.update(0, kp, newImpacts, contacts);
  newImpacts.length = 0;

  for (let start = 0; start < total; start += block) {
    const len = Math.min(block, total - start);
    const tEnd = (start + len) / fs;
    evaluate(tEnd);
    tracker.update(tEnd, kp, newImpacts, contacts);
    for (const imp of newImpacts) {
      impacts.push(imp);
      engineFor(imp.surfaceIndex).impact(imp.timeSec * fs, { speedMps: Math.min(imp.speedMps, 30), part: imp.part });
    }
    perSurface.clear();
    contacts.forEach((c, h) => {
      const span = open[h] ?? null;
      if (c.touching) {
        const agg = perSurface.get(c.surfaceIndex) ?? { speed: 0, force: 0, compression: 0 };
        agg.speed = Math.max(agg.speed, c.slideSpeedMps); agg.force += c.normalForceN; agg.compression = Math.max(agg.compression, Math.abs(c.compressionSpeedMps));
        perSurface.set(c.surfaceIndex, agg);
        if (!span) {
          const imp = newImpacts.find((x) => x.hand === h);
          const s: ContactSpan = { hand: h, surfaceIndex: c.surfaceIndex, material: scene.surfaces[c.surfaceIndex]!.material.spec.name,
            startSec: imp ? imp.timeSec : tEnd, endSec: tEnd, maxSlideSpeedMps: 0, maxNormalForceN: 0 };
          if (imp) { s.impactSpeedMps = imp.speedMps; s.part = imp.part; }
          open[h] = s; spans.push(s);
        }
        const s = open[h]!;
        s.endSec = tEnd; s.maxSlideSpeedMps = Math.max(s.maxSlideSpeedMps, c.slideSpeedMps); s.maxNormalForceN = Math.max(s.maxNormalForceN, c.normalForceN);
      } else if (span) {
        open[h] = null;
      }
    });
    newImpacts.length = 0;
    for (const [index, e] of engines) {
      const agg = perSurface.get(index);
      e.setContact(agg?.speed ?? 0, agg?.force ?? 0, agg?.compression ?? 0);
      e.process(audio, start, len);
    }
  }
  if (!opts.dry) new Room({ sampleRate: fs, t60Sec: scene.roomT60Sec, wetGain: scene.roomWetGain, noiseFloorDb: scene.noiseFloorDb, seed: seed ^ 0x5bd1e995 }).process(audio);
  return { audio, sampleRate: fs, impacts, spans };
}
