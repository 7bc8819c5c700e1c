/**
 * Throughput of `hearing-hands simulate` as a user runs it (CLI subprocess, default workers): hours of distinct
 * sound written per minute of wall time, and the time 2 h would take at that rate (issue 4's target: ≤ 15 min).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchSection } from './lib.js';

const bin = fileURLToPath(new URL('../bin/hearing-hands.mjs', import.meta.url));

export default async function run(opts: BenchOptions): Promise<BenchSection> {
  const hours = opts.quick ? 0.01 : 0.1;
  const dir = mkdtempSync(join(tmpdir(), 'hh-simulate-bench-'));
  try {
    const t0 = performance.now();
    execFileSync(process.execPath, [bin, 'simulate', '--out', join(dir, 'data'), '--hours', String(hours), '--seed', '1', '--quiet'], { stdio: 'pipe' });
    const wallMin = (performance.now() - t0) / 60000;
    return {
      name: 'Simulated capture: simulate throughput',
      description: `\`hearing-hands simulate --hours ${hours}\` (3 views per sound, default workers), timed end to end.`,
      rows: [{
        label: `simulate --hours ${hours}`,
        values: { 'wall (min)': wallMin, 'hours of sound per minute': hours / wallMin, 'minutes for 2 h (extrapolated)': (2 / hours) * wallMin },
      }],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
