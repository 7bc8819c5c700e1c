/**
 * `hearing-hands eval --model models/hh-flow-s.json --data DIR`: the paper's quality table (section 5.1) on
 * the held-out split, for the full model, its ablations (hand pose / visual dropped at inference), the
 * few-step sampler and the streaming ticks; writes the Markdown table (default models/EVAL.md) and JSON.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Dsp } from '../../dsp/index.js';
import { HearingHandsError } from '../../errors.js';
import type { BackendName } from '../../model/backend.js';
import { loadSplitItems } from '../../model/eval/dataset.js';
import { MelClassifier, classifierPath, evaluate, modelVariants, type VocoderName } from '../../model/eval/evaluate.js';
import { loadNeuralVocoder } from '../../vocoder/load-neural-vocoder.js';
import { agreementMargin, confusionTable, markdownTable } from '../../model/eval/metrics.js';
import { proceduralVariant } from '../../model/eval/procedural.js';
import { otherObjectVariant } from '../../model/eval/other-object.js';
import { liveVariant } from '../../model/eval/live.js';
import { loadFlowModel } from '../../model/load-node.js';

export const summary = 'quality table (STFT/envelope distance, onset error, material/action agreement) on held-out data';

const USAGE = `usage: hearing-hands eval --model <manifest.json> --data <dataset dir> [options]

  --split <name>      split to evaluate (default test)
  --limit <n>         at most n items, evenly spaced over the split (default all)
  --few-steps <k>     step count of the few-step row (default the manifest's)
  --backend node|wasm ONNX backend (default node)
  --seed <n>          the sampling noise of the model's rows (default 1; another seed shows how much of a row is luck)
  --vocoder stream|offline|neural  mel → audio: the streaming Griffin-Lim stage (default), whole-clip Griffin-Lim,
                      or the neural vocoder (--vocoder-model)
  --vocoder-model <manifest.json>  the neural vocoder (default models/hh-vocoder.json)
  --rows <a,b,...>    only the rows whose name contains one of these (e.g. "full model,streaming"; the two
                      ground-truth references are always there): comparing models on many items costs ~37 s per row
                      per 60 items here
  --out <file.md>     Markdown table to (re)write (default models/EVAL.md)
  --json <file>       also write the rows as JSON
  --items-json <file> also write every item's scores per row as JSON: the judge's labels for the truth and the
                      generated sound (for confusions), STFT/envelope distances, audible contacts' onset errors
                      (unsigned, and signed: + late, − early)
  -h, --help          this text
`;

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: {
      model: { type: 'string', default: 'models/hh-flow-s.json' }, data: { type: 'string' },
      split: { type: 'string', default: 'test' }, limit: { type: 'string' }, 'few-steps': { type: 'string' },
      backend: { type: 'string', default: 'node' }, vocoder: { type: 'string', default: 'stream' }, 'vocoder-model': { type: 'string', default: 'models/hh-vocoder.json' }, out: { type: 'string', default: 'models/EVAL.md' },
      json: { type: 'string' }, 'items-json': { type: 'string' }, rows: { type: 'string' }, seed: { type: 'string', default: '1' }, help: { type: 'boolean', short: 'h', default: false },
    } }));
  } catch (err) {
    process.stderr.write(`hearing-hands eval: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (!values.data) { process.stderr.write(`hearing-hands eval: no dataset given (--data)\n\n${USAGE}`); return 2; }
  if (!['stream', 'offline', 'neural'].includes(values.vocoder!)) {
    process.stderr.write(`hearing-hands eval: --vocoder must be stream, offline or neural\n`); return 2;
  }
  if (values.backend !== 'node' && values.backend !== 'wasm') {
    process.stderr.write(`hearing-hands eval: --backend must be node or wasm\n`); return 2;
  }
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    process.stderr.write(`hearing-hands eval: --seed must be a non-negative integer, got '${values.seed}'\n`); return 2;
  }
  try {
    const model = await loadFlowModel(values.model, values.backend as BackendName);
    const items = loadSplitItems(values.data, values.split, values.limit ? Number(values.limit) : undefined);
    if (items.length === 0) { process.stderr.write(`hearing-hands eval: split '${values.split}' is empty\n`); return 1; }
    const clfPath = classifierPath(values.model, model.manifest.files.classifier);
    const clf = clfPath ? await MelClassifier.load(clfPath, values.backend as BackendName, model.manifest.labels.materials, model.manifest.labels.actions) : null;
    const dsp = await Dsp.create();
    const few = values['few-steps'] ? Number(values['few-steps']) : model.manifest.sampling.fewSteps;
    process.stderr.write(`evaluating ${items.length} ${values.split} items of ${values.data} with ${model.manifest.name} (${values.backend})\n`);
    const procedural = proceduralVariant(values.data, dsp);
    // The live path: the model alone, and as the product plays it (with the onset backstop).
    const live = [liveVariant(values.data, model, dsp, undefined, false, seed), liveVariant(values.data, model, dsp, undefined, true, seed)].filter((v) => v !== null);
    // The ceiling of material-from-vision on this data: the simulator's own sound of another object of the material.
    const otherObject = otherObjectVariant(values.data, dsp);
    const all = [...(otherObject ? [otherObject] : []), ...modelVariants(model, few, seed), ...live, ...(procedural ? [procedural] : [])];
    const wanted = values.rows?.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
    const variants = wanted ? all.filter((v) => wanted.some((r) => v.name.includes(r))) : all;
    if (variants.length === 0) {
      process.stderr.write(`hearing-hands eval: --rows ${values.rows} names none of the rows:\n${all.map((v) => `  ${v.name}`).join('\n')}\n`);
      return 2;
    }
    const vocoder = values.vocoder as VocoderName;
    const neural = vocoder === 'neural' ? await loadNeuralVocoder(values['vocoder-model']!, dsp, values.backend as BackendName) : undefined;
    const seen = new Set(((model.manifest.training as { data?: { materials?: string[] } }).data?.materials) ?? []);
    const result = await evaluate(items, variants, model, dsp, clf, { vocoder, ...(neural ? { neural } : {}), onProgress: (m) => process.stderr.write(`  ${m}\n`),
      ...(seen.size ? { subset: (it) => it.material !== undefined && seen.has(it.material) } : {}) });
    const rows = result.rows;
    const table = markdownTable(rows);
    const subsetTable = seen.size
      ? `\n### Only items whose material occurs in the training split (${result.subsetItems} of ${items.length}: ${[...seen].sort().join(', ')})\n\n${markdownTable(result.subsetRows)}`
      : '';
    const confusions = confusionTable(result.perItem);
    const tr = model.manifest.training as { steps?: number; minutes?: number; data?: { trainHours?: number; trainItems?: number } };
    const doc = `# Model evaluation (generated by \`hearing-hands eval\`; do not edit by hand)\n\n`
      + `Model \`${model.manifest.name}\` (${model.manifest.parameters.toLocaleString('en')} parameters; ${tr.steps ?? '?'} training steps, `
      + `${tr.minutes ?? '?'} min, ${tr.data?.trainItems ?? '?'} training items = ${tr.data?.trainHours ?? '?'} h), `
      + `${items.length} items of split \`${values.split}\` of \`${values.data}\`, backend ${values.backend}, ${new Date().toISOString().slice(0, 16)}Z.\n\n`
      + `Command: \`hearing-hands eval --model ${values.model} --data ${values.data} --split ${values.split}${values.limit ? ` --limit ${values.limit}` : ''}${values.rows ? ` --rows '${values.rows}'` : ''} --vocoder ${vocoder}${neural ? ` --vocoder-model ${values['vocoder-model']}` : ''}${seed !== 1 ? ` --seed ${seed}` : ''}\`\n\n`
      + table
      + subsetTable
      + (confusions ? `\n### What the judge hears instead (the labels it gives the ground truth → the generated sound, where they differ)\n\n${confusions}` : '')
      + `\nAll sounds are vocoded with ${vocoder === 'stream' ? "the streaming Griffin-Lim stage, as the runtime plays (phase-gradient start, attack gate; src/vocoder/vocode-clip.ts)" : vocoder === 'neural' ? `the neural vocoder ${neural!.manifest.name} (whole clip)` : "the DSP core's whole-clip Griffin-Lim (32 iterations)"}; distances are against the dataset's WAV when it has one,\n`
      + `else against the Griffin-Lim of the ground-truth mel. Onset errors: each labelled contact vs the nearest detected onset (Dsp.onsets)\n`
      + `within 100 ms; farther or none = missed. "Audible contacts": only the labelled contacts the ground truth itself sounds (an onset of\n`
      + `its audio within 10 ms); the others (soft touches) have no onset to time, and the all-contacts column counts the distance to the\n`
      + `nearest other onset as their error. Agreement: the classifier (trained on ground-truth mels) gives the generated and the\n`
      + `ground-truth mel the same label (stand-in for CLAP-acc); acc = against the item's label. Ablations drop a condition at\n`
      + `inference (the model was trained with condition dropout), not separately trained models.${otherObject ? `\n"Another object of the same material"\n`
        + `(simulated datasets): each item's sound rendered again by the simulator from its true hands and seeds, on a new object of the\n`
        + `item's material (another size and modal scatter, which the visual features do not show): what a generator that knows the\n`
        + `material exactly, but not the object, can score; its agreement is the ceiling for the model's rows.` : ''}\n`
      + `Uncertainty: with ${items.length} items, an agreement or accuracy near 50 % has a 95 % interval of about ±${agreementMargin(items.length).toFixed(0)} points;\n`
      + `rows closer than that on those columns are not told apart by this table.\n`;
    await writeFile(values.out, doc);
    if (values['items-json']) await writeFile(values['items-json'], JSON.stringify({ model: values.model, data: values.data, items: result.perItem }, null, 1));
    if (values.json) await writeFile(values.json, JSON.stringify({ model: values.model, data: values.data, rows, seenMaterialRows: result.subsetRows }, null, 2));
    process.stdout.write(table + subsetTable);
    await clf?.release();
    await neural?.release();
    await model.dispose();
    return 0;
  } catch (err) {
    if (err instanceof HearingHandsError) { process.stderr.write(`hearing-hands eval: ${err.message}\n`); return 1; }
    throw err;
  }
}
