/**
 * The bench suite in --quick mode (what CI runs): through the CLI (`hearing-hands bench --quick --json`), a
 * subset of bench files that covers each kind of section (timed kernels, model scaling and ratios, memory
 * figures, the headless-Chromium page) and checks that every section has rows with finite positive numbers,
 * that the machine is described and that the JSON, Markdown and SVG files are written and well formed.
 * Never asserts on how long anything took.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteReport } from '../../bench/suite.js';
import { barsSvg, cdfSvg } from '../../bench/plot.js';
import { summarize } from '../../bench/lib.js';
import { chromiumAvailable } from '../rig/chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin/hearing-hands.mjs');

/** Every bench file is covered by the suite's own run; CI runs the ones that fit its time budget. */
const SUBSET = ['dsp', 'scaling', 'memory', 'sim-backend', ...(chromiumAvailable() ? ['browser'] : [])];

function checkSection(s: SuiteReport['sections'][number]): void {
  assert.ok(s.name.length > 0 && s.description.length > 0, 'named and described');
  assert.ok(s.rows.length > 0, `${s.name}: has rows`);
  let figures = 0;
  for (const r of s.rows) {
    const where = `${s.name} / ${r.label}`;
    if (r.stats) {
      const { n, medianMs, p95Ms, maxMs, meanMs } = r.stats;
      assert.ok(n >= 1, `${where}: n ${n}`);
      for (const [k, v] of Object.entries({ medianMs, p95Ms, maxMs, meanMs })) assert.ok(Number.isFinite(v) && v > 0, `${where}: ${k} = ${v}`);
      assert.ok(medianMs <= p95Ms && p95Ms <= maxMs, `${where}: median ≤ p95 ≤ max`);
      if (r.samplesMs) assert.equal(r.samplesMs.length, n, `${where}: samples kept = n`);
      figures++;
    }
    for (const [k, v] of Object.entries(r.values ?? {})) {
      if (typeof v === 'number') {
        assert.ok(Number.isFinite(v) && v >= 0, `${where}: ${k} = ${v}`);
        figures++;
      } else assert.ok(!/NaN|Infinity|failed/.test(v), `${where}: ${k} = ${v}`);
    }
  }
  assert.ok(figures > 0, `${s.name}: at least one number`);
}

test(`bench --quick (${SUBSET.join(', ')}): every section has sane numbers; JSON, Markdown and plots are written`, { timeout: 240_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'hh-bench-'));
  try {
    const r = spawnSync(process.execPath, [cli, 'bench', '--quick', '--json', '--out', out, ...SUBSET],
      { cwd: root, encoding: 'utf8', timeout: 230_000, maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}\n${r.stderr.slice(-4000)}`);
    const report = JSON.parse(r.stdout) as SuiteReport;
    assert.equal(report.quick, true);
    for (const k of ['cpu', 'cores', 'node', 'loadAverageAtStart', 'loadAverageAtEnd', 'onnxruntime-web']) assert.ok(report.machine[k] !== undefined, `machine.${k}`);
    if (chromiumAvailable()) assert.match(String(report.machine.chromium), /Chromium \d+/);
    assert.deepEqual(report.files.map((f) => f.file.replace(/\.bench\.ts$/, '')).sort(), [...SUBSET].sort(), 'one file per filter');
    const names = report.sections.map((s) => s.name);
    for (const want of ['DSP kernels', 'Scaling: model cost vs window length', 'Scaling: model cost vs Euler steps', 'Scaling: concurrent voices',
      'Ratios', 'Memory: peak RSS', 'Memory: shipped file sizes', ...(chromiumAvailable() ? ['Browser: DSP core', 'Browser: flow model', 'Browser: playback AudioWorklet'] : [])]) {
      assert.ok(names.some((n) => n.startsWith(want)), `section '${want}' in ${names.join(' | ')}`);
    }
    for (const s of report.sections) checkSection(s);

    const files = readdirSync(out);
    const json = files.filter((f) => f.endsWith('.json'));
    assert.equal(json.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(out, json[0]!), 'utf8')).sections.length, report.sections.length);
    const md = readFileSync(join(out, json[0]!.replace(/\.json$/, '.md')), 'utf8');
    for (const s of report.sections) assert.ok(md.includes(`### ${s.name}`), `markdown has ${s.name}`);
    assert.match(md, /loadAverageAtEnd/);
    const svgs = files.filter((f) => f.endsWith('.svg'));
    assert.ok(svgs.length >= report.sections.filter((s) => s.rows.some((x) => x.stats)).length, `${svgs.length} plots`);
    for (const f of svgs) {
      const svg = readFileSync(join(out, f), 'utf8');
      assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'), `${f} is one svg element`);
      assert.ok(!/NaN|Infinity|undefined/.test(svg), `${f} has no NaN/Infinity/undefined coordinates`);
      assert.ok(md.includes(f), `markdown links ${f}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('plots: a clock too coarse for a case (zero times) leaves it out instead of breaking the log axis', () => {
  const zero = summarize([0, 0, 0]);
  const section = {
    name: 'coarse', description: 'd',
    rows: [{ label: 'zero', stats: zero, samplesMs: [0, 0, 0] }, { label: 'real', stats: summarize([1, 2, 3]), samplesMs: [1, 2, 3] }],
  };
  const bars = barsSvg(section)!, cdf = cdfSvg(section)!;
  assert.ok(!bars.includes('>zero<') && bars.includes('>real<'));
  assert.ok(cdf.includes('real (n=3)') && !cdf.includes('zero (n='));
  for (const svg of [bars, cdf]) assert.ok(!/NaN|Infinity/.test(svg));
  assert.equal(barsSvg({ ...section, rows: [section.rows[0]!] }), undefined, 'nothing positive: no bars plot');
  assert.equal(cdfSvg({ ...section, rows: [section.rows[0]!] }), undefined, 'nothing positive: no CDF plot');
});

test('plots: signed samples (a latency from a contact instant between frames) get a linear axis and are all kept', () => {
  const samples = [-5, -3, -1, 2, 5];
  const section = { name: 'latency', description: 'd', rows: [{ label: 'signed', stats: summarize(samples), samplesMs: samples }] };
  const cdf = cdfSvg(section)!, bars = barsSvg(section)!;
  assert.match(cdf, /signed \(n=5\)/, 'no sample dropped');
  assert.match(cdf, /linear axis/);
  assert.match(bars, /linear time axis/);
  for (const svg of [bars, cdf]) assert.ok(!/NaN|Infinity/.test(svg));
  assert.match(cdf, />-[\d.]+ ms</, 'a negative tick');
});

test('bench CLI: --list names the bench files; an unmatched filter is a usage error', () => {
  const list = spawnSync(process.execPath, [cli, 'bench', '--list'], { cwd: root, encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const files = list.stdout.trim().split('\n');
  for (const f of ['browser.bench.ts', 'dsp.bench.ts', 'memory.bench.ts', 'scaling.bench.ts']) assert.ok(files.includes(f), f);
  const none = spawnSync(process.execPath, [cli, 'bench', 'no-such-bench'], { cwd: root, encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no bench file matches no-such-bench/);
  const bad = spawnSync(process.execPath, [cli, 'bench', '--fast'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
