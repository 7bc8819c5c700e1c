/**
 * Makes node-web-audio-api's classes the globals Tone.js looks for (it expects a browser `window`). Import this
 * before importing anything that imports 'tone'.
 */
import * as webAudio from 'node-web-audio-api';

Object.assign(globalThis, webAudio);
(globalThis as unknown as { window: unknown }).window = globalThis;
