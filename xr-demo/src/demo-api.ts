/**
 * What the page exposes as `window.xrDemo`: for the tests (playwright drives the page through it), the screenshot
 * script, and people poking at the demo from the console.
 */
import type { HandIndex } from '../../src/hand/hand-frame.js';
import type { Annotation } from './annotation.js';
import type { CaptureResult } from './capture/capture-recorder.js';
import type { HudState } from './hud.js';
import type { ContactEvent } from './surface-router.js';
import type { StrikeOptions } from './desktop/emulated-quest.js';

export interface OutputRecording {
  sampleRate: number;
  /** Audio-clock time (s) of samples[0]. */
  startContextSec: number;
  samples: number[];
  /** Audio − page clock (s) used by the page (output latency included when includesOutputLatency). */
  offsetSec: number;
  includesOutputLatency: boolean;
}

export interface XrDemoApi {
  ready: boolean;
  /** Why the page could not start (ready false). */
  fatal?: string;
  desktop: boolean;
  annotation: Annotation;
  errors: string[];
  contacts: ContactEvent[];
  hudText(): string;
  hudState(): HudState;
  /** Every distinct HUD line shown so far. */
  hudSeen(): string[];
  frames(): number;
  /** Rendered frames per second (Babylon's estimate). */
  fps(): number;
  /** Loudest mel band of the spectrogram's latest column (dB). */
  spectrogramDb(): number;
  /** Splats in the loaded scene (0 when none). */
  splatCount(): number;
  /** Hides the splat (software-rendered test browsers draw it at about 1 frame/s). */
  setSplatVisible(visible: boolean): void;
  enterVR(): Promise<void>;
  inXR(): boolean;
  calibrated(): boolean;
  /** An emulated hand strikes `region` (its middle, or at (x, z)) and rests there `holdSec` (default 0.2 s). */
  strike(hand: HandIndex, region: string, at?: [number, number], options?: Partial<StrikeOptions>): Promise<{ contactPageSec: number }>;
  replay(name: string): Promise<{ region: string; durationSec: number }>;
  startCapture(): Promise<void>;
  stopCapture(): Promise<CaptureResult>;
  /** The output as heard, from page time `fromPageSec` on. */
  recording(fromPageSec: number): OutputRecording;
}

declare global { interface Window { xrDemo: XrDemoApi } }
