/**
 * Offline rendering, the paper's way (section 4.1): the whole trajectory is known, so each 8 s window is generated
 * with the full sampler (default 25 Euler steps at guidance 4.5) and the whole clip is vocoded at the end, by the
 * runtime's streaming Griffin-Lim stage (attack-gated: it keeps the attacks that whole-clip Griffin-Lim smears
 * into pre-echo; src/vocoder/vocode-clip.ts), as the evaluation's table measures it. Nothing is anticipated:
 * every conditioning frame is measured. Windows after the first continue from the last one's end (its final frames
 * are given as clean context — the model is chunk-causal), so a contact near a boundary rings on across it.
 *
 * The result is time-aligned like the streaming render: output sample 0 is the trajectory's t = 0.
 */
import type { Dsp } from '../dsp/index.js';
import { HandFrame } from '../hand/hand-frame.js';
import type { Trajectory } from '../hand/trajectory.js';
import { InvalidArgumentError } from '../errors.js';
import type { FlowModel } from '../model/index.js';
import { N_MELS } from '../model/manifest.js';
import type { Camera } from '../sim/scene.js';
import { ActionTimeline, type SurfaceClamp } from './action-timeline.js';
import { ConditioningBuilder } from './conditioning-builder.js';
import type { VisualContext } from './visual-context.js';
import { vocodeClip } from '../vocoder/vocode-clip.js';

export interface OfflineRenderOptions {
  model: FlowModel;
  dsp: Dsp;
  outputRate: number;
  camera: Camera;
  visual: VisualContext;
  clamp?: SurfaceClamp;
  /** Euler steps and guidance (default the manifest's offline sampler: 25 at g 4.5, guided from its guidanceFrom). */
  steps?: number;
  guidance?: number;
  /** Flow time from which steps are guided (default the manifest's sampling.guidanceFrom). */
  guidanceFrom?: number;
  /** Window length in seconds (default the manifest's offlineSec, 8 s as in the paper). */
  windowSec?: number;
  seed?: number;
  /** 'stream' (default): the streaming Griffin-Lim stage over the clip; 'whole-clip': Griffin-Lim of the whole clip at once. */
  vocoder?: 'stream' | 'whole-clip';
  /** Griffin-Lim iterations (default: the stage's 2 per frame, or 32 for 'whole-clip'). */
  vocoderIterations?: number;
}

export interface OfflineRender {
  /** Mono audio at outputRate; sample 0 = trajectory time 0. */
  output: Float32Array;
  windows: number;
  melFrames: number;
  /** Wall time of the model (all windows) and of the vocoder + resampling. */
  modelMs: number;
  vocoderMs: number;
}

export async function renderOffline(traj: Trajectory, opts: OfflineRenderOptions): Promise<OfflineRender> {
  const { model, dsp } = opts;
  if (traj.frameCount < 2) throw new InvalidArgumentError('offline render needs a trajectory of at least 2 frames');
  const c = model.manifest.conditioning;
  const { hop, sampleRate } = dsp.settings;
  const hopSec = hop / sampleRate;
  const t0 = traj.timesSec[0]!;
  const melFrames = Math.floor(traj.durationSec / hopSec) + 1;
  const windowFrames = Math.round((opts.windowSec ?? model.manifest.window.offlineSec) / hopSec);
  const contextFrames = Math.min(model.manifest.window.receptiveFieldFrames, Math.floor(windowFrames / 4));
  if (!(windowFrames > contextFrames + 1)) throw new InvalidArgumentError(`window of ${windowFrames} frames is too short`);

  // Every 30 Hz grid frame of the trajectory, kept for the whole render (nothing is older than the history).
  const gridFrames = Math.ceil(traj.durationSec * c.actionFps) + 2 + c.actionLookaheadFrames;
  const actions = new ActionTimeline({ rateHz: c.actionFps, historyFrames: Math.max(4, gridFrames + 8), maxAnticipationSec: 0.2, clamp: opts.clamp });
  const frame = new HandFrame();
  for (let i = 0; i < traj.frameCount; i++) actions.push(traj.frameAt(i, frame));
  const builder = new ConditioningBuilder(actions, opts.camera, opts.visual,
    { actionFps: c.actionFps, visualFps: c.visualFps, visualDim: c.visualDim, hopSec, actionLookaheadFrames: c.actionLookaheadFrames });

  const logMel = new Float32Array(melFrames * N_MELS);
  let modelMs = 0, windows = 0;
  for (let start = 0; start < melFrames; windows++) {
    const ctx = start === 0 ? 0 : contextFrames;
    const first = start - ctx;
    const count = Math.min(windowFrames, melFrames - first);
    const { action, visual } = builder.build(first, count);
    const m0 = performance.now();
    const mel = await model.generate({
      actionMel: action, visualMel: visual, steps: opts.steps, guidance: opts.guidance, guidanceFrom: opts.guidanceFrom, seed: (opts.seed ?? 0) + windows,
      ...(ctx > 0 ? { contextLogMel: logMel.slice(first * N_MELS, start * N_MELS) } : {}),
    });
    modelMs += performance.now() - m0;
    logMel.set(mel, start * N_MELS);
    start = first + count;
  }

  const v0 = performance.now();
  const vocoder = opts.vocoder ?? 'stream';
  if (vocoder !== 'stream' && vocoder !== 'whole-clip') throw new InvalidArgumentError(`vocoder must be 'stream' or 'whole-clip', got '${String(vocoder)}'`);
  const wave16k = vocoder === 'whole-clip'
    ? dsp.griffinLim(dsp.melToLinear(logMel, melFrames), melFrames, { iterations: opts.vocoderIterations ?? 32 })
    : vocodeClip(dsp, logMel, melFrames, opts.vocoderIterations !== undefined ? { iterations: opts.vocoderIterations } : {});
  const resampled = opts.outputRate === sampleRate ? wave16k : dsp.resample(wave16k, sampleRate, opts.outputRate);
  const vocoderMs = performance.now() - v0;
  // Mel frame 0 is centred on the first hand frame, at t0 (normally 0): put it there.
  const lead = Math.max(0, Math.round(t0 * opts.outputRate));
  const output = new Float32Array(lead + resampled.length);
  output.set(resampled, lead);
  return { output, windows, melFrames, modelMs, vocoderMs };
}
