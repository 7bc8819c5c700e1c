import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyMeter } from '../../xr-demo/src/latency-meter.js';

test('latency meter: a contact pairs with the first onset in [−200, +300] ms, whichever reaches the page first', () => {
  const m = new LatencyMeter();
  // Event first, sound 12 ms later.
  m.contact(10.0, 'wood', 10.0);
  m.onsets([10.012], 10.05);
  // Sound first (anticipated, 15 ms before the contact), the event a render frame later.
  m.onsets([11.985], 12.0);
  m.contact(12.0, 'metal', 12.06);
  // An onset with no contact near it is never paired with a later, distant contact.
  m.onsets([13.0], 13.0);
  m.contact(13.5, 'wood', 13.5);
  assert.deepEqual(m.readings.map((r) => [r.region, Math.round(r.latencyMs)]), [['wood', 12], ['metal', -15]]);
  // Unpaired contacts and onsets are forgotten after a second.
  m.onsets([15.0], 15.0);
  m.contact(14.9, 'stone', 16.5);
  assert.equal(m.readings.length, 2);
  assert.equal(m.last()!.region, 'metal');
  assert.equal(Math.round(m.medianMs()!), 12);
});
