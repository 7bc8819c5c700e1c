/**
 * `hearing-hands render <trajectory> -o out.wav`: the sound of a hand trajectory (DESIGN.md, CLI).
 * --mode stream (default) replays the live path in simulated time — the same generator, vocoder and audio-thread
 * timeline as in the browser — and reports the motion-to-sound latency it measured; the WAV is time-aligned with
 * the trajectory's t (sample 0 = t 0). --mode offline is the paper's way: the whole trajectory known, 8 s windows,
 * 25 steps at guidance 4.5, whole-clip Griffin-Lim (src/runtime/offline-render.ts).
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
import { createGenerator } from '../../runtime/create-generator.js';
import { runSimulatedSession } from '../../runtime/simulated-session.js';
import { defaultCamera, horizontalSurfaceClamp, impactTimes, inferSurface } from '../../runtime/trajectory-scene.js';
import { matchOnsets, percentile } from '../../runtime/latency.js';
import { SceneVisualContext, singleSurfaceScene } from '../../runtime/visual-context.js';
import { writeBytes } from '../files.js';

export const summary = 'hand trajectory → WAV (live path in simulated time), with measured latency';

const DEFAULT_MODEL = 'models/hh-flow-s.json';
const USAGE = `usage: hearing-hands render <trajectory.json|.hht|.npy> -o <out.wav> [options]

  -o, --output <file>        the WAV to write (time-aligned with the trajectory: sample 0 = t 0)
      --mode <m>             stream (default: the live path, replayed in simulated time) or offline (the paper's
                             sampler over 8 s windows of the whole trajectory: needs the model)
      --steps <n>            offline: Euler steps (default the model's offlineSteps, 25)
      --guidance <g>         offline: classifier-free guidance (default the model's, 4.5)
      --backend <b>          auto (default: the model if it loads, else the procedural baseline), model, procedural
      --model <manifest>     model manifest (default ${DEFAULT_MODEL})
      --material <name>      the touched material (default: the trajectory's, else wood)
      --rate <hz>            output sample rate (default 48000)
      --anticipation <sec>   how far generation runs ahead of the newest hand frame (default: the least that
                             keeps the audio from running dry between ticks)
      --tick-frames <n>      mel frames per model tick (default: the model's chunk)
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
        backend: { type: 'string', default: 'auto' },
        model: { type: 'string' },
        material: { type: 'string' },
        rate: { type: 'string', default: '48000' },
        anticipation: { type: 'string' },
        'tick-frames': { type: 'string' },
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
  const modelPath = values.model ?? (existsSync(DEFAULT_MODEL) ? DEFAULT_MODEL : undefined);
  const dsp = await Dsp.create();
  if (values.mode === 'offline') {
    if (backend === 'procedural') throw new InvalidArgumentError('--mode offline runs the model; the procedural baseline has only the stream mode');
    if (!modelPath) throw new ModelLoadError(`no model given and ${DEFAULT_MODEL} is missing`);
    const steps = values.steps === undefined ? undefined : Number(values.steps);
    const guidance = values.guidance === undefined ? undefined : Number(values.guidance);
    if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1 && steps <= 1000)) throw new InvalidArgumentError(`--steps must be an integer in 1…1000, got ${values.steps}`);
    if (guidance !== undefined && !(guidance >= 0 && guidance <= 20)) throw new InvalidArgumentError(`--guidance must be in 0…20, got ${values.guidance}`);
    return renderOfflineCommand(dsp, traj, { input: positionals[0]!, output: values.output, modelPath, material: values.material, rate, seed, steps, guidance });
  }
  const chosen = await createGenerator(dsp, traj, { backend, modelPath, material: values.material, outputRate: rate, anticipationSec: anticipation, tickFrames, seed, reproducible: compute !== 'measured' });
  if (chosen.fallbackReason) process.stderr.write(`hearing-hands render: using the procedural baseline (${chosen.fallbackReason})\n`);

  const wall0 = performance.now();
  const result = await runSimulatedSession(chosen.generator, traj, { computeSec: compute });
  const wallSec = (performance.now() - wall0) / 1000;
  await chosen.generator.dispose();
  // A WAV clips at full scale; rather than clip, scale the whole render down (timing untouched) and say so.
  let peak = 0;
  for (const v of result.output) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0.99 ? 0.9 / peak : 1;
  if (gain !== 1) for (let i = 0; i < result.output.length; i++) result.output[i]! *= gain;
  await writeBytes(values.output, writeWav([result.output], rate, { format: 'pcm16' }), true);

  const durationSec = traj.timesSec[traj.timesSec.length - 1]! - traj.timesSec[0]!;
  const contacts = impactTimes(traj, singleSurfaceScene(chosen.material, chosen.surface.heightM).surfaces);
  const onsets = dsp.onsets(dsp.resample(result.output, rate, dsp.settings.sampleRate));
  const match = matchOnsets(contacts, onsets);
  const ms = (s: number) => (Number.isNaN(s) ? 'n/a' : `${(s * 1000).toFixed(1)} ms`);
  const lines = [
    `input      ${positionals[0]}: ${traj.timesSec.length} frames, ${durationSec.toFixed(2)} s, material ${chosen.material}, surface at y = ${chosen.surface.heightM.toFixed(3)} m`,
    `backend    ${chosen.generator.kind}${chosen.model ? ` (${chosen.model.manifest.name}, ${chosen.model.manifest.parameters} parameters)` : ''}`,
    `compute    ${wallSec.toFixed(2)} s for ${(result.output.length / rate).toFixed(2)} s of audio (real-time factor ${((result.output.length / rate) / wallSec).toFixed(1)}×); ` +
      `sampler step p50 ${percentile(result.stepMs, 0.5).toFixed(2)} ms, p95 ${percentile(result.stepMs, 0.95).toFixed(2)} ms`,
    `contacts   ${contacts.length} in the trajectory; ${contacts.length - match.missed} sounded, latency p50 ${ms(percentile(match.lagsSec, 0.5))}, ` +
      `p95 ${ms(percentile(match.lagsSec, 0.95))}${match.spurious ? `; ${match.spurious} onsets without a contact` : ''}`,
    `audio      ${result.chunks} chunks, ${result.lateSamples} samples too late to play, ${result.dropouts} dropouts`,
    `output     ${values.output}: ${rate} Hz mono pcm16, ${(result.output.length / rate).toFixed(2)} s` +
      (gain !== 1 ? `, scaled by ${(20 * Math.log10(gain)).toFixed(1)} dB (peak ${peak.toFixed(2)} would have clipped)` : ''),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

interface OfflineCommand { input: string; output: string; modelPath: string; material?: string; rate: number; seed: number; steps?: number; guidance?: number }

/** --mode offline: the paper's sampler over the whole trajectory, then the same report as the stream mode. */
async function renderOfflineCommand(dsp: Dsp, traj: Trajectory, o: OfflineCommand): Promise<number> {
  const material = o.material ?? traj.info.material ?? 'wood';
  getMaterial(material); // an unknown name is an UnknownMaterialError listing the known ones
  const surface = inferSurface(traj);
  const model = await loadFlowModel(o.modelPath, 'node');
  try {
    const camera = defaultCamera(surface);
    const visual = new SceneVisualContext(singleSurfaceScene(material, surface.heightM), camera, model.manifest.conditioning.visualDim);
    const wall0 = performance.now();
    const r = await renderOffline(traj, { model, dsp, outputRate: o.rate, camera, visual, clamp: horizontalSurfaceClamp(surface.heightM), steps: o.steps, guidance: o.guidance, seed: o.seed });
    const wallSec = (performance.now() - wall0) / 1000;
    const peak = r.output.reduce((p, v) => Math.max(p, Math.abs(v)), 0);
    const gain = peak > 0.99 ? 0.9 / peak : 1;
    if (gain !== 1) for (let i = 0; i < r.output.length; i++) r.output[i]! *= gain;
    await writeBytes(o.output, writeWav([r.output], o.rate, { format: 'pcm16' }), true);
    const contacts = impactTimes(traj, singleSurfaceScene(material, surface.heightM).surfaces);
    const match = matchOnsets(contacts, dsp.onsets(dsp.resample(r.output, o.rate, dsp.settings.sampleRate)));
    const ms = (s: number) => (Number.isNaN(s) ? 'n/a' : `${(s * 1000).toFixed(1)} ms`);
    const audioSec = r.output.length / o.rate;
    const s = model.manifest.sampling;
    process.stdout.write([
      `input      ${o.input}: ${traj.frameCount} frames, ${traj.durationSec.toFixed(2)} s, material ${material}, surface at y = ${surface.heightM.toFixed(3)} m`,
      `backend    model offline (${model.manifest.name}, ${model.manifest.parameters} parameters): ${o.steps ?? s.offlineSteps} steps at guidance ${o.guidance ?? s.guidance}, ` +
        `${r.windows} window(s) of ≤ ${model.manifest.window.offlineSec} s, ${r.melFrames} mel frames`,
      `compute    ${wallSec.toFixed(2)} s for ${audioSec.toFixed(2)} s of audio (real-time factor ${(audioSec / wallSec).toFixed(1)}×): model ${(r.modelMs / 1000).toFixed(2)} s, vocoder ${(r.vocoderMs / 1000).toFixed(2)} s`,
      `contacts   ${contacts.length} in the trajectory; ${contacts.length - match.missed} sounded, onset error p50 ${ms(percentile(match.lagsSec, 0.5))}, ` +
        `p95 ${ms(percentile(match.lagsSec, 0.95))}${match.spurious ? `; ${match.spurious} onsets without a contact` : ''}`,
      `output     ${o.output}: ${o.rate} Hz mono pcm16, ${audioSec.toFixed(2)} s` +
        (gain !== 1 ? `, scaled by ${(20 * Math.log10(gain)).toFixed(1)} dB (peak ${peak.toFixed(2)} would have clipped)` : ''),
    ].join('\n') + '\n');
    return 0;
  } finally {
    await model.dispose();
  }
}
