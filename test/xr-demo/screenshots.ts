/**
 * Takes the screenshots in docs/img/ used by docs/xr-demo.md (not a test; run by hand, ~2 minutes):
 *   npx tsx test/xr-demo/screenshots.ts [docs/img]
 * xr-demo-desktop.png   desktop mode after replaying examples/knock-wood.json (HUD: latency, spectrogram, regions)
 * xr-demo-immersive.png the emulated Quest session, the right hand resting on the pot (in-VR HUD panel)
 * xr-demo-capture.png   capture mode recording Chromium's fake microphone (level in the HUD)
 * SwiftShader draws the splat at about 1 frame/s, so the audio-driven parts (spectrogram) are run with the splat
 * hidden, then the splat is shown again for the picture.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enterEmulatedSession, openDemo, type DemoRig } from './demo-rig.js';

const outDir = resolve(process.argv[2] ?? 'docs/img');
mkdirSync(outDir, { recursive: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wav = fileURLToPath(new URL('../../examples/drum-hit-16k.wav', import.meta.url));

async function withSplat(demo: DemoRig, file: string): Promise<void> {
  await demo.page.evaluate(() => window.xrDemo.setSplatVisible(true));
  await sleep(1500); // a slow frame or two with the splat (each scrolls the spectrogram by at most 60 px)
  await demo.page.screenshot({ path: resolve(outDir, file) });
  console.log(`wrote ${resolve(outDir, file)}`);
}

const demo = await openDemo({ query: '?desktop=1', extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`] });
try {
  const { page } = demo;
  await page.evaluate(() => window.xrDemo.setSplatVisible(false));
  await sleep(1500);
  const r = await page.evaluate(() => window.xrDemo.replay('knock-wood'));
  await sleep(r.durationSec * 1000 - 500); // the knocks still on the spectrogram (1 px per 10 ms)
  await withSplat(demo, 'xr-demo-desktop.png');

  await page.evaluate(() => window.xrDemo.setSplatVisible(false));
  await enterEmulatedSession(page);
  await sleep(1000);
  await page.evaluate(() => window.xrDemo.strike(1, 'table', [0.0, -0.42], { settleSec: 0.3, holdSec: 0.3 }));
  await page.evaluate(() => window.xrDemo.strike(1, 'pot', undefined, { settleSec: 0.3, holdSec: 0.3 }));
  // Rest on the pot for the picture (a long hold; the promise is not awaited).
  void page.evaluate(() => window.xrDemo.strike(1, 'pot', undefined, { settleSec: 0.3, holdSec: 20 }));
  await sleep(2500);
  await withSplat(demo, 'xr-demo-immersive.png');
  await page.evaluate(() => window.xrDemo.setSplatVisible(false));
  await sleep(3000);

  // Capture mode on the desktop page (the DOM HUD is covered by the emulator's canvas while in the session).
  await page.reload();
  await page.waitForFunction(() => window.xrDemo?.ready === true, undefined, { timeout: 120_000 });
  await page.evaluate(() => window.xrDemo.setSplatVisible(false));
  await page.evaluate(() => window.xrDemo.startCapture());
  await sleep(2500);
  await withSplat(demo, 'xr-demo-capture.png');
  await page.evaluate(() => window.xrDemo.stopCapture());
} finally {
  await demo.close();
}
