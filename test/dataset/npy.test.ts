import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { InvalidNpyError } from '../../src/errors.js';

/** Builds a .npy by hand so that every header variant can be tested without NumPy. */
function handMade(version: 1 | 2 | 3, header: string, payload: Uint8Array): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const text = header.padEnd(Math.ceil((pre + header.length + 1) / 64) * 64 - pre - 1, ' ') + '\n';
  const enc = new TextEncoder().encode(text);
  const out = new Uint8Array(pre + enc.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, enc.length, true); else v.setUint32(8, enc.length, true);
  out.set(enc, pre);
  out.set(payload, pre + enc.length);
  return out;
}

test('writeNpy → readNpy round-trips float32, float64, int32 with their shapes', () => {
  const f32 = Float32Array.from({ length: 80 * 7 }, (_, i) => Math.sin(i) * 1e3);
  const a = readNpy(writeNpy(f32, [80, 7]));
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(a.shape, [80, 7]);
  assert.deepEqual(a.data, f32);
  const f64 = Float64Array.from([Math.PI, -0, 1e-300, Infinity]);
  const b = readNpy(writeNpy(f64, [4]));
  assert.equal(b.dtype, 'float64');
  assert.deepEqual(b.shape, [4]);
  assert.deepEqual(b.data, f64);
  const i32 = Int32Array.from([-2147483648, 0, 2147483647, 5, 6, 7]);
  const c = readNpy(writeNpy(i32, [1, 2, 3]));
  assert.equal(c.dtype, 'int32');
  assert.deepEqual(c.shape, [1, 2, 3]);
  assert.deepEqual(c.data, i32);
});

test('the header is padded so that data starts on a 64-byte boundary, and ends with a newline', () => {
  const bytes = writeNpy(new Float32Array(240 * 2 * 21 * 3), [240, 2, 21, 3]);
  const headerLen = bytes[8]! | (bytes[9]! << 8);
  assert.equal((10 + headerLen) % 64, 0);
  assert.equal(bytes[10 + headerLen - 1], 0x0a);
  assert.equal(bytes.length, 10 + headerLen + 240 * 2 * 21 * 3 * 4);
});

test('reads v2 and v3 headers, big-endian data, int64, uint8 and bool, and scalars', () => {
  const be = new Uint8Array(8);
  new DataView(be.buffer).setFloat32(0, 1.5, false);
  new DataView(be.buffer).setFloat32(4, -2.25, false);
  const a = readNpy(handMade(2, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be));
  assert.deepEqual(Array.from(a.data as Float32Array), [1.5, -2.25]);

  const i64 = new Uint8Array(16);
  new DataView(i64.buffer).setBigInt64(0, -3n, true);
  new DataView(i64.buffer).setBigInt64(8, 1n << 40n, true);
  const b = readNpy(handMade(3, "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", i64));
  assert.equal(b.dtype, 'int64');
  assert.deepEqual(Array.from(b.data as BigInt64Array), [-3n, 1n << 40n]);

  const bigI16 = new Uint8Array([0x01, 0x02]);
  const c = readNpy(handMade(1, "{'descr': '>i2', 'fortran_order': False, 'shape': (1,), }", bigI16));
  assert.equal((c.data as Int16Array)[0], 0x0102);

  const d = readNpy(handMade(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new Uint8Array([1, 0, 1])));
  assert.equal(d.dtype, 'bool');
  assert.deepEqual(Array.from(d.data as Uint8Array), [1, 0, 1]);

  const scalar = new Uint8Array(8);
  new DataView(scalar.buffer).setFloat64(0, 42, true);
  const e = readNpy(handMade(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", scalar));
  assert.deepEqual(e.shape, []);
  assert.equal((e.data as Float64Array)[0], 42);
});

test('reads from an unaligned view into a larger buffer', () => {
  const file = writeNpy(Float32Array.from([1, 2, 3]), [3]);
  const padded = new Uint8Array(file.length + 3);
  padded.set(file, 3);
  assert.deepEqual(Array.from(readNpy(padded.subarray(3)).data as Float32Array), [1, 2, 3]);
});

test('bad files raise InvalidNpyError with a reason', () => {
  const good = writeNpy(new Float32Array(6), [2, 3]);
  const isNpy = (re: RegExp) => (e: unknown) => e instanceof InvalidNpyError && e.code === 'INVALID_NPY' && re.test(e.message);
  assert.throws(() => readNpy(good.subarray(0, good.length - 1)), isNpy(/truncated/));
  assert.throws(() => readNpy(good.subarray(0, 5)), isNpy(/truncated/));
  assert.throws(() => readNpy(good.subarray(0, 40)), isNpy(/truncated/));
  assert.throws(() => readNpy(new TextEncoder().encode('hello, this is not numpy')), isNpy(/magic/));
  assert.throws(() => readNpy(handMade(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new Uint8Array(24))), isNpy(/Fortran/));
  assert.throws(() => readNpy(handMade(1, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16))), isNpy(/object/));
  assert.throws(() => readNpy(handMade(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8))), isNpy(/structured/));
  assert.throws(() => readNpy(handMade(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16))), isNpy(/dtype/));
  const v9 = good.slice(); v9[6] = 9;
  assert.throws(() => readNpy(v9), isNpy(/version/));
  assert.throws(() => writeNpy(new Float32Array(5), [2, 3]), isNpy(/elements/));
  assert.throws(() => writeNpy(new Float32Array(0), [-1]), isNpy(/dimension/));
});

const python = '/usr/bin/python3';
const hasNumpy = existsSync(python) && spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

test('NumPy reads what we write and we read what NumPy writes', { skip: !hasNumpy && 'python3-numpy not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'npy-'));
  try {
    writeFileSync(join(dir, 'ours.npy'), writeNpy(Float32Array.from({ length: 12 }, (_, i) => i / 4), [3, 4]));
    const script = [
      'import numpy as np, sys',
      `d = sys.argv[1]`,
      `a = np.load(d + '/ours.npy')`,
      `assert a.dtype == np.float32 and a.shape == (3, 4) and float(a[2, 3]) == 11 / 4, (a.dtype, a.shape)`,
      `np.save(d + '/theirs_f8.npy', np.arange(6, dtype='>f8').reshape(2, 3) * 0.5)`,
      `np.save(d + '/theirs_i8.npy', np.array([[1, -2], [3, 4]], dtype=np.int64))`,
      `np.save(d + '/theirs_u8.npy', np.arange(5, dtype=np.uint8))`,
    ].join('\n');
    const r = spawnSync(python, ['-c', script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const f8 = readNpy(readFileSync(join(dir, 'theirs_f8.npy')));
    assert.deepEqual(f8.shape, [2, 3]);
    assert.deepEqual(Array.from(f8.data as Float64Array), [0, 0.5, 1, 1.5, 2, 2.5]);
    const i8 = readNpy(readFileSync(join(dir, 'theirs_i8.npy')));
    assert.deepEqual(Array.from(i8.data as BigInt64Array), [1n, -2n, 3n, 4n]);
    const u8 = readNpy(readFileSync(join(dir, 'theirs_u8.npy')));
    assert.equal(u8.dtype, 'uint8');
    assert.deepEqual(Array.from(u8.data as Uint8Array), [0, 1, 2, 3, 4]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
