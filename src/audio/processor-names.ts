/** Names under which the worklet processors register (imported by main-thread code without loading the worklet). */
export const PLAYBACK_PROCESSOR_NAME = 'hearing-hands-playback';
/** The output chain's limiter (no look-ahead), registered by the same module as the playback processor. */
export const LIMITER_PROCESSOR_NAME = 'hearing-hands-limiter';
/** A voice's low-latency binaural panner (binaural-processor.ts), registered by the same module. */
export const BINAURAL_PROCESSOR_NAME = 'hearing-hands-binaural';
