/**
 * `hearing-hands render <trajectory> -o out.wav`: the sound of a hand trajectory (DESIGN.md, CLI).
 * --mode stream (default) replays the live path in simulated time — the same generator, vocoder and audio-thread
 * timeline as in the browser — and reports the motion-to-sound latency it measured; the WAV is time-aligned with
 * the trajectory's t (sample 0 = t 0). --mode offline is the paper's way: the whole trajectory known, 8 s windows,
 * 25 steps at guidance 4.5, the clip vocoded by the streaming Griffin-Lim stage (src/runtime/offline-render.ts).
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { Dsp } from '../../dsp/index.js';
import { readTrajectoryFile } from '../../hand/trajectory-file.js';
import { writeWav } from '../../io/wav.js';
import { InvalidArgumentError, ModelLoadError } from '../../errors.js';
import type { Trajectory } from '../../hand/trajectory.js';
import { loadFlowModel } from '../../model/load-node.js';
import { getMaterial } from '../../sim/materials.js';
import { renderOffline } from '../../runtime/offline-render.js';
import { SHIPPED_MODEL_PATHS } from '../../model/shipped.js';
import { createGenerator } from '../../runtime/create-generator.js';
import { OnsetBackstop } from '../../runtime/onset-backstop.js';
import { runSimulatedSession } from '../../runtime/simulated-session.js';
import { impactTimes, inferSurface, trajectoryModelScene } from '../../runtime/trajectory-scene.js';
import { matchOnsets, percentile } from '../../runtime/latency.js';
import { singleSurfaceScene } from '../../runtime/visual-context.js';
import { writeBytes } from '../files.js';

export const summary = 'hand trajectory → WAV (live path in simulated time), with measured latency';

const DEFAULT_MODEL = { stream: SHIPPED_MODEL_PATHS.live, offline: SHIPPED_MODEL_PATHS.offline };
const USAGE = `usage: hearing-hands render <trajectory.json|.hht|.npy> -o <out.wav> [options]

  -o, --output <file>        the WAV to write (time-aligned with the trajectory: sample 0 = t 0)
      --mode <m>             stream (default: the live path, replayed in simulated time) or offline (the paper's
                             sampler over 8 s windows of the whole trajectory: needs the model)
      --steps <n>            offline: Euler steps (default the model's offlineSteps, 25)
      --guidance <g>         offline: classifier-free guidance (default the model's, 4.5)
      --guidance-from <t>    offline: guide only the steps from flow time t (0 noise … 1 data) on; the earlier ones
                             take the conditional velocity (default the model's sampling.guidanceFrom; 0 = every step)
      --backend <b>          auto (default: the model if it loads, else the procedural baseline), model, procedural
      --model <manifest>     model manifest (default ${DEFAULT_MODEL.stream} for stream, trained on the live
                             path's predicted hands; ${DEFAULT_MODEL.offline} for offline)
      --material <name>      the touched material (default: the trajectory's, else wood)
      --rate <hz>            output sample rate (default 48000)
      --anticipation <sec>   how far generation runs ahead of the newest hand frame (default: the least that
                             keeps the audio from running dry between ticks)
      --tick-frames <n>      mel frames per model tick (default: the model's chunk)
      --backstop on|off      stream mode with the model: the procedural strike for a contact the model left silent
                             (default on, as live; off = the model's audio alone)
      --compute <sec>        fixed sampler time per step: the output then depends only on the inputs and the seed
                             (default: measured)
      --seed <n>             noise seed (default 0)
  -h, --help                 this text
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        mode: { type: 'string', default: 'stream' },
        steps: { type: 'string' },
        guidance: { type: 'string' },
        'guidance-from': { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        model: { type: 'string' },
        material: { type: 'string' },
        rate: { type: 'string', default: '48000' },
        anticipation: { type: 'string' },
        'tick-frames': { type: 'string' },
        backstop: { type: 'string', default: 'on' },
        compute: { type: 'string' },
        seed: { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`hearing-hands render: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (positionals.length !== 1 || !values.output) {
    process.stderr.write(`hearing-hands render: ${positionals.length !== 1 ? 'one trajectory file expected' : 'no output file given (-o)'}\n\n${USAGE}`);
    return 2;
  }
  if (values.mode !== 'stream' && values.mode !== 'offline') throw new InvalidArgumentError(`--mode must be stream or offline, got ${values.mode}`);
  const backend = values.backend as 'auto' | 'model' | 'procedural';
  if (!['auto', 'model', 'procedural'].includes(backend)) throw new InvalidArgumentError(`--backend must be auto, model or procedural, got ${values.backend}`);
  const rate = Number(values.rate), seed = Number(values.seed);
  const anticipation = values.anticipation === undefined ? undefined : Number(values.anticipation);
  const tickFrames = values['tick-frames'] === undefined ? undefined : Number(values['tick-frames']);
  const compute = values.compute === undefined ? 'measured' as const : Number(values.compute);
  if (!Number.isInteger(rate) || rate < 8000 || rate > 192000) throw new InvalidArgumentError(`--rate must be an integer in 8000…192000, got ${values.rate}`);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError(`--seed must be a non-negative integer, got ${values.seed}`);
  if (compute !== 'measured' && !(compute >= 0)) throw new InvalidArgumentError(`--compute must be ≥ 0 seconds, got ${values.compute}`);

  const traj = readTrajectoryFile(positionals[0]!);
  const defaultModel = values.mode === 'offline' ? DEFAULT_MODEL.offline : DEFAULT_MODEL.stream;
  const modelPath = values.model ?? (existsSync(defaultModel) ? defaultModel : undefined);
  const dsp = await Dsp.create();
  if (values.mode === 'offline') {
    if (backend === 'procedural') throw new InvalidArgumentError('--mode offline runs the model; the procedural baseline has only the stream mode');
    if (!modelPath) throw new ModelLoadError(`no model given and ${defaultModel} is missing`);
    const steps = values.steps === undefined ? undefined : Number(values.steps);
    const guidance = values.guidance === undefined ? undefined : Number(values.guidance);
    if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1 && steps <= 1000)) throw new InvalidArgumentError(`--steps must be an integer in 1…1000, got ${values.steps}`);
    if (guidance !== undefined && !(guidance >= 0 && guidance <= 20)) throw new InvalidArgumentError(`--guidance must be in 0…20, got ${values.guidance}`);
    const guidanceFrom = values['guidance-from'] === undefined ? undefined : Number(values['guidance-from']);
    if (guidanceFrom !== undefined && !(guidanceFrom >= 0 && guidanceFrom <= 1)) throw new InvalidArgumentError(`--guidance-from must be a flow time in 0…1, got ${values['guidance-from']}`);
    return renderOfflineCommand(dsp, traj, { input: positionals[0]!, output: values.output, modelPath, material: values.material, rate, seed, steps, guidance, guidanceFrom });
  }
  if (values.backstop !== 'on' && values.backstop !== 'off') throw new InvalidArgumentError(`--backstop must be on or off, got ${values.backstop}`);
  const chosen = await createGenerator(dsp, traj, { backend, modelPath, material: values.material, outputRate: rate, anticipationSec: anticipation, tickFrames, seed,
    reproducible: compute !== 'measured', backstop: values.backstop === 'on' });
  if (chosen.fallbackReason) process.stderr.write(`hearing-hands render: using the procedural baseline (${chosen.fallbackReason})\n`);

  const wall0 = performance.now();
  const result = await runSimulatedSession(chosen.generator, traj, { computeSec: compute });
  const wallSec = (performance.now() - wall0) / 1000;
  await chosen.generator.dispose();
  const audioSec = result.output.length / rate;
  const report = await writeAndMeasure(dsp, traj, { input: positionals[0]!, output: values.output, rate, material: chosen.material, surfaceHeightM: chosen.surface.heightM }, result.output, 'latency');
  process.stdout.write([
    report.input,
    `backend    ${chosen.generator.kind}${chosen.model ? ` (${chosen.model.manifest.name}, ${chosen.model.manifest.parameters} parameters)` : ''}` +
      (chosen.generator instanceof OnsetBackstop ? `; onset backstop: ${chosen.generator.stats.sounded} of ${chosen.generator.stats.impacts} contacts struck procedurally (the model left them silent), ${chosen.generator.stats.retimed} late model onsets moved to their contacts` : ''),
    `compute    ${wallSec.toFixed(2)} s for ${audioSec.toFixed(2)} s of audio (real-time factor ${(audioSec / wallSec).toFixed(1)}×); ` +
      `sampler step p50 ${percentile(result.stepMs, 0.5).toFixed(2)} ms, p95 ${percentile(result.stepMs, 0.95).toFixed(2)} ms`,
    report.contacts,
    `audio      ${result.chunks} chunks, ${result.lateSamples} samples too late to play, ${result.dropouts} dropouts`,
    report.output,
  ].join('\n') + '\n');
  return 0;
}

interface RenderTarget { input: string; output: string; rate: number; material: string; surfaceHeightM: number }

/**
 * Writes the render as a 16-bit WAV and measures it against the trajectory's contacts; returns the report lines both
 * modes print. A WAV clips at full scale: rather than clip, the whole render is scaled down (timing untouched).
 */
async function writeAndMeasure(dsp: Dsp, traj: Trajectory, t: RenderTarget, output: Float32Array, lagName: 'latency' | 'onset error'):
  Promise<{ input: string; contacts: string; output: string }> {
  let peak = 0;
  for (const v of output) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0.99 ? 0.9 / peak : 1;
  if (gain !== 1) for (let i = 0; i < output.length; i++) output[i]! *= gain;
  await writeBytes(t.output, writeWav([output], t.rate, { format: 'pcm16' }), true);
  const contacts = impactTimes(traj, singleSurfaceScene(t.material, t.surfaceHeightM).surfaces);
  const match = matchOnsets(contacts, dsp.onsets(dsp.resample(output, t.rate, dsp.settings.sampleRate)));
  const ms = (s: number) => (Number.isNaN(s) ? 'n/a' : `${(s * 1000).toFixed(1)} ms`);
  return {
    input: `input      ${t.input}: ${traj.frameCount} frames, ${traj.durationSec.toFixed(2)} s, material ${t.material}, surface at y = ${t.surfaceHeightM.toFixed(3)} m`,
    contacts: `contacts   ${contacts.length} in the trajectory; ${contacts.length - match.missed} sounded, ${lagName} p50 ${ms(percentile(match.lagsSec, 0.5))}, ` +
      `p95 ${ms(percentile(match.lagsSec, 0.95))}${match.spurious ? `; ${match.spurious} onsets without a contact` : ''}`,
    output: `output     ${t.output}: ${t.rate} Hz mono pcm16, ${(output.length / t.rate).toFixed(2)} s` +
      (gain !== 1 ? `, scaled by ${(20 * Math.log10(gain)).toFixed(1)} dB (peak ${peak.toFixed(2)} would have clipped)` : ''),
  };
}

interface OfflineCommand {
  input: string; output: string; modelPath: string; material?: string; rate: number; seed: number; steps?: number; guidance?: number; guidanceFrom?: number;
}

/** --mode offline: the paper's sampler over the whole trajectory, then the same report as the stream mode. */
async function renderOfflineCommand(dsp: Dsp, traj: Trajectory, o: OfflineCommand): Promise<number> {
  const material = o.material ?? traj.info.material ?? 'wood';
  getMaterial(material); // an unknown name is an UnknownMaterialError listing the known ones
  const surface = inferSurface(traj);
  const model = await loadFlowModel(o.modelPath, 'node');
  try {
    const wall0 = performance.now();
    const r = await renderOffline(traj, { model, dsp, outputRate: o.rate, ...trajectoryModelScene(surface, material, model.manifest.conditioning.visualDim),
      steps: o.steps, guidance: o.guidance, guidanceFrom: o.guidanceFrom, seed: o.seed });
    const wallSec = (performance.now() - wall0) / 1000;
    const audioSec = r.output.length / o.rate;
    const report = await writeAndMeasure(dsp, traj, { input: o.input, output: o.output, rate: o.rate, material, surfaceHeightM: surface.heightM }, r.output, 'onset error');
    const s = model.manifest.sampling;
    const from = o.guidanceFrom ?? s.guidanceFrom;
    process.stdout.write([
      report.input,
      `backend    model offline (${model.manifest.name}, ${model.manifest.parameters} parameters): ${o.steps ?? s.offlineSteps} steps at guidance ${o.guidance ?? s.guidance}${from > 0 ? ` from flow time ${from}` : ''}, ` +
        `${r.windows} window(s) of ≤ ${model.manifest.window.offlineSec} s, ${r.melFrames} mel frames`,
      `compute    ${wallSec.toFixed(2)} s for ${audioSec.toFixed(2)} s of audio (real-time factor ${(audioSec / wallSec).toFixed(1)}×): model ${(r.modelMs / 1000).toFixed(2)} s, vocoder ${(r.vocoderMs / 1000).toFixed(2)} s`,
      report.contacts,
      report.output,
    ].join('\n') + '\n');
    return 0;
  } finally {
    await model.dispose();
  }
}
