/**
 * `hearing-hands bench [--json] [--quick] [--out DIR] [--list] [filter…]`: the benchmark suite, the same one
 * `npm run bench` runs (bench/suite.ts): every bench/<name>.bench.ts, Node and headless Chromium, written to
 * bench/results/<date>-<machine>.json + .md + SVG plots (bench/results/tmp/ for --quick).
 */
import { parseArgs } from 'node:util';

export const summary = 'run the benchmarks (Node + headless Chromium): JSON, Markdown tables and SVG plots';

const USAGE = `usage: hearing-hands bench [--json] [--quick] [--out <dir>] [--list] [filter…]

Runs every benchmark in bench/ (or those whose file name contains a filter, e.g. "dsp" or "browser"),
prints a Markdown table per section and writes <date>-<machine>.json, .md and SVG plots.

      --quick        a few repetitions each: checks that numbers come out, not what they are (CI)
      --json         print the whole report as JSON on stdout instead of the tables
      --out <dir>    where to write results (default bench/results, or bench/results/tmp with --quick)
      --list         list the bench files and exit
  -h, --help         this text
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        out: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`hearing-hands bench: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE); return 0; }
  // Loaded only when the command runs: the suite pulls in every stage, ONNX runtimes and playwright.
  const { benchFiles, runSuite } = await import('../../../bench/suite.js');
  const files = benchFiles(positionals);
  if (values.list) { process.stdout.write(files.join('\n') + '\n'); return 0; }
  if (files.length === 0) {
    process.stderr.write(`hearing-hands bench: no bench file matches ${positionals.join(', ')} (see --list)\n`);
    return 2;
  }
  const result = await runSuite({
    quick: values.quick,
    filters: positionals,
    ...(values.out ? { outDir: values.out } : {}),
    ...(values.json ? {} : { onSection: (md: string) => process.stdout.write(md + '\n') }),
  });
  if (values.json) process.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
  else process.stderr.write(`wrote ${result.jsonPath}, ${result.markdownPath} and ${result.svgPaths.length} plots\n`);
  return 0;
}
