/**
 * Node side of the browser bench: the test rig's isolated server bundles the page, Workers and worklet;
 * headless Chromium (the rig's launcher and flags) runs them. onnxruntime-web's dist files and the shipped
 * model are served on the same origin through playwright routes (the rig server serves bundles only), with
 * the isolation headers that threaded wasm Workers need.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize } from 'node:path';
import { launchRigBrowser } from '../../test/rig/chromium.js';
import { startRigServer } from '../../test/rig/server.js';
import type { BrowserCaseResult, BrowserInfo, WorkletCaseRequest } from './protocol.js';
import type { OrtCaseRequest } from './protocol.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const ROOT = here('../..');
const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
const MODELS = join(ROOT, 'models');

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.onnx': 'application/octet-stream' };
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

export interface BrowserBench {
  info: BrowserInfo;
  chromiumVersion: string;
  dsp(reps: number): Promise<BrowserCaseResult>;
  ort(req: Pick<OrtCaseRequest, 'ep' | 'threads' | 'reps'>, manifest: string, timeoutSec: number): Promise<BrowserCaseResult>;
  worklet(req: WorkletCaseRequest): Promise<BrowserCaseResult>;
  log: string[];
  close(): Promise<void>;
}

export async function openBrowserBench(): Promise<BrowserBench> {
  const server = await startRigServer({
    entries: {
      'bench-page': here('./bench.page.ts'),
      'bench-dsp-worker': here('./dsp.worker.ts'),
      'bench-ort-wasm-worker': here('./ort-wasm.worker.ts'),
      'bench-ort-webgpu-worker': here('./ort-webgpu.worker.ts'),
      'bench-playback-worklet': here('./timed-playback.worklet.ts'),
    },
  });
  const browser = await launchRigBrowser();
  // Static files under /ort/ and /models/ on the rig's origin (routes added later win over the rig's own).
  const serve = (prefix: string, dir: string) => browser.context.route((url) => url.href.startsWith(server.origin + prefix), async (route) => {
    const rel = normalize(decodeURIComponent(new URL(route.request().url()).pathname.slice(prefix.length)));
    if (rel.startsWith('..')) return route.fulfill({ status: 403, body: 'forbidden' });
    try {
      const body = await readFile(join(dir, rel));
      const ext = rel.slice(rel.lastIndexOf('.'));
      await route.fulfill({ status: 200, body, headers: { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', ...ISOLATION } });
    } catch {
      await route.fulfill({ status: 404, body: 'not found', headers: ISOLATION });
    }
  });
  await serve('/ort/', ORT_DIST);
  await serve('/models/', MODELS);
  const page = browser.page;
  try {
    await page.goto(server.url('/bench-page.html'));
    await page.waitForFunction(() => window.hhBench?.ready === true, undefined, { timeout: 60_000 });
  } catch (e) {
    await browser.close(); await server.close();
    throw new Error(`browser bench page did not load: ${(e as Error).message}\n${browser.log.join('\n')}`);
  }
  const info = await page.evaluate(() => window.hhBench.info());
  const withLog = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try { return await p; } catch (e) { throw new Error(`browser bench ${what}: ${(e as Error).message}\n${browser.log.slice(-20).join('\n')}`); }
  };
  return {
    info,
    chromiumVersion: browser.context.browser()?.version() ?? /Chrome\/([\d.]+)/.exec(info.userAgent)?.[1] ?? 'unknown',
    log: browser.log,
    dsp: (reps) => withLog('dsp', page.evaluate((n) => window.hhBench.dsp(n), reps)),
    ort: (req, manifest, timeoutSec) => withLog(`ort ${req.ep}`, page.evaluate((r) => window.hhBench.ort(r),
      { ...req, manifestPath: '/models/' + manifest, timeoutSec })),
    worklet: (req) => withLog('worklet', page.evaluate((r) => window.hhBench.worklet(r), req)),
    async close() { await browser.close(); await server.close(); },
  };
}
