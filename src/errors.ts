/**
 * Typed errors shared by every stage. Each carries a stable `code` so callers (the CLI, the demo HUD,
 * the Unity bridge) can react without parsing messages.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_AUDIO'
  | 'WAV_FORMAT'
  | 'UNSUPPORTED_RATE'
  | 'SIGNAL_TOO_SHORT'
  | 'INVALID_TRAJECTORY'
  | 'INVALID_NPY'
  | 'INVALID_DATASET'
  | 'UNKNOWN_MATERIAL'
  | 'MODEL_MISMATCH'
  | 'MODEL_LOAD'
  | 'BACKEND_UNAVAILABLE'
  | 'IO';

export class HearingHandsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A caller passed a value outside its documented domain (negative length, NaN rate, …). */
export class InvalidArgumentError extends HearingHandsError {
  constructor(message: string) { super('INVALID_ARGUMENT', message); }
}

/** Audio samples that cannot be processed: empty, or containing NaN/±Infinity. */
export class InvalidAudioError extends HearingHandsError {
  constructor(message: string) { super('INVALID_AUDIO', message); }
}

/** Bytes that are not a WAV file we can read (not RIFF/WAVE, truncated, unsupported encoding). */
export class WavFormatError extends HearingHandsError {
  constructor(message: string) { super('WAV_FORMAT', message); }
}

/** A sample-rate conversion we cannot do exactly (rates not positive integers, or the ratio too fine). */
export class UnsupportedRateError extends HearingHandsError {
  constructor(message: string) { super('UNSUPPORTED_RATE', message); }
}

/** A signal too short for the requested analysis (e.g. reflect padding needs more than n_fft/2 samples). */
export class SignalTooShortError extends HearingHandsError {
  constructor(message: string) { super('SIGNAL_TOO_SHORT', message); }
}

/** A trajectory (JSON or binary) that does not follow DESIGN.md's `hearing-hands/trajectory@1` format. */
export class InvalidTrajectoryError extends HearingHandsError {
  constructor(message: string) { super('INVALID_TRAJECTORY', message); }
}

/** Bytes that are not a `.npy` array we can read (bad magic/header, unsupported dtype, wrong shape). */
export class InvalidNpyError extends HearingHandsError {
  constructor(message: string) { super('INVALID_NPY', message); }
}

/** A material name that the simulated-capture library (src/sim/materials.ts) does not define. */
export class UnknownMaterialError extends HearingHandsError {
  constructor(name: string, known: readonly string[]) {
    super('UNKNOWN_MATERIAL', `unknown material '${name}' (known: ${known.join(', ')})`);
  }
}

/** A dataset folder that does not follow the released layout (missing split.json, mismatched shapes, …). */
export class InvalidDatasetError extends HearingHandsError {
  constructor(message: string) { super('INVALID_DATASET', message); }
}

/** A file that cannot be read or written (missing, a directory, no permission), with the OS reason. */
export class FileIoError extends HearingHandsError {
  constructor(message: string, options?: { cause?: unknown }) { super('IO', message, options); }
}

/** A model whose manifest disagrees with the runtime (feature settings, tensor layout, format version). */
export class ModelMismatchError extends HearingHandsError {
  constructor(message: string) { super('MODEL_MISMATCH', message); }
}

/** A model that cannot be loaded: manifest or ONNX file missing, unreadable, malformed or rejected by the backend. */
export class ModelLoadError extends HearingHandsError {
  constructor(message: string, options?: { cause?: unknown }) { super('MODEL_LOAD', message, options); }
}

/** A compute backend that cannot run here (no WebGPU adapter, a lost GPU device, no cross-origin isolation). */
export class BackendUnavailableError extends HearingHandsError {
  constructor(message: string, options?: { cause?: unknown }) { super('BACKEND_UNAVAILABLE', message, options); }
}
