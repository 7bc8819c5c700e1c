/**
 * Capture mode, page side: records the microphone (getUserMedia → recorder worklet, raw: no echo cancellation,
 * noise suppression or gain control, which would smear the contact sounds) and every hand frame together, shows
 * the level, and at the end sends one payload (capture-payload.ts) to the dev server, which writes dataset items.
 *
 * Synchronisation: hand frames carry page time; a mic sample's page time comes from the audio clock of the block
 * that recorded it, mapped with the audio thread's processing clock (currentTime − now, its smallest reading; the
 * device's input latency, typically 5–20 ms and not exposed by browsers, is not removed: it is written to the labels
 * as the clock's known bias).
 */
import { TrajectoryRecorder } from '../../../src/hand/trajectory.js';
import type { HandFrame } from '../../../src/hand/hand-frame.js';
import { HearingHandsError } from '../../../src/errors.js';
import { RingRecorder } from '../audio/ring-recorder.js';
import { CAPTURE_FORMAT, encodeCapture, type CaptureHeader } from './capture-payload.js';

export interface CaptureResult { items: string[]; root: string; seconds: number }

export class CaptureRecorder {
  private mic: RingRecorder | null = null;
  private stream: MediaStream | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private sink: GainNode | null = null;
  private joints: TrajectoryRecorder | null = null;
  private startIndex = 0;
  private readIndex = 0;
  private readonly levelBlock = new Float32Array(1024);
  private processingOffsetSec = Infinity;
  private regionFrames = new Map<string, { material: string; frames: number }>();
  levelDb = -Infinity;

  constructor(private readonly context: AudioContext, private readonly recorderModuleUrl: string) {}

  get recording(): boolean { return this.joints !== null; }

  /** Seconds of audio recorded so far. */
  seconds(): number { return this.mic ? (this.mic.written() - this.startIndex) / this.context.sampleRate : 0; }

  async start(maxSeconds = 60): Promise<void> {
    if (this.recording) return;
    if (!navigator.mediaDevices?.getUserMedia) throw new HearingHandsError('BACKEND_UNAVAILABLE', 'no microphone API (getUserMedia needs HTTPS or localhost)');
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
    this.mic = await RingRecorder.create(this.context, this.recorderModuleUrl, maxSeconds + 5);
    this.source = this.context.createMediaStreamSource(this.stream);
    this.sink = new GainNode(this.context, { gain: 0 }); // keeps the recorder pulled without playing the mic back
    this.source.connect(this.mic.node).connect(this.sink).connect(this.context.destination);
    // Start at the first sample recorded from now on.
    await new Promise((r) => setTimeout(r, 50));
    this.startIndex = this.readIndex = this.mic.written();
    this.joints = new TrajectoryRecorder();
    this.regionFrames.clear();
  }

  /** Records one hand frame (page clock), with the annotated region under a hand if any (for the labels). */
  addFrame(frame: HandFrame, region: { name: string; material: string } | null): void {
    if (!this.joints) return;
    this.joints.add(frame);
    if (region) {
      const r = this.regionFrames.get(region.name) ?? { material: region.material, frames: 0 };
      r.frames++;
      this.regionFrames.set(region.name, r);
    }
  }

  /** Level meter and clock readings; call every animation frame. */
  update(): void {
    this.processingOffsetSec = Math.min(this.processingOffsetSec, this.context.currentTime - performance.now() / 1000);
    if (!this.mic) return;
    const w = this.mic.written();
    if (w - this.readIndex < this.levelBlock.length) return;
    this.readIndex = w - this.levelBlock.length;
    this.mic.read(this.readIndex, this.levelBlock);
    let e = 0;
    for (const v of this.levelBlock) e += v * v;
    this.levelDb = 10 * Math.log10(e / this.levelBlock.length + 1e-12);
    this.readIndex = w;
  }

  /** Stops and uploads; resolves with what the server wrote. */
  async stopAndSave(uploadUrl: string, camera: CaptureHeader['camera']): Promise<CaptureResult> {
    const mic = this.mic, joints = this.joints;
    if (!mic || !joints) throw new HearingHandsError('INVALID_ARGUMENT', 'capture is not running');
    this.joints = null;
    const end = mic.written();
    const audio = new Float32Array(end - this.startIndex);
    mic.read(this.startIndex, audio);
    const sr = this.context.sampleRate;
    const audioStartPageSec = (mic.startFrame() + this.startIndex) / sr - this.processingOffsetSec;
    this.source?.disconnect(); mic.node.disconnect(); this.sink?.disconnect();
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.mic = null;
    const top = [...this.regionFrames.entries()].sort((a, b) => b[1].frames - a[1].frames)[0];
    const header: CaptureHeader = {
      format: CAPTURE_FORMAT, sampleRate: sr, audioStartPageSec, camera,
      region: top?.[0] ?? null, material: top?.[1].material ?? null,
      clock: 'audio-thread processing clock (currentTime - performance.now(), smallest reading); input latency not removed',
    };
    const body = encodeCapture({ header, trajectory: joints.toTrajectory(), audio });
    const res = await fetch(uploadUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream' } });
    const reply = await res.json() as CaptureResult | { error: string };
    if (!res.ok || 'error' in reply) throw new HearingHandsError('IO', `saving the capture failed: ${'error' in reply ? reply.error : res.status}`);
    return reply;
  }
}
