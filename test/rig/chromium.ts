/**
 * Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with the flag set that
 * ENVIRONMENT.md found to work for WebGL2/WebGPU on SwiftShader, SharedArrayBuffer and audio without a
 * user gesture. Never downloads a browser.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu', '--enable-features=Vulkan',
  '--use-vulkan=swiftshader', '--use-angle=swiftshader', '--autoplay-policy=no-user-gesture-required',
  // Keep rAF and timers running at full rate in a page nobody looks at.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

export interface RigBrowser {
  context: BrowserContext;
  page: Page;
  /** Console lines from the page (and its workers), for failure messages. */
  log: string[];
  /** URLs outside 127.0.0.1 that the page tried to load (blocked). */
  externalRequests: string[];
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean { return existsSync(CHROMIUM_PATH); }

export async function launchRigBrowser(): Promise<RigBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'hh-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    ignoreDefaultArgs: ['--headless'],
    args: CHROMIUM_FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const log: string[] = [];
  const externalRequests: string[] = [];
  // The rig must never reach outside 127.0.0.1: refuse and remember any attempt (tests assert it is empty).
  await context.route((url) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url.href), (route) => {
    externalRequests.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  page.on('requestfailed', (r) => log.push(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('worker', (w) => w.on('console', (m) => log.push(`[worker ${m.type()}] ${m.text()}`)));
  return {
    context, page, log, externalRequests,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
