/** Names under which the worklet processors register (imported by main-thread code without loading the worklet). */
export const PLAYBACK_PROCESSOR_NAME = 'hearing-hands-playback';
