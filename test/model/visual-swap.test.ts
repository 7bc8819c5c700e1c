/**
 * The recipe's visual swap (models/recipe/data.py TensorWindows.as_swapped_visual, `train.visualSwap`): a share of
 * the training windows take the look of another surface of the same material, so the network learns the material
 * from the look rather than memorising its training surfaces. Runs models/recipe/check_visual_swap.py (Debian's
 * python3-torch; CI installs it) on items whose visual frames say which item they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipeSkip, runRecipe } from './recipe.js';

const skip = recipeSkip(['torch']);

interface Case {
  windows: number; swapShare: number; swapShareWhereOtherSurface: number; swappedNoOtherSurface: number;
  sameMaterial: boolean; otherSurface: boolean; oneItemPerWindow: boolean; framesInRange: boolean;
  framesNondecreasing: boolean; melAndActionOwn: boolean; coversAllOthers: boolean | null;
}

test('visual swap: same material, another surface, the asked share; unlabelled and one-surface items keep their own; bad specs refused', { skip, timeout: 120_000 }, () => {
  const { refused, ...out } = JSON.parse(runRecipe(['check_visual_swap.py']).trim().split('\n').pop()!) as Record<string, Case> & { refused: string[] };
  assert.equal(refused.length, 5, `refused only ${refused.length} of 5 malformed visualSwap specs`);
  for (const msg of refused) assert.match(msg, /train\.visualSwap must be/);
  for (const [name, c] of Object.entries(out)) {
    assert.equal(c.sameMaterial, true, `${name}: a window took the look of another material`);
    assert.equal(c.otherSurface, true, `${name}: a swapped window took the look of its own surface`);
    assert.equal(c.swappedNoOtherSurface, 0, `${name}: an item with no other surface of its material (or no label) was swapped`);
    assert.equal(c.oneItemPerWindow, true, `${name}: a window's frames came from more than one item`);
    assert.equal(c.framesInRange, true, `${name}: a frame index past the other item's end`);
    assert.equal(c.framesNondecreasing, true, `${name}: frames out of time order`);
    assert.equal(c.melAndActionOwn, true, `${name}: the swap touched the mel or the action`);
  }
  // 4 096 windows: the share is within 0.05 of the asked one (its standard error is 0.008)
  assert.ok(Math.abs(out['half']!.swapShareWhereOtherSurface - 0.5) < 0.05, `half: ${out['half']!.swapShareWhereOtherSurface}`);
  assert.equal(out['all']!.swapShareWhereOtherSurface, 1, 'probability 1: every window that can be swapped is');
  assert.equal(out['half']!.coversAllOthers, true, 'some other-surface item of a material is never drawn');
  assert.equal(out['all']!.coversAllOthers, true, 'some other-surface item of a material is never drawn');
  for (const name of ['zero', 'absent']) assert.equal(out[name]!.swapShare, 0, `${name}: windows swapped without visualSwap`);
  assert.ok(out['all']!.swapShare < 1, 'the unlabelled item and the one-surface material must keep their own frames');
});
