// AssemblyScript DSP core: the exports seen by src/dsp/wasm-dsp.ts. Every buffer argument is a byte pointer into
// this module's memory (JS allocates its staging buffers once with allocF32 and keeps typed-array views).
export { allocF32 } from './memory';
export { configure, melSpectrogram, stft, stftMagnitude, istft, frameCountFor, melOfMagnitude } from './spectral';
export { windowPtr, melFilterbankPtr } from './spectral';
export { rfft, irfft } from './fft';
export { griffinLim, melToLinear } from './griffinlim';
export { resamplerCreate, resamplerProcess, resamplerReset, resamplerTaps, resamplerMaxOut } from './resample';
export { stftDistance, envelopeDistance, rmsEnvelope, detectOnsets } from './metrics';
export { sglCreate, sglPush, sglReset, sglContextFrames } from './streaming-gl';
export { olaCreate, olaPush, olaReset } from './overlap-add';
