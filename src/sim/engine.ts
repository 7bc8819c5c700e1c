/**
 * The contact-sound source of one touched object, streaming (any block size, no allocation per block).
 * Three physical mechanisms feed one modal bank:
 *  - impacts: a half-sine contact force whose duration follows Hertz-like contact of hand and surface
 *    (τ = π √(m / k_eff) · (v / 0.5 m/s)^-0.2: stiffer or faster → shorter → brighter) and whose impulse
 *    is (1 + e)·m·v (faster/heavier → louder); plus a skin "smack" burst that rises with speed;
 *  - friction while sliding: band-pass noise centred near sliding speed / asperity spacing, level ∝
 *    speed · √(normal force) · roughness, plus stick-slip micro-impacts (rate ∝ speed / grain) that ring
 *    the object's modes;
 *  - crumple while pressing deformable materials: crackles at a rate that follows the compression speed.
 * Modes are two-pole resonators whose output is the modal *velocity* (what radiates), so a slow push
 * makes no sound but a sharp tap rings every mode it can reach.
 */
import { InvalidArgumentError } from '../errors.js';
import type { MaterialInstance } from './materials.js';

export type ContactPart = 'fingertip' | 'knuckle' | 'palm';

export interface ImpactParams {
  /** Normal approach speed at contact (m/s). */
  speedMps: number;
  part: ContactPart;
}

export interface ImpactResult { contactSec: number; peakForceN: number; impulseNs: number }

/** Effective moving mass and tissue stiffness of each part of the hand that can strike. */
export interface PartMechanics {
  massKg: number;
  stiffnessNPerM: number;
  skin: number;
  /** A second, bony contact inside the soft one (a palm's metacarpal heads): the crack inside a slap's thud. */
  bone?: { massKg: number; stiffnessNPerM: number };
}

export const PART_MECHANICS: Record<ContactPart, PartMechanics> = {
  fingertip: { massKg: 0.012, stiffnessNPerM: 1.5e5, skin: 0.25 },
  knuckle: { massKg: 0.12, stiffnessNPerM: 6e5, skin: 0.35 },
  palm: { massKg: 0.35, stiffnessNPerM: 3e4, skin: 1.0, bone: { massKg: 0.06, stiffnessNPerM: 4e5 } },
};

const RING = 8192; // samples of scheduled force/burst ahead of the play position (0.5 s at 16 kHz)
const RING_MASK = RING - 1;
const OUTPUT_GAIN = 2.5;
const FRICTION_GAIN = 0.04;
const SKIN_GAIN = 0.05;

export interface EngineOptions { sampleRate?: number; seed?: number }

export class ContactSoundEngine {
  readonly sampleRate: number;
  readonly material: MaterialInstance;
  /** Absolute index of the next sample `process` will write. */
  samplePosition = 0;

  private readonly nModes: number;
  private readonly a1: Float64Array; private readonly a2: Float64Array;
  private readonly inGain: Float64Array; private readonly outGain: Float64Array;
  private readonly y1: Float64Array; private readonly y2: Float64Array;
  private readonly force = new Float64Array(RING);
  private readonly burst = new Float64Array(RING);
  private exc = new Float64Array(256);
  private dir = new Float64Array(256);
  private scheduledUntil = 0; // absolute sample after the last non-zero ring entry
  private noiseState: number;
  private ringing = false;

  // Friction and crumple state (targets set per block, ramped per sample).
  private slideSpeed = 0; private slideTarget = 0;
  private normalForce = 0; private normalTarget = 0;
  private crumpleRate = 0;
  private bpB0 = 0; private bpA1 = 0; private bpA2 = 0;
  private bpX1 = 0; private bpX2 = 0; private bpY1 = 0; private bpY2 = 0;
  private lastNoise = 0;

  constructor(material: MaterialInstance, opts: EngineOptions = {}) {
    const fs = opts.sampleRate ?? 16000;
    if (!(fs >= 8000 && fs <= 192000)) throw new InvalidArgumentError(`sampleRate must be in 8000…192000 Hz, got ${fs}`);
    this.sampleRate = fs;
    this.material = material;
    const modes = material.modes.filter((m) => m.freqHz < 0.47 * fs);
    this.nModes = modes.length;
    this.a1 = new Float64Array(this.nModes); this.a2 = new Float64Array(this.nModes);
    this.inGain = new Float64Array(this.nModes); this.outGain = new Float64Array(this.nModes);
    this.y1 = new Float64Array(this.nModes); this.y2 = new Float64Array(this.nModes);
    modes.forEach((m, k) => {
      const w = (2 * Math.PI * m.freqHz) / fs;
      const r = Math.exp(-6.907755 / (m.t60Sec * fs));
      this.a1[k] = 2 * r * Math.cos(w); this.a2[k] = -r * r;
      this.inGain[k] = Math.sin(w); // input is impulse per sample (N·s): an impulse J rings at amplitude J
      // Velocity output normalised so an impulse of 1 N·s rings at amplitude `gain`.
      this.outGain[k] = (m.gain * material.spec.radiation * OUTPUT_GAIN) / (2 * Math.sin(w / 2));
    });
    this.noiseState = ((opts.seed ?? 1) * 2654435761 + 12345) >>> 0 || 1;
  }

  /**
   * Schedules an impact whose force starts at absolute sample `atSample` (clamped to now if already past).
   * Returns the contact duration, peak force and impulse it used.
   */
  impact(atSample: number, p: ImpactParams): ImpactResult {
    if (!Number.isFinite(p.speedMps) || p.speedMps < 0 || p.speedMps > 30) throw new InvalidArgumentError(`impact speed must be in 0…30 m/s, got ${p.speedMps}`);
    const part = PART_MECHANICS[p.part];
    if (!part) throw new InvalidArgumentError(`unknown contact part '${String(p.part)}'`);
    const spec = this.material.spec;
    const v = Math.max(p.speedMps, 1e-3);
    const start = Math.max(Math.round(atSample), this.samplePosition);
    const main = this.addForcePulse(start, part.massKg, part.stiffnessNPerM, v);
    if (part.bone) this.addForcePulse(start, part.bone.massKg, part.bone.stiffnessNPerM, v);
    const { contactSec, impulseNs, peakForceN } = main;
    const len = Math.max(1, Math.round(contactSec * this.sampleRate));
    // Skin smack: a bright burst as the skin meets the surface; stronger for faster, flatter hits, and only
    // a hard surface makes it crack (a slap on a cushion is a dull thud).
    const burstAmp = SKIN_GAIN * part.skin * Math.pow(v, 1.5) * Math.sqrt(Math.min(1, spec.stiffnessNPerM / 1e6));
    const decay = Math.exp(-1 / (Math.max(0.0004, contactSec * 0.4) * this.sampleRate));
    let env = burstAmp;
    for (let i = 0; i < len + 64 && env > 1e-7; i++) { this.burst[(start + i) & RING_MASK] += env; env *= decay; }
    this.scheduledUntil = Math.max(this.scheduledUntil, start + len + 64);
    this.ringing = true;
    return { contactSec, peakForceN, impulseNs };
  }

  /** Adds a Hertz-like half-sine force pulse of a mass hitting the surface through tissue of given stiffness. */
  private addForcePulse(start: number, massKg: number, tissueNPerM: number, v: number): ImpactResult {
    const spec = this.material.spec;
    const kEff = 1 / (1 / tissueNPerM + 1 / spec.stiffnessNPerM);
    const contactSec = Math.PI * Math.sqrt(massKg / kEff) * Math.pow(v / 0.5, -0.2);
    const impulseNs = (1 + spec.restitution) * massKg * v;
    const peakForceN = (impulseNs * Math.PI) / (2 * contactSec);
    const len = Math.max(1, Math.round(contactSec * this.sampleRate));
    if (start + len - this.samplePosition >= RING) throw new InvalidArgumentError('impact scheduled too far ahead of the play position (or contact too long)');
    // Half-sine force as impulse per sample, normalised so that its sum is the impulse exactly.
    let norm = 0;
    for (let i = 0; i < len; i++) norm += Math.sin((Math.PI * (i + 0.5)) / len);
    for (let i = 0; i < len; i++) this.force[(start + i) & RING_MASK] += (impulseNs * Math.sin((Math.PI * (i + 0.5)) / len)) / norm;
    this.scheduledUntil = Math.max(this.scheduledUntil, start + len);
    return { contactSec, peakForceN, impulseNs };
  }

  /** Sets the sliding contact for the coming samples (0, 0 when not touching). */
  setContact(slideSpeedMps: number, normalForceN: number, compressionSpeedMps = 0): void {
    if (!Number.isFinite(slideSpeedMps) || !Number.isFinite(normalForceN) || !Number.isFinite(compressionSpeedMps)) {
      throw new InvalidArgumentError('contact speeds and forces must be finite numbers');
    }
    this.slideTarget = Math.min(Math.max(slideSpeedMps, 0), 5);
    this.normalTarget = Math.min(Math.max(normalForceN, 0), 200);
    const spec = this.material.spec;
    // Crackles per second: compression opens/closes fibres, flakes, crystals; some also while sliding.
    this.crumpleRate = spec.crumple * (Math.abs(compressionSpeedMps) * 6000 + this.slideTarget * 60 * Math.min(1, this.normalTarget));
    // Friction band: asperities passed per second set the centre; rough surfaces are broader.
    const centreHz = Math.min(0.42 * this.sampleRate, Math.max(180, (0.6 * Math.max(this.slideTarget, 0.02)) / spec.grainM + 250));
    const q = 1.6 - spec.roughness;
    const w = (2 * Math.PI * centreHz) / this.sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const a0 = 1 + alpha;
    this.bpB0 = alpha / a0; this.bpA1 = (-2 * Math.cos(w)) / a0; this.bpA2 = (1 - alpha) / a0;
    if (this.slideTarget > 0 || this.crumpleRate > 0) this.ringing = true;
  }

  private noise(): number {
    let x = this.noiseState;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.noiseState = x;
    return x / 2147483648 - 1;
  }

  /** Adds `length` samples of this object's sound into `out` starting at `offset`, advancing time. */
  process(out: Float32Array, offset = 0, length = out.length - offset): void {
    if (!this.ringing && this.slideTarget === 0 && this.slideSpeed === 0 && this.scheduledUntil <= this.samplePosition) {
      this.samplePosition += length;
      return;
    }
    const fs = this.sampleRate, spec = this.material.spec;
    const n = this.nModes, a1 = this.a1, a2 = this.a2, inG = this.inGain, outG = this.outGain, y1 = this.y1, y2 = this.y2;
    const ramp = 1 / Math.max(1, length);
    const dSpeed = (this.slideTarget - this.slideSpeed) * ramp, dForce = (this.normalTarget - this.normalForce) * ramp;
    const stickRatePerSample = (0.35 / spec.grainM) / fs; // × speed
    const crumplePerSample = this.crumpleRate / fs;
    if (this.exc.length < length) { this.exc = new Float64Array(length); this.dir = new Float64Array(length); }
    const exc = this.exc, dir = this.dir, force = this.force, burst = this.burst;
    const start = this.samplePosition;
    // Pass 1: the excitation of this block (contact force into the modes) and the direct sound (friction
    // noise, bursts). Skipped entirely when nothing is scheduled and nothing slides.
    const sliding = this.slideSpeed > 1e-4 || this.slideTarget > 1e-4 || (this.normalTarget > 0 && crumplePerSample > 0);
    const scheduled = this.scheduledUntil > start;
    if (!sliding && !scheduled) { exc.fill(0, 0, length); dir.fill(0, 0, length); this.slideSpeed = this.slideTarget; this.normalForce = this.normalTarget; }
    else {
      for (let i = 0; i < length; i++) {
        const slot = (start + i) & RING_MASK;
        let f = force[slot]!; force[slot] = 0;
        let b = burst[slot]!; burst[slot] = 0;
        this.slideSpeed += dSpeed; this.normalForce += dForce;
        let acc = 0;
        const speed = this.slideSpeed;
        if (speed > 1e-4 || (this.normalForce > 0 && crumplePerSample > 0)) {
          const sqrtF = Math.sqrt(this.normalForce);
          const x = this.noise();
          const y = this.bpB0 * (x - this.bpX2) - this.bpA1 * this.bpY1 - this.bpA2 * this.bpY2;
          this.bpX2 = this.bpX1; this.bpX1 = x; this.bpY2 = this.bpY1; this.bpY1 = y;
          acc = FRICTION_GAIN * spec.roughness * speed * sqrtF * y;
          // Stick-slip: asperities catch and release, each a tiny impulse into the modes.
          const u = this.noise() * 0.5 + 0.5;
          if (u < speed * stickRatePerSample) f += 0.0003 * spec.roughness * sqrtF * speed * (0.3 + u / (speed * stickRatePerSample));
          if (crumplePerSample > 0) {
            const c = this.noise() * 0.5 + 0.5;
            if (c < crumplePerSample) {
              const amp = 0.02 * Math.pow(1 - (c / crumplePerSample) * 0.99, -0.5) * (0.5 + Math.min(1, sqrtF)); // heavy-tailed crackle sizes, ≤ 10×
              b += amp * 0.02; f += amp * 0.01;
            }
          }
        }
        if (b !== 0) {
          // Bright burst noise (first difference of white noise): skin smack and crackles.
          const x = this.noise();
          acc += b * (x - this.lastNoise);
          this.lastNoise = x;
        }
        exc[i] = f; dir[i] = acc;
      }
    }
    // Pass 2: each mode over the whole block with its state in registers.
    for (let k = 0; k < n; k++) {
      const A1 = a1[k]!, A2 = a2[k]!, G = inG[k]!, O = outG[k]!;
      let p1 = y1[k]!, p2 = y2[k]!;
      for (let i = 0; i < length; i++) {
        const y = A1 * p1 + A2 * p2 + G * exc[i]!;
        dir[i] = dir[i]! + O * (y - p1);
        p2 = p1; p1 = y;
      }
      y1[k] = p1; y2[k] = p2;
    }
    let energy = 0;
    for (let i = 0; i < length; i++) { const v = dir[i]!; out[offset + i] = out[offset + i]! + v; energy += v * v; }
    this.samplePosition += length;
    if (this.slideTarget === 0 && this.crumpleRate === 0 && this.scheduledUntil <= this.samplePosition) {
      let e = 0;
      for (let k = 0; k < n; k++) e += y1[k]! * y1[k]! + y2[k]! * y2[k]!;
      if (e < 1e-16 && energy < 1e-14 * length) {
        this.ringing = false;
        y1.fill(0); y2.fill(0);
      }
    }
  }

  /** Silences everything and forgets scheduled contacts (keeps the material). */
  reset(): void {
    this.force.fill(0); this.burst.fill(0); this.y1.fill(0); this.y2.fill(0);
    this.slideSpeed = this.slideTarget = this.normalForce = this.normalTarget = this.crumpleRate = 0;
    this.bpX1 = this.bpX2 = this.bpY1 = this.bpY2 = 0;
    this.ringing = false; this.scheduledUntil = this.samplePosition;
  }
}
