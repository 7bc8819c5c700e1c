/**
 * `npm run bench [-- --quick] [--json] [filter…]`: runs every bench/<name>.bench.ts (Node and, through
 * browser.bench.ts, headless Chromium), prints Markdown tables, and writes bench/results/<date>-<machine>.json
 * (+ .md + SVG plots). --quick is what CI runs: brief, sane numbers only (written to bench/results/tmp/).
 * The same suite runs as `hearing-hands bench` (src/cli/commands/bench.ts); the work is in suite.ts.
 */
import { parseSuiteArgs, runSuite } from './suite.js';

const args = parseSuiteArgs(process.argv.slice(2));
if (args.unknown.length > 0) {
  process.stderr.write(`bench: unknown option ${args.unknown.join(' ')} (use --quick, --json, filters)\n`);
  process.exit(2);
}
const result = await runSuite({
  quick: args.quick,
  filters: args.filters,
  onSection: args.json ? undefined : (md) => process.stdout.write(md + '\n'),
});
if (args.json) process.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
else process.stdout.write(`wrote ${result.jsonPath} and .md (+ ${result.svgPaths.length} plots)\n`);
// Worker threads, ONNX sessions or a browser left by a bench must not keep the process alive.
process.exit(0);
