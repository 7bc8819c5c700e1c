/**
 * `hearing-hands simulate --out DIR --hours H --seed S`: writes simulated capture (physically synthesised
 * hand-contact sounds with their 2-hand trajectories, views and labels) in the released dataset layout.
 * Same seed and hours → byte-identical files, whatever the number of workers.
 */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../../errors.js';
import { simulateDataset } from '../../dataset/simulate.js';
import { planDataset } from '../../dataset/plan.js';
import { ITEM_SEC } from '../../dataset/layout.js';

export const summary = 'write a simulated hand-contact dataset (released layout) from a seed';

const USAGE = `usage: hearing-hands simulate --out <dir> [--hours 2] [--seed 0] [--workers N] [--force] [--quiet]

Simulates hands tapping, knocking, slapping, patting, scratching, rubbing, pressing and swiping on
surfaces of 14 materials in generated scenes, and writes 8 s items in the paper's layout:
mel/, hamer_hand_keypoints/, visual_features(_local)/, local_views/, audio/ (WAV), labels/ (JSON),
split.json (held-out regions), split_viewpoint.json (held-out side view) and dataset.json.

  --out <dir>      output folder (must be empty or absent unless --force)
  --hours <h>      hours of distinct sound (each sound is written in 3 views)   [2]
  --seed <s>       integer seed; same seed → byte-identical files               [0]
  --workers <n>    worker threads                                                [min(2, cores)]
  --only <split>   write only the sounds of one split (train, val or test) of the planned dataset, e.g. to
                   evaluate a model trained elsewhere on the same --hours/--seed
  --max-sounds <n> with --only: at most n of them, evenly spaced over the split
  --force          write into a non-empty folder
  --quiet          no progress bar
`;

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`--${name} must be a number, got '${raw}'`);
  return v;
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        out: { type: 'string', short: 'o' },
        hours: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        only: { type: 'string' },
        'max-sounds': { type: 'string' },
        force: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`hearing-hands simulate: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!values.out) { process.stderr.write(`hearing-hands simulate: no output folder given (--out)\n\n${USAGE}`); return 2; }
  const hours = numberOption('hours', values.hours, 2);
  const seed = numberOption('seed', values.seed, 0);
  const workers = values.workers === undefined ? undefined : numberOption('workers', values.workers, 1);
  if (existsSync(values.out) && readdirSync(values.out).length > 0 && !values.force) {
    throw new InvalidArgumentError(`output folder '${values.out}' is not empty (use --force to write into it)`);
  }

  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  let lastDraw = 0;
  const progress = (done: number, total: number) => {
    if (values.quiet) return;
    const now = performance.now();
    if (done < total && now - lastDraw < (tty ? 200 : 5000)) return;
    lastDraw = now;
    const el = (now - t0) / 1000, eta = done > 0 ? (el / done) * (total - done) : 0;
    const width = 30, fill = Math.round((done / total) * width);
    const line = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} sounds  ${((done * ITEM_SEC) / 3600).toFixed(2)} h  ${el.toFixed(0)} s elapsed  ETA ${eta.toFixed(0)} s`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  let soundIndices: number[] | undefined;
  if (values.only !== undefined) {
    if (!['train', 'val', 'test'].includes(values.only)) throw new InvalidArgumentError(`--only must be train, val or test, got '${values.only}'`);
    const inSplit = planDataset(seed, hours).sounds.filter((p) => p.split === values.only).map((p) => p.index);
    const max = numberOption('max-sounds', values['max-sounds'], inSplit.length);
    if (!Number.isInteger(max) || max < 1) throw new InvalidArgumentError(`--max-sounds must be a positive integer, got ${values['max-sounds']}`);
    soundIndices = max >= inSplit.length ? inSplit : Array.from({ length: max }, (_, i) => inSplit[Math.floor((i * inSplit.length) / max)]!);
  } else if (values['max-sounds'] !== undefined) {
    throw new InvalidArgumentError('--max-sounds needs --only <split>');
  }
  const s = await simulateDataset({ out: values.out, hours, seed, ...(workers !== undefined ? { workers } : {}), ...(soundIndices ? { soundIndices } : {}), onProgress: progress });
  if (tty && !values.quiet) process.stderr.write('\n');

  const byMaterial = new Map<string, number>(), byAction = new Map<string, number>(), bySplit = new Map<string, number>();
  const written = soundIndices ? new Set(soundIndices) : null;
  for (const p of s.plan.sounds) {
    if (written && !written.has(p.index)) continue;
    const m = s.plan.scenes[p.sceneIndex]!.surfaces[p.region]!.material.spec.name;
    byMaterial.set(m, (byMaterial.get(m) ?? 0) + 1);
    byAction.set(p.action, (byAction.get(p.action) ?? 0) + 1);
    bySplit.set(p.split, (bySplit.get(p.split) ?? 0) + 1);
  }
  const audioHours = (s.sounds * ITEM_SEC) / 3600;
  const fmt = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write([
    `wrote ${values.out}: ${s.sounds} sounds (${audioHours.toFixed(2)} h of audio) × 3 views = ${s.items} items in ${s.plan.scenes.length} scenes`,
    `  seed ${seed}, ${s.impacts} impacts, ${(s.bytes / 2 ** 20).toFixed(1)} MiB`,
    `  time ${s.wallSec.toFixed(1)} s on ${s.workers} worker(s): ${((audioHours * 60) / (s.wallSec / 60)).toFixed(1)} min of audio per min`,
    `  splits (sounds): ${fmt(bySplit)}`,
    `  materials: ${fmt(byMaterial)}`,
    `  actions: ${fmt(byAction)}`,
  ].join('\n') + '\n');
  return 0;
}
