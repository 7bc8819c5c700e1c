/**
 * Builds the XR demo into xr-demo/dist/: the page (index.html), the scene files, the bundled trajectories, the shipped
 * model and onnxruntime-web's wasm files (for ?sound=model), and four esbuild bundles: the page, the sampler Worker and the two AudioWorklets (runtime playback, recorder). Everything
 * the page loads is in that folder: nothing is fetched from elsewhere at run time.
 *
 *   npx tsx xr-demo/build.ts            (npm run xr-demo builds and serves)
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const demoDir = fileURLToPath(new URL('.', import.meta.url));
const root = join(demoDir, '..');

export const BUNDLE_ENTRIES: Record<string, string> = {
  main: join(demoDir, 'src/main.ts'),
  sampler: join(root, 'src/runtime/browser/sampler.worker.ts'),
  playback: join(root, 'src/audio/playback-processor.ts'),
  recorder: join(demoDir, 'src/audio/ring-recorder.processor.ts'),
};

const MODEL = 'hh-flow-s-live-d2'; // the model trained for the live path (src/model/shipped.ts)

export async function buildDemo(outDir = join(demoDir, 'dist'), opts: { minify?: boolean } = {}): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'bundles'), { recursive: true });
  await Promise.all(Object.entries(BUNDLE_ENTRIES).map(([name, entry]) => build({
    entryPoints: [entry], outfile: join(outDir, 'bundles', `${name}.js`), bundle: true, format: 'esm', platform: 'browser',
    target: 'chrome120', sourcemap: true, minify: opts.minify ?? true, logLevel: 'warning',
  })));
  copyFileSync(join(demoDir, 'index.html'), join(outDir, 'index.html'));
  mkdirSync(join(outDir, 'scene'));
  for (const f of readdirSync(join(demoDir, 'scene'))) if (/\.(splat|ply|spz|json)$/.test(f)) copyFileSync(join(demoDir, 'scene', f), join(outDir, 'scene', f));
  // onnxruntime-web's wasm builds (plain and WebGPU/JSEP) and the shipped model, for ?sound=model: same origin, no CDN.
  mkdirSync(join(outDir, 'ort'));
  const ortDist = join(root, 'node_modules/onnxruntime-web/dist');
  for (const f of readdirSync(ortDist).filter((n) => /^ort-wasm-simd-threaded.*\.(mjs|wasm)$/.test(n))) copyFileSync(join(root, 'node_modules/onnxruntime-web/dist', f), join(outDir, 'ort', f));
  mkdirSync(join(outDir, 'models'));
  // The manifest and every graph beside it (tick, step, quantised variants: the runtime picks from the manifest).
  for (const f of readdirSync(join(root, 'models')).filter((n) => n.startsWith(`${MODEL}.`) && /\.(json|onnx)$/.test(n))) copyFileSync(join(root, 'models', f), join(outDir, 'models', f));
  mkdirSync(join(outDir, 'trajectories'));
  for (const f of readdirSync(join(root, 'examples'))) if (f.endsWith('.json')) copyFileSync(join(root, 'examples', f), join(outDir, 'trajectories', f));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  const out = await buildDemo();
  console.log(`xr-demo built into ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
