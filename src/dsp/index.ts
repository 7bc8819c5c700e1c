export { Dsp, Resampler, type GriffinLimOptions, type OnsetOptions } from './wasm-dsp.js';
export { FEATURES, frameCount, featureMismatches, type FeatureSettings } from './features.js';
