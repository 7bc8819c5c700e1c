/**
 * `hearing-hands dsp-demo`: the audio-feature pipeline on a bundled sound (this was the main job before the
 * model existed; `demo` now renders the bundled hand trajectories). It runs the
 * audio half of the product's data flow on a bundled sound: WAV → 16 kHz mono → log-mel (the model's
 * output domain) → linear magnitude (NNLS) → Griffin-Lim → 48 kHz (the AudioContext rate) → out/dsp-demo.wav,
 * and prints what each stage cost and how close the reconstruction is.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Dsp } from '../../dsp/index.js';
import { InvalidArgumentError } from '../../errors.js';
import { readBytes, writeBytes } from '../files.js';
import { decodeToModelRate } from '../../io/audio-file.js';
import { writeWav } from '../../io/wav.js';

export const summary = 'bundled sound → mel → Griffin-Lim → 48 kHz out/dsp-demo.wav, with timings';

const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');
const DEFAULT_INPUT = join(EXAMPLES_DIR, 'speech-espeak-22k.wav');
const OUTPUT_RATE_HZ = 48000;

const USAGE = `usage: hearing-hands dsp-demo [--input <file.wav>] [-o out/dsp-demo.wav] [--iterations 32]

Runs the audio path of the product on a bundled sound (default: examples/speech-espeak-22k.wav):
16 kHz mono → log-mel → linear magnitude → Griffin-Lim → 48 kHz WAV, and prints timings and errors.

  -i, --input <file>       a WAV file instead of the bundled example
  -o, --output <file>      where to write the 48 kHz result (default out/dsp-demo.wav)
      --iterations <n>     Griffin-Lim iterations (default 32)
  -h, --help               this text
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        input: { type: 'string', short: 'i', default: DEFAULT_INPUT },
        output: { type: 'string', short: 'o', default: join('out', 'demo.wav') },
        iterations: { type: 'string', default: '32' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`hearing-hands dsp-demo: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const iterations = Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 10000) {
    throw new InvalidArgumentError(`--iterations must be an integer in 1…10000, got '${values.iterations}'`);
  }
  const inPath = values.input;
  const outPath = values.output;

  const bytes = await readBytes(inPath);
  const dsp = await Dsp.create();
  try {
    const lines: string[] = [];
    const timed = <T>(fn: () => T): [T, number] => {
      const t0 = performance.now();
      const result = fn();
      return [result, performance.now() - t0];
    };

    const [audio, decodeMs] = timed(() => decodeToModelRate(bytes, dsp));
    const x = audio.samples;
    lines.push(`input       ${displayPath(inPath)}: ${audio.description}, ${audio.durationSec.toFixed(3)} s (${decodeMs.toFixed(1)} ms)`);

    const [logMel, melMs] = timed(() => dsp.mel(x));
    const frames = logMel.length / dsp.settings.nMels;
    lines.push(`mel         ${frames} frames × ${dsp.settings.nMels} log-mel in ${melMs.toFixed(2)} ms`);

    const [linear, invMs] = timed(() => dsp.melToLinear(logMel, frames));
    lines.push(`mel→linear  ${frames} × ${dsp.bins} magnitudes (NNLS) in ${invMs.toFixed(2)} ms`);

    const [y, glMs] = timed(() => dsp.griffinLim(linear, frames, { iterations, length: x.length }));
    lines.push(`griffin-lim ${iterations} iterations in ${glMs.toFixed(1)} ms ` +
      `(${(glMs / audio.durationSec).toFixed(1)} ms per second of audio)`);

    // How good is the reconstruction? Spectral convergence against the magnitudes Griffin-Lim was given
    // (phase recovery alone) and against the original STFT (mel inversion + phase recovery).
    const yMag = dsp.magnitude(y);
    const scTarget = relativeL2(yMag, linear);
    const scOriginal = relativeL2(yMag, dsp.magnitude(x));
    const melError = relativeL2(dsp.mel(y, { log: false }), dsp.mel(x, { log: false }));
    lines.push(`quality     spectral convergence ${scTarget.toFixed(4)} (vs Griffin-Lim's target), ` +
      `${scOriginal.toFixed(4)} (vs the original STFT); mel relative L2 ${melError.toFixed(4)}`);
    lines.push(`            paper metrics vs original: STFT distance ${dsp.stftDistance(y, x).toFixed(4)}, ` +
      `envelope distance ${dsp.envelopeDistance(y, x).toFixed(4)}`);

    const [out48k, resampleMs] = timed(() => dsp.resample(y, audio.sampleRate, OUTPUT_RATE_HZ));
    lines.push(`resample    ${audio.sampleRate} → ${OUTPUT_RATE_HZ} Hz, ${out48k.length} samples in ${resampleMs.toFixed(2)} ms`);

    // Griffin-Lim does not bound the peak; scale down rather than clip when it overshoots.
    let peak = 0;
    for (const v of out48k) peak = Math.max(peak, Math.abs(v));
    const gain = peak > 0.99 ? 0.99 / peak : 1;
    if (gain !== 1) for (let i = 0; i < out48k.length; i++) out48k[i]! *= gain;
    await writeBytes(outPath, writeWav([out48k], OUTPUT_RATE_HZ, { format: 'pcm16' }), true);
    lines.push(`output      ${outPath}: ${OUTPUT_RATE_HZ} Hz mono pcm16, ${(out48k.length / OUTPUT_RATE_HZ).toFixed(3)} s, ` +
      `peak ${peak.toFixed(3)}${gain !== 1 ? ` (scaled by ${gain.toFixed(3)} to avoid clipping)` : ''}`);
    lines.push('(timings are one cold run; `npm run bench` gives steady-state figures)');
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    dsp.dispose();
  }
}

/** ‖a − b‖ / ‖b‖: spectral convergence when a and b are magnitude spectrograms. */
function relativeL2(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
