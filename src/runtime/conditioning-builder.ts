/**
 * Builds the model's conditioning rows for a run of mel frames from an ActionTimeline (measured and anticipated
 * 30 Hz hand frames) and a VisualContext, exactly as the training data lays them out (src/model/conditioning.ts,
 * models/recipe/data.py): per mel frame, the nearest 30 Hz frame's (plus the model's lookahead) keypoints in the camera frame and their
 * backward-difference velocities; the causal-nearest 4 Hz visual frame's features.
 */
import { FLOATS_PER_FRAME, FLOATS_PER_HAND } from '../hand/joints.js';
import { actionFeatures, ACTION_DIM } from '../model/index.js';
import { toCameraFrame, type Camera } from '../sim/scene.js';
import type { ActionTimeline } from './action-timeline.js';
import type { VisualContext } from './visual-context.js';

export interface ConditioningLayout {
  actionFps: number;
  visualFps: number;
  visualDim: number;
  /** Mel frame period in seconds (hop / sampleRate). */
  hopSec: number;
  /** Action frames each mel frame looks ahead (the manifest's conditioning.actionLookaheadFrames). */
  actionLookaheadFrames: number;
}

export class ConditioningBuilder {
  private readonly pair = new Float32Array(2 * FLOATS_PER_FRAME);
  private readonly valid = new Uint8Array(2);
  private readonly visualRow: Float32Array;
  private cachedVisualFrame = -1;

  constructor(private readonly actions: ActionTimeline, private readonly camera: Camera,
    private readonly visual: VisualContext, private readonly layout: ConditioningLayout) {
    this.visualRow = new Float32Array(layout.visualDim);
  }

  /** Rows for mel frames [first, first + count): action (count × 252) and visual (count × visualDim). */
  build(first: number, count: number): { action: Float32Array; visual: Float32Array } {
    const action = new Float32Array(count * ACTION_DIM);
    const visual = new Float32Array(count * this.layout.visualDim);
    for (let i = 0; i < count; i++) {
      this.actionRow(first + i, action.subarray(i * ACTION_DIM, (i + 1) * ACTION_DIM));
      visual.set(this.visualRowFor(first + i), i * this.layout.visualDim);
    }
    return { action, visual };
  }

  private actionRow(i: number, out: Float32Array): void {
    const g = Math.floor(i * this.layout.hopSec * this.layout.actionFps) + this.layout.actionLookaheadFrames;
    for (let j = 0; j < 2; j++) {
      const kp = this.pair.subarray(j * FLOATS_PER_FRAME, (j + 1) * FLOATS_PER_FRAME);
      if (g - 1 + j < 0 || !this.cameraFrame(g - 1 + j, kp)) kp.fill(0);
    }
    out.set(actionFeatures(this.pair, this.layout.actionFps).subarray(ACTION_DIM, 2 * ACTION_DIM));
  }

  /** Grid frame k in the camera frame (untracked hands zero); false if it is no longer kept. */
  private cameraFrame(k: number, kp: Float32Array): boolean {
    try { this.actions.gridFrame(k, kp, this.valid); } catch { return false; }
    for (let h = 0; h < 2; h++) {
      const hand = kp.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND);
      if (this.valid[h]) toCameraFrame(hand, this.camera);
      else hand.fill(0);
    }
    return true;
  }

  private visualRowFor(i: number): Float32Array {
    const v = Math.floor(i * this.layout.hopSec * this.layout.visualFps);
    if (v !== this.cachedVisualFrame) {
      // The view at the visual frame's time, with the hands drawn where they are (or are predicted to be) then.
      const g = Math.round((v / this.layout.visualFps) * this.layout.actionFps);
      const kp = this.pair.subarray(0, FLOATS_PER_FRAME);
      let hands: (Float32Array | null)[] = [null, null];
      try {
        this.actions.gridFrame(g, kp, this.valid);
        hands = [0, 1].map((h) => (this.valid[h] ? kp.subarray(h * FLOATS_PER_HAND, (h + 1) * FLOATS_PER_HAND) : null));
      } catch { /* older than the history: draw no hands */ }
      this.visual.features(hands, this.visualRow);
      this.cachedVisualFrame = v;
    }
    return this.visualRow;
  }
}
