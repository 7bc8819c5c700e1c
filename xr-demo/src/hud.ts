/**
 * The HUD's content: what sound backend runs (and whether WebGPU exists), the live latency, the material under each
 * hand, the sampler's health, and in capture mode the microphone level. It renders as text lines into a DOM element
 * (desktop) and hands the same lines to the in-VR panel (xr-hud-panel.ts), which also shows the spectrogram canvas.
 */
export interface HudState {
  mode: 'desktop' | 'immersive' | 'replay' | 'capture' | 'starting';
  /** 'procedural', 'model (webgpu)', 'model (wasm)', … */
  backend: string;
  webgpu: 'available' | 'not available';
  latency: { lastMs: number; medianMs: number; count: number; region: string } | null;
  /** Region and material under the left and right hand ('—' when none). */
  hands: [string, string];
  underruns: number;
  stepMs: number;
  capture: { levelDb: number; seconds: number; status: string } | null;
  message: string;
}

export function hudLines(s: HudState): string[] {
  const lines = [
    `mode: ${s.mode}`,
    `sound: ${s.backend}  ·  WebGPU: ${s.webgpu}${s.webgpu === 'not available' ? ' (the model falls back to wasm)' : ''}`,
    s.latency
      ? `latency: ${s.latency.lastMs.toFixed(0)} ms (${s.latency.region}), median ${s.latency.medianMs.toFixed(0)} ms over ${s.latency.count}`
      : 'latency: — (touch something)',
    `left hand: ${s.hands[0]}`,
    `right hand: ${s.hands[1]}`,
    `sampler: step ${s.stepMs.toFixed(1)} ms, underruns ${s.underruns}`,
  ];
  if (s.capture) lines.push(`capture: ${s.capture.status}  ${s.capture.seconds.toFixed(1)} s  mic ${Number.isFinite(s.capture.levelDb) ? s.capture.levelDb.toFixed(0) : '-∞'} dBFS`);
  if (s.message) lines.push(s.message);
  return lines;
}

export class Hud {
  constructor(private readonly text: HTMLElement, private readonly levelBar: HTMLElement | null) {}

  render(s: HudState): string[] {
    const lines = hudLines(s);
    this.text.textContent = lines.join('\n');
    if (this.levelBar) {
      const db = s.capture?.levelDb ?? -Infinity;
      this.levelBar.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100))}%`;
      this.levelBar.parentElement!.style.display = s.capture ? 'block' : 'none';
    }
    return lines;
  }
}
