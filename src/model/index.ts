export { ACTION_DIM, N_MELS, MANIFEST_FORMAT, parseManifest, assertCompatible, type ModelManifest } from './manifest.js';
export { actionFeatures, toMelRate, sourceFrameIndex } from './conditioning.js';
// Node's createRunner is imported from './backend.js' directly: this barrel is bundled for browsers too.
export type { BackendName } from './backend.js';
export type { BackendOptions, FloatTensor, OnnxRunner, RunnerBackend, RunnerFactory } from './runner.js';
export { FlowModel, KEEP_ALL, type ConditionKeep, type OfflineRequest } from './flow-model.js';
export { MelStream, type MelStreamOptions } from './mel-stream.js';
export { GaussianNoise } from './noise.js';
