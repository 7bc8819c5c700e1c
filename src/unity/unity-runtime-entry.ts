/**
 * Entry of the runtime bundle that ships in the Unity package (`unity/Plugins/WebGL/hearing-hands-runtime.jspre`,
 * built by scripts/build-unity.mjs). Unity puts a `.jspre` in front of the player's JavaScript, in the same scope
 * as the `.jslib` functions, which find this module as `HearingHandsRuntime`.
 *
 * The sampler Worker and the playback AudioWorklet must be separate scripts; the build embeds their bundles here
 * and serves them from blob: URLs, so a Unity project needs no extra files in StreamingAssets (a page may still
 * serve them itself: options workerUrl/workletUrl). Blob URLs are same-origin, so they keep the page's
 * cross-origin isolation (which SharedArrayBuffer needs). A model and onnxruntime-web's files are fetched from the
 * page's origin (options modelUrl, ortUrl), as in a page.
 */
import { HearingHands } from '../runtime/browser/hearing-hands.js';
import { UnityBridge, type BridgeRuntime, type RuntimeEvent } from './unity-bridge.js';
import { toHearingHandsOptions, type UnityRuntimeOptions } from './unity-options.js';

export { UnityBridge } from './unity-bridge.js';
export * from './unity-abi.js';

// Replaced by the build (esbuild `define`) with the bundled sources as string literals.
declare const __HH_SAMPLER_WORKER_JS__: string;
declare const __HH_PLAYBACK_WORKLET_JS__: string;

let embeddedUrls: { worker: string; worklet: string } | null = null;
function embedded(): { worker: string; worklet: string } {
  const script = (js: string) => URL.createObjectURL(new Blob([js], { type: 'text/javascript' }));
  embeddedUrls ??= { worker: script(__HH_SAMPLER_WORKER_JS__), worklet: script(__HH_PLAYBACK_WORKLET_JS__) };
  return embeddedUrls;
}

/** Where the page wants the sound (set with `HearingHandsUnity.setAudioOutput`; default: a new AudioContext). */
let audioOutput: { context?: AudioContext; destination?: AudioNode } = {};

/**
 * For the page around the Unity player (e.g. a WebGL template): play through this AudioContext (one context for
 * the whole page, resumed by the page's own gesture handling) and into this node. Applies to instances created
 * after the call.
 */
export function setAudioOutput(context: AudioContext | undefined, destination?: AudioNode): void {
  audioOutput = { ...(context ? { context } : {}), ...(destination ? { destination } : {}) };
}

export function createRuntime(o: UnityRuntimeOptions, onEvent: (e: RuntimeEvent) => void): Promise<BridgeRuntime> {
  return HearingHands.create({ ...toHearingHandsOptions(o, embedded, audioOutput), on: onEvent });
}

/** The bridge the `.jslib` uses; `sendMessage` is Unity's SendMessage. */
export function createUnityBridge(sendMessage: (gameObject: string, method: string, payload: string) => void): UnityBridge {
  return new UnityBridge({ createRuntime, sendMessage });
}

// The page can reach the player's scope only through a global: expose the page-facing part.
(globalThis as { HearingHandsUnity?: { setAudioOutput: typeof setAudioOutput } }).HearingHandsUnity = { setAudioOutput };
