/**
 * NumPy `.npy` read/write (format versions 1.0, 2.0 and 3.0), enough for the released dataset's mels and
 * HaMeR keypoints and for our own simulated capture. C order only; Fortran order, object and structured
 * arrays are refused with an `InvalidNpyError`. Reading always copies into a fresh, aligned, native-endian
 * typed array, so callers may keep the result after the input bytes are gone.
 */
import { InvalidNpyError } from '../errors.js';

export type NpyDtype =
  | 'float32' | 'float64'
  | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'bool';

export type NpyData =
  | Float32Array | Float64Array
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Elements in C (row-major) order; `bool` arrives as a Uint8Array of 0/1. */
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN_BYTES = 64;

interface DtypeInfo { dtype: NpyDtype; bytes: number }
const KIND_SIZE: Record<string, DtypeInfo> = {
  f4: { dtype: 'float32', bytes: 4 }, f8: { dtype: 'float64', bytes: 8 },
  i1: { dtype: 'int8', bytes: 1 }, i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 }, i8: { dtype: 'int64', bytes: 8 },
  u1: { dtype: 'uint8', bytes: 1 }, u2: { dtype: 'uint16', bytes: 2 },
  u4: { dtype: 'uint32', bytes: 4 }, u8: { dtype: 'uint64', bytes: 8 },
  b1: { dtype: 'bool', bytes: 1 },
};

function allocate(dtype: NpyDtype, n: number): NpyData {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'int8': return new Int8Array(n);
    case 'int16': return new Int16Array(n);
    case 'int32': return new Int32Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
    case 'uint16': return new Uint16Array(n);
    case 'uint32': return new Uint32Array(n);
    case 'uint64': return new BigUint64Array(n);
  }
}

/** Parses the Python-literal header dict that NumPy writes; only the three keys NumPy itself emits. */
function parseHeader(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) throw new InvalidNpyError('structured (record) arrays are not supported');
    throw new InvalidNpyError(`header has no 'descr': ${text.trim()}`);
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw new InvalidNpyError(`header has no 'fortran_order': ${text.trim()}`);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shape) throw new InvalidNpyError(`header has no 'shape': ${text.trim()}`);
  const dims = shape[1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) throw new InvalidNpyError(`bad dimension '${s}' in shape (${shape[1]})`);
    return v;
  });
  return { descr: descr[2]!, fortranOrder: fortran[1] === 'True', shape: dims };
}

/** Reads a `.npy` file's bytes. */
export function readNpy(bytes: Uint8Array): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidNpyError('expected the file contents as a Uint8Array');
  if (bytes.length < 10) throw new InvalidNpyError(`truncated file: ${bytes.length} bytes is shorter than the .npy preamble`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new InvalidNpyError('not a .npy file (bad magic string)');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) { headerLen = view.getUint16(8, true); headerStart = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InvalidNpyError('truncated file: incomplete v2/v3 preamble');
    headerLen = view.getUint32(8, true); headerStart = 12;
  } else throw new InvalidNpyError(`unsupported .npy format version ${major}.${bytes[7]}`);
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new InvalidNpyError(`truncated file: header claims ${headerLen} bytes, file has ${bytes.length - headerStart}`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(headerText);

  if (/^[<>|=]?O\d*$/.test(descr)) throw new InvalidNpyError('object arrays are not supported (they hold pickled Python objects)');
  const m = /^([<>|=])?([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw new InvalidNpyError(`unsupported dtype '${descr}'`);
  const kind = `${m[2]}${m[3]}`;
  const info = KIND_SIZE[kind];
  if (!info) throw new InvalidNpyError(`unsupported dtype '${descr}'`);
  const bigEndian = m[1] === '>';
  if (fortranOrder && shape.filter((d) => d > 1).length > 1) {
    throw new InvalidNpyError('Fortran-order arrays are not supported; save with np.ascontiguousarray first');
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * info.bytes;
  if (bytes.length - dataStart < needed) {
    throw new InvalidNpyError(`truncated file: shape (${shape.join(', ')}) of ${descr} needs ${needed} data bytes, found ${bytes.length - dataStart}`);
  }
  const data = allocate(info.dtype, count);
  const raw = new Uint8Array(data.buffer);
  raw.set(bytes.subarray(dataStart, dataStart + needed));
  if (bigEndian && info.bytes > 1) swapBytes(raw, info.bytes);
  return { dtype: info.dtype, shape, data };
}

function swapBytes(raw: Uint8Array, width: number): void {
  for (let i = 0; i < raw.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = raw[a]!; raw[a] = raw[b]!; raw[b] = t;
    }
  }
}

export type NpyWritable = Float32Array | Float64Array | Int32Array | Uint8Array | BigInt64Array;

function descrOf(data: NpyWritable): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof BigInt64Array) return '<i8';
  throw new InvalidNpyError('writeNpy supports Float32Array, Float64Array, Int32Array, Uint8Array and BigInt64Array');
}

/** Serialises a C-order array the way NumPy does (v1.0 header padded to 64 bytes; v2.0 if it is too long). */
export function writeNpy(data: NpyWritable, shape: readonly number[]): Uint8Array {
  const descr = descrOf(data);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new InvalidNpyError(`bad dimension ${d} in shape [${shape.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new InvalidNpyError(`shape [${shape.join(', ')}] holds ${count} elements but data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1, preamble = 10;
  let total = Math.ceil((preamble + dict.length + 1) / ALIGN_BYTES) * ALIGN_BYTES;
  if (total - preamble > 0xffff) { version = 2; preamble = 12; total = Math.ceil((preamble + dict.length + 1) / ALIGN_BYTES) * ALIGN_BYTES; }
  const headerLen = total - preamble;
  const header = dict.padEnd(headerLen - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version; out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLen, true); else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  // Typed arrays are platform-endian; every platform Node runs on is little-endian, which '<' declares.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}
