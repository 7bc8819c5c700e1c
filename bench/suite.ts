/**
 * The bench suite as a function, shared by `npm run bench` (bench/run.ts) and `hearing-hands bench`: runs every
 * bench/<name>.bench.ts (or those whose file name contains a filter), then writes
 * <outDir>/<date>-<machine>[-only-<filters>].json, a Markdown file with one table per section, and SVG plots beside them.
 * The machine is described in every result, with its load average before and after (the machines are shared).
 */
import { readdirSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadAverage, machineDescription, sectionToMarkdown, type BenchOptions, type BenchSection } from './lib.js';
import { barsSvg, cdfSvg, lineSvg } from './plot.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface SuiteOptions extends BenchOptions {
  /** Substrings of bench file names to run (all when empty). */
  filters?: string[];
  /** Where results go; default bench/results (bench/results/tmp for --quick, which git ignores). */
  outDir?: string;
  /** Called with each section's Markdown table as it finishes (progress for people). */
  onSection?: (markdown: string) => void;
}

export interface BenchFileTiming { file: string; seconds: number }

export interface SuiteReport {
  date: string;
  quick: boolean;
  machine: Record<string, string | number>;
  files: BenchFileTiming[];
  sections: BenchSection[];
}

export interface SuiteResult { report: SuiteReport; jsonPath: string; markdownPath: string; svgPaths: string[] }

/**
 * Bench files in run order. A filter that names a bench exactly (`browser` → browser.bench.ts) selects that one;
 * any other filter selects every bench whose file name contains it.
 */
export function benchFiles(filters: string[] = []): string[] {
  const all = readdirSync(here).filter((f) => f.endsWith('.bench.ts'));
  return all.filter((f) => filters.length === 0 || filters.some((x) => (all.includes(`${x}.bench.ts`) ? f === `${x}.bench.ts` : f.includes(x)))).sort();
}

function packageVersion(name: string): string {
  try { return (JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version; } catch { return 'absent'; }
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

export async function runSuite(opts: SuiteOptions): Promise<SuiteResult> {
  const files = benchFiles(opts.filters);
  const loadAtStart = loadAverage();
  const sections: BenchSection[] = [];
  const timings: BenchFileTiming[] = [];
  for (const f of files) {
    const t0 = performance.now();
    const mod = (await import(`./${f.replace(/\.ts$/, '.js')}`)) as { default: (o: BenchOptions) => Promise<BenchSection | BenchSection[]> };
    const out = await mod.default({ quick: opts.quick });
    for (const s of Array.isArray(out) ? out : [out]) {
      sections.push(s);
      opts.onSection?.(sectionToMarkdown(s));
    }
    timings.push({ file: f, seconds: Math.round((performance.now() - t0) / 100) / 10 });
  }
  const machine = {
    ...machineDescription(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAverage(),
    'onnxruntime-web': packageVersion('onnxruntime-web'),
    'onnxruntime-node': packageVersion('onnxruntime-node'),
  };
  delete (machine as Record<string, unknown>).loadAverage;
  const report: SuiteReport = { date: new Date().toISOString(), quick: opts.quick, machine, files: timings, sections };

  const stamp = report.date.slice(0, 10);
  const dir = opts.outDir ?? join(here, 'results', opts.quick ? 'tmp' : '');
  mkdirSync(dir, { recursive: true });
  // A filtered run gets its filters in the name, so that it never overwrites the day's full run.
  const only = (opts.filters ?? []).length > 0 ? `-only-${slug(opts.filters!.join('-'))}` : '';
  const base = join(dir, `${stamp}-${hostname().replace(/[^a-zA-Z0-9-]/g, '')}${only}`);
  return { report, ...writeReport(report, base) };
}

/** Writes <base>.json, <base>.md and the SVG plots of a report (bench/replot.ts redraws an old report with it). */
export function writeReport(report: SuiteReport, base: string): { jsonPath: string; markdownPath: string; svgPaths: string[] } {
  const { machine, sections, files: timings } = report;
  const stamp = report.date.slice(0, 10);
  const jsonPath = `${base}.json`, markdownPath = `${base}.md`;
  writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  const markdown: string[] = [];
  const svgPaths: string[] = [];
  for (const s of sections) {
    markdown.push(sectionToMarkdown(s));
    for (const [kind, svg] of [['bars', barsSvg(s)], ['cdf', cdfSvg(s)], ['line', lineSvg(s)]] as const) {
      if (!svg) continue;
      const file = `${base}-${slug(s.name)}-${kind}.svg`;
      writeFileSync(file, svg);
      svgPaths.push(file);
      markdown.push(`![${s.name} (${kind})](${file.split('/').pop()})\n`);
    }
  }
  const machineLines = Object.entries(machine).map(([k, v]) => `| ${k} | ${v} |`).join('\n');
  const fileLines = timings.map((t) => `| ${t.file} | ${t.seconds} |`).join('\n');
  writeFileSync(markdownPath, `# Bench ${stamp}${report.quick ? ' (quick: sanity only, not timings)' : ''}\n\n`
    + `| machine | |\n|---|---|\n${machineLines}\n\n| bench file | seconds |\n|---|---|\n${fileLines}\n\n` + markdown.join('\n'));
  return { jsonPath, markdownPath, svgPaths };
}

/** Parses `[--quick] [--json] [filter…]`. */
export function parseSuiteArgs(args: string[]): { quick: boolean; json: boolean; filters: string[]; unknown: string[] } {
  const known = new Set(['--quick', '--json']);
  return {
    quick: args.includes('--quick'),
    json: args.includes('--json'),
    filters: args.filter((a) => !a.startsWith('-')),
    unknown: args.filter((a) => a.startsWith('-') && !known.has(a)),
  };
}
