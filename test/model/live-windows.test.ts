/**
 * The recipe's live-conditioned training windows (models/recipe/data.py TensorWindows with
 * train.predictedLookahead): what a live tick would have predicted instead of the true future hand frames.
 * Runs models/recipe/check_live_windows.py (Debian's python3-torch; CI installs it) on a hand of known motion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';
import { recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch', 'numpy']);

test('live training windows: exact far from the surface, clamped at it, untracked hands stay untracked; late-onset windows splice at the impact', { skip, timeout: 120_000 }, () => {
  const out = JSON.parse(runRecipe(['check_live_windows.py']).trim().split('\n').pop()!) as Record<string, number | number[]>;
  // The recipe's copy of the keypoint radii is the runtime's clamp's: the two must not drift apart.
  assert.deepEqual(out['radiiM'], [...KEYPOINT_RADIUS_M]);
  const m = out as Record<string, number>;
  assert.ok(m['farRows']! > 100, `far rows ${m['farRows']}`);
  assert.ok(m['farMaxError']! < 1e-4, `prediction of a constant-velocity hand off by ${m['farMaxError']}`);
  assert.ok(m['trueMaxPenetrationM']! > 0.1, 'the fixture hand should pass through the surface');
  assert.ok(m['maxPenetrationM']! < 1e-6, `predicted keypoint ${m['maxPenetrationM']} m inside the surface`);
  assert.ok(m['changedRows']! > 100, `rows replaced by predictions: ${m['changedRows']}`);
  assert.equal(m['untrackedMaxAbs'], 0);
  assert.equal(m['offMaxDiff'], 0);
  // Late-onset windows: the clean past ends on the frame before the impact, the first generated frame is the
  // impact's first, and the hand there is 1..8 mel frames past the impact (+ the 2-frame lookahead, at 30 Hz).
  const late = out['late'] as unknown as Record<string, number | number[]>;
  const first = late['firstFrame'] as number;
  assert.deepEqual(late['firstGenerated'], [first]);
  assert.deepEqual(late['lastContext'], [first - 1]);
  assert.equal(late['maxContextValue'], first - 1, 'the impact leaked into the clean past');
  assert.ok((late['minContext'] as number) >= 8 && (late['maxContext'] as number) < 64);
  const [lo, hi] = late['delayFrames30'] as number[];
  const ideal = (e: number) => Math.floor((first + e) * 30 * 256 / 16000) + 2 - first * 30 * 256 / 16000;
  assert.ok(Math.abs(lo! - ideal(1)) < 1e-3 && Math.abs(hi! - ideal(8)) < 1e-3, `delays ${lo}..${hi}`);
});
