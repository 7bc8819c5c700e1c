/** The bench's AudioWorklet bundle: the real playback processor (src/audio/playback-processor.ts), timed per block. */
import './install-block-timing.js';
import '../../src/audio/playback-processor.js';
