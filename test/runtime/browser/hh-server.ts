/** The rig server and browser for the runtime's browser tests: the test page's bundles, onnxruntime-web's dist and models/ on one origin. */
import { fileURLToPath } from 'node:url';
import { launchRigBrowser, type RigBrowser } from '../../rig/chromium.js';
import { startRigServer, type RigServer } from '../../rig/server.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export async function openRuntimePage(page: { name: string; entry: string }): Promise<{ server: RigServer; browser: RigBrowser; close(): Promise<void> }> {
  const server = await startRigServer({
    entries: {
      [page.name]: page.entry,
      sampler: here('../../../src/runtime/browser/sampler.worker.ts'),
      playback: here('../../../src/audio/playback-processor.ts'),
      recorder: here('./recorder-processor.ts'),
    },
    files: { '/ort/': here('../../../node_modules/onnxruntime-web/dist'), '/models/': here('../../../models') },
  });
  const browser = await launchRigBrowser();
  return { server, browser, async close() { await browser.close(); await server.close(); } };
}

export const HH_PAGE = { name: 'hh-page', entry: here('./hh-page.ts') };
