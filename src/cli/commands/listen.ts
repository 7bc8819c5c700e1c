/**
 * `hearing-hands listen --out DIR`: the listening set of the simulated capture: a few WAVs per
 * material × action, their measured features (features.csv) and a spectrogram sheet (spectrograms.png).
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../../errors.js';
import { writeListeningSet } from '../../dataset/listening-set.js';

export const summary = 'write the simulator listening set: WAVs per material × action, features.csv, spectrograms.png';

const USAGE = `usage: hearing-hands listen --out <dir> [--seed 0] [--per 2] [--seconds 4]

Writes <dir>/wav/<material>_<action>_<k>.wav, <dir>/features.csv (onset vs contact, centroid, decay,
level per clip) and <dir>/spectrograms.png (rows: materials with a texture swatch; columns: actions).
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: {
      out: { type: 'string', short: 'o' }, seed: { type: 'string' }, per: { type: 'string' }, seconds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    } });
  } catch (err) {
    process.stderr.write(`hearing-hands listen: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!values.out) { process.stderr.write(`hearing-hands listen: no output folder given (--out)\n\n${USAGE}`); return 2; }
  const int = (name: string, raw: string | undefined, fallback: number, lo: number, hi: number) => {
    const v = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(v) || v < lo || v > hi) throw new InvalidArgumentError(`--${name} must be a number in ${lo}…${hi}, got '${raw}'`);
    return v;
  };
  const seed = int('seed', values.seed, 0, 0, 2 ** 32 - 1), per = Math.round(int('per', values.per, 2, 1, 10)), seconds = int('seconds', values.seconds, 4, 1, 30);
  const t0 = performance.now();
  const { clips, sheetPath } = await writeListeningSet({ out: values.out, seed, perCell: per, durationSec: seconds,
    onProgress: (d, t) => { if (process.stderr.isTTY) process.stderr.write(`\r${d}/${t} clips`); } });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const errs = clips.filter((c) => c.onsetErrorMs !== null).map((c) => Math.abs(c.onsetErrorMs!)).sort((a, b) => a - b);
  process.stdout.write(`wrote ${clips.length} clips, ${values.out}/features.csv and ${sheetPath} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n` +
    `  onset vs labelled contact: median ${errs[Math.floor(errs.length / 2)]?.toFixed(2)} ms, max ${errs[errs.length - 1]?.toFixed(2)} ms over ${errs.length} clips\n`);
  return 0;
}
