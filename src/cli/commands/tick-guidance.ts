/**
 * `hearing-hands tick-guidance --model models/hh-flow-s.json --data DIR`: chooses the streaming tick's guidance
 * (manifest sampling.fewGuidance) on the path the runtime plays — the streaming ticks vocoded by the streaming
 * Griffin-Lim, judged on validation items over several noise seeds — and with --write records it in the manifest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Dsp } from '../../dsp/index.js';
import { HearingHandsError } from '../../errors.js';
import type { BackendName } from '../../model/backend.js';
import { loadSplitItems } from '../../model/eval/dataset.js';
import { MelClassifier, classifierPath } from '../../model/eval/evaluate.js';
import { guidanceChoice, measureTickGuidance, type GuidanceChoice, type GuidanceScore } from '../../model/eval/tick-guidance.js';
import { loadFlowModel } from '../../model/load-node.js';

export const summary = "choose the streaming tick's guidance on validation items, as the runtime plays them";

const USAGE = `usage: hearing-hands tick-guidance --model <manifest.json> --data <dataset dir> [options]

  --split <name>          split to choose on (default val; never the split you report on)
  --limit <n>             at most n items, evenly spaced over the split (default all)
  --candidates <a,b,...>  guidances to try (default 1.5,2,2.5,3)
  --seeds <a,b,...>       noise seeds each candidate is averaged over (default 1,2: one seed's row is partly luck)
  --max-onset-p95 <ms>    candidates whose mean onset error p95 on the contacts the truth sounds
                          (the eval table's audible column) exceeds this are out (default 20)
  --backend node|wasm     ONNX backend (default node)
  --json <file>           also write the scores (per candidate and seed) and the choice as JSON
  --scores <a.json,...>   choose among earlier runs' --json scores instead of measuring (the same model, data, split,
                          items and seeds; e.g. the candidates split over two processes)
  --write                 record the choice in the manifest: sampling.fewGuidance and metrics.tickGuidanceChoice
  -h, --help              this text

Costs one streaming pass per candidate and seed: ~2 min per 360 items here.
`;

/** What --json writes, and --scores reads back. */
interface SavedRun { model: string; data: string; split: string; items: number; seeds: number[]; maxOnsetP95Ms: number; scores: GuidanceScore[] }

function numbers(flag: string, text: string): number[] {
  const xs = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || x < 0)) throw new Error(`--${flag} must be a comma-separated list of non-negative numbers, got '${text}'`);
  return xs;
}

export async function run(args: string[]): Promise<number> {
  let values;
  let candidates: number[], seeds: number[], maxP95: number;
  try {
    ({ values } = parseArgs({ args, options: {
      model: { type: 'string', default: 'models/hh-flow-s.json' }, data: { type: 'string' }, split: { type: 'string', default: 'val' },
      limit: { type: 'string' }, candidates: { type: 'string', default: '1.5,2,2.5,3' }, seeds: { type: 'string', default: '1,2' },
      'max-onset-p95': { type: 'string', default: '20' }, backend: { type: 'string', default: 'node' }, json: { type: 'string' },
      scores: { type: 'string' }, write: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    } }));
    candidates = numbers('candidates', values.candidates!);
    seeds = numbers('seeds', values.seeds!);
    if (seeds.some((s) => !Number.isSafeInteger(s))) throw new Error(`--seeds must be integers, got '${values.seeds}'`);
    maxP95 = Number(values['max-onset-p95']);
    if (!(maxP95 > 0)) throw new Error(`--max-onset-p95 must be a positive number of ms, got '${values['max-onset-p95']}'`);
  } catch (err) {
    process.stderr.write(`hearing-hands tick-guidance: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!values.data) { process.stderr.write(`hearing-hands tick-guidance: no dataset given (--data)\n\n${USAGE}`); return 2; }
  if (values.backend !== 'node' && values.backend !== 'wasm') { process.stderr.write('hearing-hands tick-guidance: --backend must be node or wasm\n'); return 2; }
  try {
    const model = await loadFlowModel(values.model!, values.backend as BackendName);
    try {
      if (model.manifest.stream.guidanceRows !== 2) {
        process.stderr.write(`hearing-hands tick-guidance: ${model.manifest.name}'s tick has its guidance folded in (distilled): there is none to choose\n`);
        return 1;
      }
      const clfPath = classifierPath(values.model!, model.manifest.files.classifier);
      if (!clfPath) { process.stderr.write(`hearing-hands tick-guidance: ${model.manifest.name} ships no judge (files.classifier): nothing to choose by\n`); return 1; }
      let scores: GuidanceScore[], choice: GuidanceChoice, itemCount: number;
      const dataLabel = `${values.data} (split ${values.split})`;
      if (values.scores) {
        // Earlier runs' --json (e.g. the candidates split over processes): merged, chosen among, nothing measured again.
        const runs = values.scores.split(',').map((f) => ({ file: f, run: JSON.parse(readFileSync(f, 'utf8')) as SavedRun }));
        const first = runs[0]!.run;
        for (const { file, run } of runs) {
          const same = resolve(run.model) === resolve(values.model!) && resolve(run.data) === resolve(values.data) && run.split === values.split
            && run.items === first.items && JSON.stringify(run.seeds) === JSON.stringify(first.seeds);
          if (!same) { process.stderr.write(`hearing-hands tick-guidance: ${file} scored another model, dataset, split, item count or seeds than --model/--data/--split and ${runs[0]!.file}\n`); return 1; }
        }
        scores = runs.flatMap(({ run }) => run.scores);
        const dup = scores.find((sc, i) => scores.findIndex((o) => o.guidance === sc.guidance) !== i);
        if (dup) { process.stderr.write(`hearing-hands tick-guidance: guidance ${dup.guidance} is scored twice in --scores\n`); return 1; }
        scores.sort((a, b) => a.guidance - b.guidance);
        itemCount = first.items; seeds = first.seeds;
        choice = guidanceChoice(scores, { items: itemCount, seeds, dataLabel, maxOnsetP95Ms: maxP95 });
      } else {
        const items = loadSplitItems(values.data, values.split!, values.limit ? Number(values.limit) : undefined);
        if (items.length === 0) { process.stderr.write(`hearing-hands tick-guidance: split '${values.split}' of ${values.data} is empty\n`); return 1; }
        const judge = await MelClassifier.load(clfPath, values.backend as BackendName, model.manifest.labels.materials, model.manifest.labels.actions);
        const dsp = await Dsp.create();
        process.stderr.write(`choosing ${model.manifest.name}'s tick guidance of ${candidates.join(', ')} on ${items.length} ${values.split} items, seeds ${seeds.join(', ')}\n`);
        ({ scores, choice } = await measureTickGuidance(items, model, dsp, judge, {
          candidates, seeds, maxOnsetP95Ms: maxP95, dataLabel, onProgress: (m) => process.stderr.write(`  ${m}\n`),
        }));
        await judge.release();
        itemCount = items.length;
      }
      const lines = ['| guidance | material agree ↑ | action agree ↑ | audible contacts: onset err p95 (ms) ↓ | per seed (material / action / p95) |', '|---|---|---|---|---|',
        ...scores.map((s) => `| ${s.guidance}${s.guidance === choice.chosen ? ' (chosen)' : ''} | ${s.materialAgreePct.toFixed(1)} % | ${s.actionAgreePct.toFixed(1)} % | ${s.audibleOnsetP95Ms.toFixed(1)} | `
          + `${s.perSeed.map((p) => `${p.materialAgreePct.toFixed(1)} / ${p.actionAgreePct.toFixed(1)} / ${p.audibleOnsetP95Ms.toFixed(1)}`).join('; ')} |`)];
      process.stdout.write(lines.join('\n') + '\n'
        + `chosen: g ${choice.chosen}${choice.withinOnsetBound ? '' : ` (no candidate kept onset p95 within ${maxP95} ms: the smallest p95 is chosen)`}`
        + ` (manifest has ${model.manifest.sampling.fewGuidance})\n`);
      if (values.json) writeFileSync(values.json, JSON.stringify({ model: values.model, data: values.data, split: values.split, items: itemCount, seeds, maxOnsetP95Ms: maxP95, scores, choice } satisfies SavedRun & { choice: GuidanceChoice }, null, 2) + '\n');
      if (values.write) {
        const manifest = JSON.parse(readFileSync(values.model!, 'utf8')) as { sampling: Record<string, unknown>; metrics?: Record<string, unknown> };
        manifest.sampling['fewGuidance'] = choice.chosen;
        manifest.metrics = { ...(manifest.metrics ?? {}), tickGuidanceChoice: choice };
        writeFileSync(values.model!, JSON.stringify(manifest, null, 2) + '\n');
        process.stdout.write(`wrote sampling.fewGuidance ${choice.chosen} and metrics.tickGuidanceChoice to ${values.model}\n`);
      }
      return 0;
    } finally {
      await model.dispose();
    }
  } catch (err) {
    if (err instanceof HearingHandsError) { process.stderr.write(`hearing-hands tick-guidance: ${err.message}\n`); return 1; }
    throw err;
  }
}
