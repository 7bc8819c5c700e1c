// The rig itself: pages are cross-origin isolated, and any request leaving 127.0.0.1 is blocked and recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumAvailable, launchRigBrowser } from '../rig/chromium.js';
import { startRigServer } from '../rig/server.js';

test('rig server + Chromium: crossOriginIsolated, SharedArrayBuffer, outside requests blocked and recorded', { skip: !chromiumAvailable() && 'chromium not installed', timeout: 60_000 }, async () => {
  const server = await startRigServer({ entries: {}, pages: { '/x.html': '<!doctype html><p>x</p>' } });
  const browser = await launchRigBrowser();
  try {
    await browser.page.goto(server.url('/x.html'));
    const r = await browser.page.evaluate(async () => ({
      isolated: crossOriginIsolated,
      sab: typeof SharedArrayBuffer === 'function',
      fetch: await fetch('https://example.com/a.json').then(() => 'loaded', () => 'blocked'),
    }));
    assert.deepEqual(r, { isolated: true, sab: true, fetch: 'blocked' });
    assert.deepEqual(browser.externalRequests, ['https://example.com/a.json']);
    const missing = await browser.page.evaluate(() => fetch('/nope.js').then((res) => res.status));
    assert.equal(missing, 404);
  } finally {
    await browser.close();
    await server.close();
  }
});
