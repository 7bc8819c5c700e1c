/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that every simulated file is a pure function of
 * the seed: same seed → byte-identical output on every platform (only 32-bit integer ops and IEEE doubles).
 */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;

  constructor(seed: number) {
    let s = (Math.floor(seed) >>> 0) ^ 0x9e3779b9;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream derived from this seed and a label (so adding draws in one place never shifts another). */
  static derive(seed: number, label: string): Rng {
    let h = 2166136261 ^ (Math.floor(seed) >>> 0);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619) >>> 0;
    return new Rng(h ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 2654435761));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number { return this.nextUint32() / 4294967296; }
  uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  int(lo: number, hiInclusive: number): number { return lo + Math.floor(this.next() * (hiInclusive - lo + 1)); }
  bool(p = 0.5): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]!; }

  /** Standard normal (Box–Muller; one value per call keeps the stream simple to reason about). */
  normal(): number {
    const u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-uniform in [lo, hi]: for scale-like quantities (speeds, sizes). */
  logUniform(lo: number, hi: number): number { return Math.exp(this.uniform(Math.log(lo), Math.log(hi))); }
}
