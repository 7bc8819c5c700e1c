/**
 * `hearing-hands demo`: the project's main job on its bundled defaults — renders the bundled hand trajectories
 * (examples/*.json) through the live path in simulated time, with the shipped model when it loads (else the
 * procedural baseline, saying why), writes out/<name>.wav and prints what it measured.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as render } from './render.js';

export const summary = 'renders the bundled hand trajectories to out/*.wav and prints latency and real-time factor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: hearing-hands demo [render options]\n\nRenders examples/*.json to out/*.wav (see `hearing-hands render --help` for the options).\n');
    return 0;
  }
  const examples = join(root, 'examples');
  const files = readdirSync(examples).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const out = join(root, 'out', f.replace(/\.json$/, '.wav'));
    process.stdout.write(`\n== ${f}\n`);
    const input = join(examples, f);
    const code = await render([relative(process.cwd(), input) || input, '-o', relative(process.cwd(), out) || out, ...args]);
    if (code !== 0) return code;
  }
  return 0;
}
