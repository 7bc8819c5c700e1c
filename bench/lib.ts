/**
 * Shared bench helpers. A bench file `bench/<name>.bench.ts` exports
 *   `export default async function run(opts: BenchOptions): Promise<BenchSection>`
 * and `bench/run.ts` runs them all, prints Markdown tables and writes JSON to bench/results/.
 * Benches report distributions (median/p95/max) and ratios measured in the same run, never one time.
 */
import { performance } from 'node:perf_hooks';
import { cpus, totalmem, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { sampleAsync } from './browser/timing.js';

export interface BenchOptions {
  /** CI mode: few repetitions, only checks that numbers come out sane. */
  quick: boolean;
}

export interface Stats {
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface BenchRow {
  label: string;
  stats?: Stats;
  /** Free-form extra figures for this row (ratios, real-time factors, sizes). */
  values?: Record<string, number | string>;
  /** Raw samples in ms, kept for distributions (CDF plots); keep it to a few thousand values. */
  samplesMs?: number[];
}

export interface BenchSection {
  name: string;
  description: string;
  rows: BenchRow[];
  /** For scaling sections: the numeric `values` key that is the x axis of a cost-vs-x line plot. */
  xKey?: string;
}

export function summarize(samplesMs: number[]): Stats {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
  return {
    n: s.length,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    maxMs: s[s.length - 1]!,
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/** Times `fn` `reps` times after `warmup` untimed calls; returns each call's time in ms. */
export function sampleTimes(fn: () => unknown, reps: number, warmup = Math.max(2, reps >> 3)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Times `fn` after `warmup` untimed calls; each sample is one call. */
export function timeIt(fn: () => unknown, reps: number, warmup = Math.max(2, reps >> 3)): Stats {
  return summarize(sampleTimes(fn, reps, warmup));
}

/** Interleaves two candidates so that machine noise hits both alike; returns both, their samples and the median ratio a/b. */
export function compare(a: () => unknown, b: () => unknown, reps: number):
  { a: Stats; b: Stats; ratio: number; samplesA: number[]; samplesB: number[] } {
  for (let i = 0; i < Math.max(2, reps >> 3); i++) { a(); b(); }
  const ta: number[] = [], tb: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now(); a(); ta.push(performance.now() - t0);
    t0 = performance.now(); b(); tb.push(performance.now() - t0);
  }
  const sa = summarize(ta), sb = summarize(tb);
  return { a: sa, b: sb, ratio: sa.medianMs / sb.medianMs, samplesA: ta, samplesB: tb };
}

/** 1/5/15-minute load averages, rounded: the machines are shared, so every result says how busy this one was. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' / ');
}

function commandVersion(cmd: string, args: string[]): string | undefined {
  try { return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return undefined; }
}

export function machineDescription(): Record<string, string | number> {
  const c = cpus();
  const desc: Record<string, string | number> = {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadAverage(),
  };
  const chromium = commandVersion(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']);
  if (chromium) desc.chromium = chromium;
  const commit = commandVersion('git', ['rev-parse', '--short', 'HEAD']);
  if (commit) desc.commit = commit;
  return desc;
}

const fmt = (ms: number) => (Math.abs(ms) < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`);

export function sectionToMarkdown(section: BenchSection): string {
  const extraKeys = [...new Set(section.rows.flatMap((r) => Object.keys(r.values ?? {})))];
  // Sections of figures only (sizes, memory) get no empty timing columns.
  const timed = section.rows.some((r) => r.stats);
  const head = ['case', ...(timed ? ['n', 'median', 'p95', 'max'] : []), ...extraKeys];
  const lines = [`### ${section.name}`, '', section.description, '', `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`];
  for (const r of section.rows) {
    const s = r.stats;
    const cells = [r.label, ...(timed ? [s ? String(s.n) : '', s ? fmt(s.medianMs) : '', s ? fmt(s.p95Ms) : '', s ? fmt(s.maxMs) : ''] : []),
      ...extraKeys.map((k) => {
        const v = r.values?.[k];
        return v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v;
      })];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** Async `compare`: interleaves two async candidates (each awaited alone) so machine noise hits both alike. */
export async function compareAsync(a: () => Promise<unknown>, b: () => Promise<unknown>, reps: number, warmup = Math.max(1, reps >> 3)):
  Promise<{ a: Stats; b: Stats; ratio: number; samplesA: number[]; samplesB: number[] }> {
  for (let i = 0; i < warmup; i++) { await a(); await b(); }
  const ta: number[] = [], tb: number[] = [];
  for (let i = 0; i < reps; i++) {
    // Alternate which goes first, so neither always inherits the other's cache or thermal state.
    const first = i % 2 === 0;
    for (const which of first ? [0, 1] : [1, 0]) {
      const t0 = performance.now();
      await (which === 0 ? a() : b());
      (which === 0 ? ta : tb).push(performance.now() - t0);
    }
  }
  const sa = summarize(ta), sb = summarize(tb);
  return { a: sa, b: sb, ratio: sa.medianMs / sb.medianMs, samplesA: ta, samplesB: tb };
}

/** Times an async call `reps` times after `warmup` untimed calls; returns each call's time in ms. */
export function sampleTimesAsync(fn: () => Promise<unknown>, reps: number, warmup = Math.max(1, reps >> 3)): Promise<number[]> {
  return sampleAsync(fn, reps, warmup);
}
