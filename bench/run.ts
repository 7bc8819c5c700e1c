/**
 * `npm run bench [-- --quick] [--json] [filter…]`: runs every bench/<name>.bench.ts, prints Markdown tables,
 * and writes bench/results/<date>-<machine>.json (+ .md). --quick is what CI runs: brief, sane numbers only.
 */
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { machineDescription, sectionToMarkdown, type BenchOptions, type BenchSection } from './lib.js';
import { barsSvg, cdfSvg } from './plot.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opts: BenchOptions = { quick: args.includes('--quick') };
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));

const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const sections: BenchSection[] = [];
for (const f of files) {
  const mod = (await import(`./${f.replace(/\.ts$/, '.js')}`)) as { default: (o: BenchOptions) => Promise<BenchSection | BenchSection[]> };
  const out = await mod.default(opts);
  for (const s of Array.isArray(out) ? out : [out]) {
    sections.push(s);
    if (!json) process.stdout.write(sectionToMarkdown(s) + '\n');
  }
}
const machine = machineDescription();
const report = { date: new Date().toISOString(), quick: opts.quick, machine, sections };
const stamp = new Date().toISOString().slice(0, 10);
const dir = join(here, 'results', opts.quick ? 'tmp' : '');
mkdirSync(dir, { recursive: true });
const base = join(dir, `${stamp}-${hostname().replace(/[^a-zA-Z0-9-]/g, '')}`);
writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
const markdown: string[] = [];
for (const s of sections) {
  markdown.push(sectionToMarkdown(s));
  for (const [kind, svg] of [['bars', barsSvg(s)], ['cdf', cdfSvg(s)]] as const) {
    if (!svg) continue;
    const file = `${base}-${slug(s.name)}-${kind}.svg`;
    writeFileSync(file, svg);
    markdown.push(`![${s.name} (${kind})](${file.split('/').pop()})\n`);
  }
}
writeFileSync(`${base}.md`, `# Bench ${stamp}\n\nMachine: ${JSON.stringify(machine)}\n\n` + markdown.join('\n'));
if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
else process.stdout.write(`wrote ${base}.json and .md\n`);
