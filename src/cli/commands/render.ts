/**
 * `hearing-hands render <trajectory> -o out.wav`: the sound of a hand trajectory (DESIGN.md, CLI).
 * --mode stream (default) replays the live path in simulated time — the same generator, vocoder and audio-thread
 * timeline as in the browser — and reports the motion-to-sound latency it measured; the WAV is time-aligned with
 * the trajectory's t (sample 0 = t 0).
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { Dsp } from '../../dsp/index.js';
import { readTrajectoryFile } from '../../hand/trajectory-file.js';
import { writeWav } from '../../io/wav.js';
import { InvalidArgumentError } from '../../errors.js';
import { createGenerator } from '../../runtime/create-generator.js';
import { runSimulatedSession } from '../../runtime/simulated-session.js';
import { impactTimes } from '../../runtime/trajectory-scene.js';
import { matchOnsets, percentile } from '../../runtime/latency.js';
import { singleSurfaceScene } from '../../runtime/visual-context.js';
import { writeBytes } from '../files.js';

export const summary = 'hand trajectory → WAV (live path in simulated time), with measured latency';

const DEFAULT_MODEL = 'models/hh-flow-s.json';
const USAGE = `usage: hearing-hands render <trajectory.json|.hht|.npy> -o <out.wav> [options]

  -o, --output <file>        the WAV to write (time-aligned with the trajectory: sample 0 = t 0)
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
  if (values.mode !== 'stream') throw new InvalidArgumentError(`--mode ${values.mode}: only 'stream' is available in this version`);
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
