/**
 * WAV (RIFF/WAVE) reading and writing, no dependencies.
 *
 * Reads: PCM 8 (unsigned), 16, 24, 32-bit and IEEE float 32/64, plain or WAVE_FORMAT_EXTENSIBLE, any
 * channel count and rate. Unknown chunks (LIST, fact, cue, bext, …) are skipped, honouring the pad byte
 * after odd-sized chunks. Anything that would otherwise give a silent wrong answer is a typed error:
 * empty or truncated bytes, not RIFF/WAVE, compressed codecs, zero channels, NaN/Inf float samples.
 *
 * Writes: PCM 16/24-bit or float32, one Float32Array per channel, interleaved on disk.
 */
import { InvalidArgumentError, InvalidAudioError, WavFormatError } from '../errors.js';

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';
export type WavWriteFormat = 'pcm16' | 'pcm24' | 'float32';

export interface WavAudio {
  sampleRate: number;
  /** One array per channel, samples in [-1, 1] (float files may exceed it). */
  channels: Float32Array[];
  /** The on-disk sample encoding. */
  format: WavSampleFormat;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Codes seen in the wild, so that the error names what the file is instead of a bare number. */
const KNOWN_CODECS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};
/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID (the first two are the plain format code). */
const EXTENSIBLE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

interface FmtChunk {
  formatCode: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function fourCC(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2),
    view.getUint8(offset + 3));
}

function codecName(code: number): string {
  return `${KNOWN_CODECS[code] ?? 'format code'} (0x${code.toString(16).padStart(4, '0')})`;
}

function parseFmt(view: DataView, offset: number, size: number): FmtChunk {
  if (size < 16) throw new WavFormatError(`fmt chunk is ${size} bytes, needs at least 16`);
  let formatCode = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  const bitsPerSample = view.getUint16(offset + 14, true);
  if (formatCode === WAVE_FORMAT_EXTENSIBLE) {
    // cbSize (2) + validBits (2) + channelMask (4) + subformat GUID (16) follow the basic 16 bytes.
    if (size < 40) throw new WavFormatError(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, needs 40`);
    formatCode = view.getUint16(offset + 24, true);
    for (let i = 0; i < EXTENSIBLE_GUID_TAIL.length; i++) {
      if (view.getUint8(offset + 26 + i) !== EXTENSIBLE_GUID_TAIL[i]) {
        throw new WavFormatError('unsupported WAVE_FORMAT_EXTENSIBLE subformat (not a standard PCM/float GUID)');
      }
    }
  }
  return { formatCode, channels, sampleRate, blockAlign, bitsPerSample };
}

function sampleFormat(fmt: FmtChunk): WavSampleFormat {
  const { formatCode, bitsPerSample } = fmt;
  if (formatCode === WAVE_FORMAT_PCM) {
    switch (bitsPerSample) {
      case 8: return 'pcm8';
      case 16: return 'pcm16';
      case 24: return 'pcm24';
      case 32: return 'pcm32';
    }
    throw new WavFormatError(`unsupported PCM bit depth ${bitsPerSample} (supported: 8, 16, 24, 32)`);
  }
  if (formatCode === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample === 32) return 'float32';
    if (bitsPerSample === 64) return 'float64';
    throw new WavFormatError(`unsupported IEEE float bit depth ${bitsPerSample} (supported: 32, 64)`);
  }
  throw new WavFormatError(`unsupported codec ${codecName(formatCode)}: only PCM and IEEE float WAV can be read`);
}

/** Parses a WAV file. Throws WavFormatError for bytes it cannot read, InvalidAudioError for NaN/Inf samples. */
export function readWav(bytes: Uint8Array): WavAudio {
  if (bytes.byteLength === 0) throw new WavFormatError('empty file (0 bytes)');
  if (bytes.byteLength < 12) throw new WavFormatError(`truncated: ${bytes.byteLength} bytes is shorter than a RIFF header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riff = fourCC(view, 0);
  if (riff === 'RIFX') throw new WavFormatError('big-endian RIFX WAV is not supported');
  if (riff === 'RF64') throw new WavFormatError('RF64 (64-bit WAV) is not supported');
  if (riff !== 'RIFF' || fourCC(view, 8) !== 'WAVE') {
    throw new WavFormatError('not a WAV file (no RIFF/WAVE header)');
  }

  let fmt: FmtChunk | undefined;
  let dataOffset = -1;
  let dataSize = 0;
  let offset = 12;
  // The RIFF size field is often wrong in files from streaming writers; walk the chunks actually present.
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCC(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.byteLength) throw new WavFormatError('truncated: fmt chunk runs past the end of the file');
      fmt = parseFmt(view, body, size);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk comes before the fmt chunk');
      const available = bytes.byteLength - body;
      // Writers that stream to a pipe cannot seek back to fill in the size; they leave 0xFFFFFFFF ("unknown",
      // libsndfile and ffmpeg read it as "to the end of the file"). Any other size past the end is truncation.
      if (size === 0xffffffff) {
        dataOffset = body;
        dataSize = available;
        break;
      }
      if (size > available) {
        throw new WavFormatError(`truncated: data chunk declares ${size} bytes but only ${available} remain`);
      }
      dataOffset = body;
      dataSize = size;
      break;
    }
    offset = body + size + (size & 1); // chunks are word-aligned: odd sizes carry one pad byte
  }
  if (!fmt) throw new WavFormatError('no fmt chunk (truncated or not a WAV file)');
  if (dataOffset < 0) throw new WavFormatError('no data chunk (truncated file?)');

  const format = sampleFormat(fmt);
  if (fmt.channels === 0) throw new WavFormatError('fmt chunk declares zero channels');
  if (fmt.sampleRate === 0) throw new WavFormatError('fmt chunk declares a sample rate of 0 Hz');
  const bytesPerSample = fmt.bitsPerSample / 8;
  if (fmt.blockAlign !== fmt.channels * bytesPerSample) {
    throw new WavFormatError(`block align ${fmt.blockAlign} does not match ${fmt.channels} channels × ${bytesPerSample} bytes`);
  }
  // A partial frame at the end (some writers leave one) cannot be split into channels: it is dropped.
  const frames = Math.floor(dataSize / fmt.blockAlign);
  const channels = Array.from({ length: fmt.channels }, () => new Float32Array(frames));
  decodeSamples(view, dataOffset, format, channels, frames, bytesPerSample);
  return { sampleRate: fmt.sampleRate, channels, format };
}

/** Per-format sample readers: offset → value. One loop per file, the format chosen once. */
const SAMPLE_READERS: Record<WavSampleFormat, (view: DataView, p: number) => number> = {
  pcm8: (view, p) => (view.getUint8(p) - 128) / 128,
  pcm16: (view, p) => view.getInt16(p, true) / 32768,
  pcm24: (view, p) => (view.getInt8(p + 2) * 65536 + (view.getUint8(p) | (view.getUint8(p + 1) << 8))) / 8388608,
  pcm32: (view, p) => view.getInt32(p, true) / 2147483648,
  float32: (view, p) => view.getFloat32(p, true),
  float64: (view, p) => view.getFloat64(p, true),
};

function decodeSamples(view: DataView, start: number, format: WavSampleFormat, channels: Float32Array[],
  frames: number, bytesPerSample: number): void {
  const read = SAMPLE_READERS[format];
  const isFloat = format === 'float32' || format === 'float64';
  const nCh = channels.length;
  for (let c = 0; c < nCh; c++) {
    const out = channels[c]!;
    let p = start + c * bytesPerSample;
    const stride = nCh * bytesPerSample;
    for (let i = 0; i < frames; i++, p += stride) {
      const v = read(view, p);
      // Integer PCM is always finite; float files can hold NaN/Inf, which would poison every later stage.
      if (isFloat && !Number.isFinite(v)) {
        throw new InvalidAudioError(`sample ${i} of channel ${c} is ${v} (a float WAV must hold finite samples)`);
      }
      out[i] = v;
    }
  }
}

const BYTES_PER_SAMPLE: Record<WavWriteFormat, number> = { pcm16: 2, pcm24: 3, float32: 4 };

/**
 * Encodes channels as a WAV file (plain PCM or IEEE float fmt chunk, data chunk, nothing else).
 * PCM output clamps to [-1, 1]; float32 keeps values as they are. NaN/Inf samples are refused.
 */
export function writeWav(channels: Float32Array[], sampleRate: number,
  opts: { format?: WavWriteFormat } = {}): Uint8Array {
  const format = opts.format ?? 'pcm16';
  if (!(format in BYTES_PER_SAMPLE)) throw new InvalidArgumentError(`unknown WAV write format '${String(format)}'`);
  if (channels.length === 0) throw new InvalidArgumentError('writeWav needs at least one channel');
  if (channels.length > 0xffff) throw new InvalidArgumentError(`too many channels (${channels.length})`);
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff) {
    throw new InvalidArgumentError(`sample rate must be a positive integer, got ${sampleRate}`);
  }
  const frames = channels[0]!.length;
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== frames) throw new InvalidArgumentError(`channel ${c} has ${ch.length} samples, channel 0 has ${frames}`);
  }
  const bytesPerSample = BYTES_PER_SAMPLE[format];
  const blockAlign = channels.length * bytesPerSample;
  const dataSize = frames * blockAlign;
  if (44 + dataSize > 0xffffffff) throw new InvalidArgumentError('audio too long for a 4 GiB WAV file');
  const out = new Uint8Array(44 + dataSize + (dataSize & 1));
  const view = new DataView(out.buffer);
  const ascii = (offset: number, s: string) => { for (let i = 0; i < 4; i++) out[offset + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  view.setUint32(4, out.byteLength - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'float32' ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (const [c, ch] of channels.entries()) {
      const v = ch[i]!;
      if (!Number.isFinite(v)) throw new InvalidAudioError(`sample ${i} of channel ${c} is ${v}`);
      switch (format) {
        case 'pcm16': view.setInt16(p, quantise(v, 32768), true); break;
        case 'pcm24': {
          const q = quantise(v, 8388608);
          view.setUint8(p, q & 0xff);
          view.setUint8(p + 1, (q >> 8) & 0xff);
          view.setUint8(p + 2, (q >> 16) & 0xff);
          break;
        }
        case 'float32': view.setFloat32(p, v, true); break;
      }
      p += bytesPerSample;
    }
  }
  return out;
}

/** Scale [-1, 1] to a signed integer of full scale `scale` (−scale … scale − 1), rounding to nearest. */
function quantise(v: number, scale: number): number {
  return Math.max(-scale, Math.min(scale - 1, Math.round(v * scale)));
}
