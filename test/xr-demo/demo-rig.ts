/**
 * Node side of the XR demo tests and screenshots: builds the demo into a temporary folder, serves it with the demo's
 * own server (captures into a temporary dataset root) and opens it in headless Chromium (the rig's flags, plus
 * optional ones such as the fake microphone). Like the rig, it refuses and records any request outside 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../rig/chromium.js';
import { buildDemo } from '../../xr-demo/build.js';
import { startDemoServer, type DemoServer } from '../../xr-demo/serve.js';
import type {} from '../../xr-demo/src/demo-api.js';

export interface DemoRig {
  page: Page;
  context: BrowserContext;
  server: DemoServer;
  capturesDir: string;
  log: string[];
  externalRequests: string[];
  close(): Promise<void>;
}

const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader'];

export interface OpenDemoOptions {
  /** The page's query string (default '?desktop=1'). */
  query?: string;
  /** More Chromium flags (e.g. the fake microphone). */
  extraArgs?: string[];
  viewport?: { width: number; height: number };
  /** Launch Chromium without its WebGPU flags: no adapter, in the page or in Workers (a browser without WebGPU). */
  noWebGpu?: boolean;
}

export async function openDemo(opts: OpenDemoOptions = {}): Promise<DemoRig> {
  const work = mkdtempSync(join(tmpdir(), 'hh-xr-demo-'));
  const dist = await buildDemo(join(work, 'dist'), { minify: false });
  const capturesDir = join(work, 'captures');
  const log: string[] = [], externalRequests: string[] = [];
  const server = await startDemoServer({ dir: dist, capturesDir, log: (l) => log.push(`[server] ${l}`) });
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM_PATH, ignoreDefaultArgs: ['--headless'], args: [...CHROMIUM_FLAGS.filter((f) => !(opts.noWebGpu && WEBGPU_FLAGS.includes(f))), ...(opts.extraArgs ?? [])],
    viewport: opts.viewport ?? { width: 1280, height: 720 },
  });
  await context.route((url) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url.href), (route) => {
    externalRequests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (opts.noWebGpu) {
    // Pages and workers: the sampler Worker checks navigator.gpu too.
    // A string, not a function: tsx's transform would leave helper calls in a serialised function.
    await context.addInitScript({ content: "Object.defineProperty(Object.getPrototypeOf(navigator), 'gpu', { get: () => undefined, configurable: true });" });
  }
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => log.push(`[worker ${m.type()}] ${m.text()}`)));
  const close = async () => {
    await context.close().catch(() => undefined);
    await server.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await page.goto(`${server.origin}/${opts.query ?? '?desktop=1'}`);
    await page.waitForFunction(() => window.xrDemo !== undefined, undefined, { timeout: 120_000 });
    const fatal = await page.evaluate(() => window.xrDemo.ready ? null : String(window.xrDemo.fatal));
    if (fatal) throw new Error(`the demo did not start: ${fatal}`);
  } catch (e) {
    const msg = `${(e as Error).message}\n${log.slice(-30).join('\n')}`;
    await close();
    throw new Error(msg);
  }
  return { page, context, server, capturesDir, log, externalRequests, close };
}

/** Enters the emulated immersive session and waits until both emulated hands have been seen (strikes need that). */
export async function enterEmulatedSession(page: Page): Promise<void> {
  await page.evaluate(() => window.xrDemo.enterVR());
  await page.waitForFunction(() => window.xrDemo.inXR() && window.xrDemo.calibrated(), undefined, { timeout: 60_000 });
}
