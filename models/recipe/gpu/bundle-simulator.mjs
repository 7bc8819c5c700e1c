// Bundles the dataset simulator (the `simulate` command and its worker thread; the DSP WASM is embedded) into
// two plain JS files, so a GPU machine with only Node and Python can make the training data itself:
//   node models/recipe/gpu/bundle-simulator.mjs <outDir>   →  <outDir>/simulate.mjs, <outDir>/simulate-worker.js
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const outdir = process.argv[2] ?? join(root, '.devcarry/sim');
await build({
  entryPoints: {
    simulate: join(root, 'models/recipe/gpu/simulate-entry.ts'),
    // simulate.ts starts its workers from './simulate-worker.js' beside itself when it is not running from source.
    'simulate-worker': join(root, 'src/dataset/simulate-worker.ts'),
  },
  bundle: true, platform: 'node', format: 'esm', target: 'node20', outdir, outExtension: { '.js': '.js' },
  entryNames: '[name]', logLevel: 'warning',
});
// The main bundle is ESM too; name it .mjs so Node loads it without a package.json beside it.
import { renameSync, writeFileSync } from 'node:fs';
renameSync(join(outdir, 'simulate.js'), join(outdir, 'simulate.mjs'));
writeFileSync(join(outdir, 'package.json'), '{"type":"module"}\n');
console.log(`simulator bundle in ${outdir}`);
