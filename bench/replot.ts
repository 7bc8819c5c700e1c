/**
 * `node --import tsx bench/replot.ts <results.json>`: redraws the Markdown and SVG plots of a results file
 * (after a change to the plots or tables) without measuring anything again; the JSON is rewritten unchanged.
 */
import { readFileSync } from 'node:fs';
import { writeReport, type SuiteReport } from './suite.js';

const file = process.argv[2];
if (!file || !file.endsWith('.json')) {
  process.stderr.write('usage: node --import tsx bench/replot.ts <bench/results/…json>\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as SuiteReport;
const out = writeReport(report, file.replace(/\.json$/, ''));
process.stdout.write(`wrote ${out.markdownPath} and ${out.svgPaths.length} plots\n`);
