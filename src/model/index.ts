export { ACTION_DIM, N_MELS, MANIFEST_FORMAT, parseManifest, assertCompatible, type ModelManifest } from './manifest.js';
export { actionFeatures, toMelRate, sourceFrameIndex } from './conditioning.js';
export { createRunner, type BackendName, type BackendOptions, type FloatTensor, type OnnxRunner } from './backend.js';
export { FlowModel, KEEP_ALL, type ConditionKeep, type OfflineRequest } from './flow-model.js';
export { MelStream, type MelStreamOptions } from './mel-stream.js';
export { GaussianNoise } from './noise.js';
