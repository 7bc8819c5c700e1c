/**
 * Node side of the hand rig: starts the isolated server with the page and consumer bundles, launches
 * headless Chromium and returns handles to run the page's experiments. Used by the browser test and the
 * browser bench.
 */
import { fileURLToPath } from 'node:url';
import { launchRigBrowser, type RigBrowser } from '../chromium.js';
import { startRigServer, type RigServer } from '../server.js';
import type { HandRigConfig, HandRigResult, RingLatencyResult } from './hand-rig.page.js';

export interface HandRig {
  browser: RigBrowser;
  server: RigServer;
  run(config: HandRigConfig): Promise<HandRigResult>;
  ringLatency(frames: number, periodMs: number): Promise<RingLatencyResult>;
  close(): Promise<void>;
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export async function openHandRig(): Promise<HandRig> {
  const server = await startRigServer({
    entries: { 'hand-rig': here('./hand-rig.page.ts'), 'hand-consumer': here('./hand-consumer.worker.ts') },
  });
  const browser = await launchRigBrowser();
  try {
    await browser.page.goto(server.url('/hand-rig.html'));
    await browser.page.waitForFunction(() => (window as unknown as { handRig?: { ready: boolean } }).handRig?.ready === true, undefined, { timeout: 30_000 });
  } catch (e) {
    await browser.close(); await server.close();
    throw new Error(`hand rig page did not load: ${(e as Error).message}\n${browser.log.join('\n')}`);
  }
  const page = browser.page;
  return {
    browser, server,
    run: (config) => page.evaluate((c) => window.handRig.run(c), config),
    ringLatency: (frames, periodMs) => page.evaluate(([n, p]) => window.handRig.ringLatency(n, p), [frames, periodMs] as const),
    async close() { await browser.close(); await server.close(); },
  };
}
