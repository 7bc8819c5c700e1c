/**
 * `hearing-hands mel <in.wav> -o out.f32 [--linear]`: the model's audio features of a WAV file
 * (DESIGN.md, "Audio features"): little-endian float32, frames × 80, frame-major. Log-mel by default
 * (ln(max(mel, 1e-5))); `--linear` writes the raw mel magnitudes that are compared with torchaudio.
 * Any WAV the reader accepts works: stereo is averaged, other rates are resampled to 16 kHz.
 */
import { parseArgs } from 'node:util';
import { Dsp } from '../../dsp/index.js';
import { readBytes, writeBytes } from '../files.js';
import { decodeToModelRate } from '../../io/audio-file.js';

export const summary = 'WAV → mel features (little-endian float32, frames × 80; log-mel, or --linear)';

const USAGE = `usage: hearing-hands mel <in.wav> -o <out.f32> [--linear]

Writes the model's mel features of <in.wav> as little-endian float32, frames × 80, frame-major
(16 kHz, n_fft 1024, hop 256, Slaney mel 0–8000 Hz). Stereo is averaged; other rates are resampled.

  -o, --output <file>   where to write the features (required)
      --linear          raw mel magnitudes instead of ln(max(mel, 1e-5))
  -h, --help            this text
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        linear: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`hearing-hands mel: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.output) {
    const problem = positionals.length === 0 ? 'no input file given'
      : positionals.length > 1 ? `one input file expected, got ${positionals.length}` : 'no output file given (-o)';
    process.stderr.write(`hearing-hands mel: ${problem}\n\n${USAGE}`);
    return 2;
  }
  const inPath = positionals[0]!;
  const outPath = values.output;
  const log = !values.linear;

  const bytes = await readBytes(inPath);
  const dsp = await Dsp.create();
  try {
    const audio = decodeToModelRate(bytes, dsp);
    const mel = dsp.mel(audio.samples, { log });
    const frames = mel.length / dsp.settings.nMels;
    await writeBytes(outPath, float32LittleEndian(mel));
    let min = Infinity;
    let max = -Infinity;
    for (const v of mel) { if (v < min) min = v; if (v > max) max = v; }
    process.stdout.write(`${inPath}: ${audio.description}, ${audio.durationSec.toFixed(3)} s → ${frames} frames × ` +
      `${dsp.settings.nMels} ${log ? 'log-mel' : 'linear mel'} (min ${min.toPrecision(5)}, max ${max.toPrecision(5)}) → ${outPath}\n`);
    return 0;
  } finally {
    dsp.dispose();
  }
}

/** The contract says little-endian whatever the host's byte order. */
function float32LittleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}
