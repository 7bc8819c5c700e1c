/**
 * Shared layout of the recorder ring (worklet writes, main thread reads): Int32 header
 * [0] samples written so far (absolute count), [1] audio-clock frame of sample 0; then a Float32 ring whose
 * length is a power of two. Single producer, single consumer; the writer stores the count after the data.
 */
export const RING_RECORDER_PROCESSOR = 'xr-demo-ring-recorder';
export const RING_HEADER_INTS = 2;
export interface RingRecorderProcessorOptions { buffer: SharedArrayBuffer }
