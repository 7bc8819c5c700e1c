/**
 * A runner that switches from its primary (the WebGPU session) to a standby (a wasm session over the same graph,
 * created up front so that switching costs no session creation) when the primary fails: a run that rejects, or a
 * loss reported from outside (GPUDevice.lost). The failed run is redone on the standby with the same feeds — the
 * stream's states live in JS arrays, so the stream goes on where it was and the audio has no gap beyond one tick.
 */
import { BackendUnavailableError } from '../errors.js';
import type { FloatTensor, OnnxRunner, RunnerBackend } from './runner.js';

export interface FailoverEvent { from: RunnerBackend; to: RunnerBackend; reason: string }

export class FailoverRunner implements OnnxRunner {
  private active: OnnxRunner;
  private switched = false;
  private lostReason = '';
  /** Rejects the primary's run in flight when a loss is reported (a run on a destroyed device may never settle). */
  private rejectInFlight: ((e: Error) => void) | null = null;
  private injectFailure = false;

  constructor(private readonly primary: OnnxRunner, private readonly standby: OnnxRunner,
    private readonly onSwitch: (e: FailoverEvent) => void) {
    this.active = primary;
  }

  get backend(): RunnerBackend { return this.active.backend; }
  get inputNames(): readonly string[] { return this.active.inputNames; }
  get outputNames(): readonly string[] { return this.active.outputNames; }

  /** Reports that the primary is gone (e.g. its GPU device was lost): the next run, and any in flight, use the standby. */
  primaryLost(reason: string): void {
    if (this.switched || this.lostReason) return;
    this.lostReason = reason;
    this.rejectInFlight?.(new BackendUnavailableError(reason));
  }

  /** Test hook: the primary's next run fails as a lost device's would. */
  failPrimaryNextRun(): void { this.injectFailure = true; }

  async run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
    if (!this.switched) {
      try {
        if (this.lostReason) throw new BackendUnavailableError(this.lostReason);
        if (this.injectFailure) throw new BackendUnavailableError(`simulated ${this.primary.backend} failure`);
        return await new Promise<Record<string, FloatTensor>>((resolve, reject) => {
          this.rejectInFlight = reject;
          this.primary.run(feeds).then(resolve, reject);
        });
      } catch (e) {
        this.switchToStandby((e as Error).message);
      } finally {
        this.rejectInFlight = null;
      }
    }
    return this.standby.run(feeds);
  }

  async release(): Promise<void> {
    await this.primary.release().catch(() => undefined); // a lost device's session may refuse to release
    await this.standby.release();
  }

  private switchToStandby(reason: string): void {
    this.switched = true;
    this.active = this.standby;
    this.onSwitch({ from: this.primary.backend, to: this.standby.backend, reason });
    // The primary is not used again; release it quietly (its device may be gone).
    void this.primary.release().catch(() => undefined);
  }
}
