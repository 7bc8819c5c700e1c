export { Dsp, Resampler, StreamingGriffinLim, StreamingIstft, type GriffinLimOptions, type OnsetOptions, type StreamingGriffinLimOptions } from './wasm-dsp.js';
export { FEATURES, frameCount, featureMismatches, type FeatureSettings } from './features.js';
