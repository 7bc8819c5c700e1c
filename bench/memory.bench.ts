/**
 * Memory: peak RSS of each component in a fresh process (bench/memory-probe.ts), the WASM heap of a Dsp, and
 * the sizes of what ships (model graphs, the DSP module, onnxruntime-web's wasm binaries a page downloads).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchRow, BenchSection } from './lib.js';
import { DSP_WASM_BASE64 } from '../src/dsp/dsp-wasm.gen.js';
import { decodeBase64 } from '../src/dsp/base64.js';

const run$ = promisify(execFile);
const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const MiB = 2 ** 20;

async function probe(which: string, quick: boolean): Promise<Record<string, number | string>> {
  const { stdout } = await run$(process.execPath, ['--import', 'tsx', path('./memory-probe.ts'), which, quick ? 'quick' : 'full'],
    { cwd: path('..'), timeout: 300_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number | string>;
}

const round = (v: number | string | undefined) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v ?? '');

export default async function run(opts: BenchOptions): Promise<BenchSection[]> {
  const rss: BenchRow[] = [];
  const cases = ['baseline', 'dsp', ...(existsSync(path('../models/hh-flow-s.json')) ? ['model-node', 'model-wasm'] : [])];
  const what: Record<string, string> = {
    baseline: 'Node 20 + tsx, nothing loaded',
    dsp: 'DSP core: 8 s log-mel, Griffin-Lim, streaming vocoder, resampler',
    'model-node': 'flow model, onnxruntime-node: ticks + offline 8 s clip',
    'model-wasm': 'flow model, onnxruntime-web wasm (Node): ticks + offline 8 s clip',
  };
  let baseline = 0;
  for (const c of cases) {
    const r = await probe(c, opts.quick);
    // Peak RSS includes tsx compiling TypeScript at start-up (the baseline's peak), which can hide a small
    // component; the RSS held after the work, over the baseline's, is what the component keeps.
    const held = r.rssMiB as number;
    if (c === 'baseline') baseline = held;
    rss.push({ label: what[c]!, values: {
      'peak RSS (MiB)': round(r.peakRssMiB), 'RSS after work (MiB)': round(held), 'held over baseline (MiB)': round(Math.max(0, held - baseline)), 'JS heap used (MiB)': round(r.heapUsedMiB),
      'array buffers (MiB)': round(r.arrayBuffersMiB),
      ...(r.dspHeapAfterCreateMiB !== undefined ? { 'Dsp WASM heap after create (MiB)': round(r.dspHeapAfterCreateMiB), 'Dsp WASM heap after 8 s work (MiB)': round(r.dspHeapAfter8sMiB) } : {}),
    } });
  }

  const sizes: BenchRow[] = [];
  const manifestPath = path('../models/hh-flow-s.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; parameters: number; files: Record<string, unknown> };
    const quantized = (m.files['quantized'] ?? {}) as Record<string, unknown>;
    const graphs = [...Object.entries(m.files), ...Object.entries(quantized).map(([role, file]) => [`${role} int8`, file] as const)];
    for (const [role, file] of graphs) {
      if (typeof file !== 'string' || !file.endsWith('.onnx')) continue; // files.quantized itself, its scheme
      const bytes = statSync(path(`../models/${file}`)).size;
      sizes.push({ label: `model ${role} graph (${file})`, values: { MiB: bytes / MiB, 'bytes per parameter': role === 'classifier' ? '' : bytes / m.parameters } });
    }
  }
  sizes.push({ label: 'DSP core WASM module (embedded in the bundle as base64)', values: { MiB: decodeBase64(DSP_WASM_BASE64).length / MiB } });
  for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.asyncify.wasm']) {
    const p = path(`../node_modules/onnxruntime-web/dist/${f}`);
    if (existsSync(p)) sizes.push({ label: `onnxruntime-web ${f} (${f.includes('asyncify') ? 'WebGPU build' : 'wasm build'})`, values: { MiB: statSync(p).size / MiB } });
  }
  return [
    { name: 'Memory: peak RSS per component', description: 'Each case in a fresh Node process (so the peak is its own; it includes tsx compiling at start-up); "held over baseline" is the RSS after the work minus that of Node + tsx alone. The Dsp WASM heap is one instance\'s linear memory (it only grows).', rows: rss },
    { name: 'Memory: shipped file sizes', description: 'What a page downloads: model graphs (fp32, and the int8 copies), the DSP module, and onnxruntime-web\'s wasm binary for the chosen build.', rows: sizes },
  ];
}
