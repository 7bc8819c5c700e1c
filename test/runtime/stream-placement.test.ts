import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamPlacement } from '../../src/runtime/browser/stream-placement.js';

const ringing = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * 0.05));

test('a continuous stream keeps its placement while the clock-offset estimate wobbles by a few frames', () => {
  const p = new StreamPlacement(96);
  const chunk = ringing(480);
  // The estimate moves by up to 45 frames both ways (what the sampler's window maximum does): no seam.
  const anchors = [1000, 1019, 1021, 1014, 1059, 1000, 960, 1040];
  let sample = 0;
  for (const a of anchors) {
    assert.equal(p.frameFor(a, sample, chunk), 1000 + sample, `chunk at stream sample ${sample}`);
    sample += chunk.length;
  }
  assert.equal(p.endFrame, 1000 + sample);
  // A real change (beyond the tolerance) is followed: one seam.
  assert.equal(p.frameFor(1200, sample, chunk), 1200 + sample);
  sample += chunk.length;
  assert.equal(p.frameFor(1150, sample, chunk), 1200 + sample);
});

test('the placement follows the estimate at once where the stream starts over or is silent', () => {
  const p = new StreamPlacement(96);
  assert.equal(p.frameFor(500, 0, ringing(100)), 500);
  assert.equal(p.frameFor(520, 300, ringing(100)), 820, 'not a continuation (samples 100…300 never came)');
  const silent = new Float32Array(100);
  assert.equal(p.frameFor(540, 400, ringing(100)), 920, 'ringing: kept');
  const fading = ringing(100); fading[99] = 0; // the chunk before ends quiet …
  assert.equal(p.frameFor(540, 500, fading), 1020, 'the chunk itself rings: kept');
  assert.equal(p.frameFor(540, 600, silent), 1140, '… and this one is silent: follows');
  p.reset();
  assert.equal(p.frameFor(700, 700, ringing(100)), 1400, 'after a reset');
});

test('a re-render from inside the stream continues it; a splice is allowed only where the present anchor placed the audio', () => {
  const p = new StreamPlacement(96);
  assert.equal(p.frameFor(1000, 0, ringing(480)), 1000);
  assert.equal(p.frameFor(1040, 200, ringing(480)), 1200, 'overlapping re-render, estimate in tolerance: kept');
  assert.equal(p.endFrame, 1000 + 680);
  assert.ok(p.sameAnchorFrom(200));
  assert.equal(p.frameFor(1040, 300, ringing(100)), 1300, 'a shorter re-render leaves the end where it was');
  assert.equal(p.endFrame, 1000 + 680);
  assert.equal(p.frameFor(1300, 680, ringing(480)), 1980, 'beyond the tolerance: followed');
  assert.ok(!p.sameAnchorFrom(400), 'audio before sample 680 was placed with the old anchor');
  assert.ok(p.sameAnchorFrom(700));
});
