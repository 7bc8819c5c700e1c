/** Datasets in the released layout: plan, write (simulated capture), read (ours and the paper's). */
export { ITEM_SEC, itemName, videoOfItem, viewOfItem, paths, type Split, type SplitName } from './layout.js';
export { planDataset, buildSplits, type DatasetPlan, type PlannedSound } from './plan.js';
export { writeSound, writeManifest, melMajor } from './writer.js';
export { openDataset, readItem, releasedMelToLog, type DatasetIndex, type DatasetItem } from './reader.js';
export { simulateDataset, type SimulateOptions, type SimulateSummary } from './simulate.js';
export { writeListeningSet } from './listening-set.js';
export { encodePng } from './png.js';
