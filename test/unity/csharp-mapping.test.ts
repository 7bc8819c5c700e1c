// The Unity package's C# (unity/Runtime) compiled with Mono's mcs against stand-ins of the Unity types it uses
// (test/unity/csharp/UnityStandIns.cs), for WebGL players and for other platforms; then run under mono: its pure
// logic on known poses, compared with the TypeScript reference (manoFromUnityPositions) and hand-worked values, and
// the component itself through a frame loop with stand-in XR Hands and a recording plugin. Skipped, saying why, only
// when mcs/mono are not installed (CI installs mono-mcs and mono-runtime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manoFromUnityPositions } from '../../src/hand/remap.js';
import { UNITY_TO_MANO } from '../../src/hand/joints.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const has = (cmd: string) => !spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error;
const noMcs = !has('mcs') && 'mcs (Mono C# compiler) is not installed: apt-get install mono-mcs mono-runtime (CI installs them)';
const noMono = noMcs || (!has('mono') && 'mono is not installed: apt-get install mono-runtime (CI installs it)');

const sources = (dir: string) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.cs')).map((f) => join(root, dir, f));
const STAND_INS = join(root, 'test/unity/csharp/UnityStandIns.cs');
const outDir = mkdtempSync(join(tmpdir(), 'hh-csharp-'));

function compile(files: string[], out: string, options: string[] = []): void {
  const r = spawnSync('mcs', ['-nologo', '-warnaserror+', `-out:${out}`, ...options, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mcs ${options.join(' ')}:\n${r.stdout}${r.stderr}`);
}

test('the C# compiles, warning-free, for WebGL players (DllImport path) and for every other platform (no-op path)', { skip: noMcs }, () => {
  const files = [...sources('unity/Runtime'), STAND_INS];
  compile(files, join(outDir, 'webgl.dll'), ['-target:library', '-define:UNITY_WEBGL']);
  compile(files, join(outDir, 'editor.dll'), ['-target:library', '-define:UNITY_WEBGL', '-define:UNITY_EDITOR']);
  compile(files, join(outDir, 'other.dll'), ['-target:library']);
});

let converterBuilt = false;
/** Runs the converter on two hands (26 × xyz each, or null) and listener poses (xyz + quaternion xyzw). */
function convert(left: Float32Array | null, right: Float32Array | null, poses: number[][]): { table: number[]; frame: Float32Array; poses: number[][] } {
  const exe = join(outDir, 'convert.exe');
  if (!converterBuilt) { compile([...sources('unity/Runtime'), STAND_INS, ...sources('test/unity/csharp/convert-poses')], exe, ['-define:UNITY_WEBGL']); converterBuilt = true; }
  const line = (a: ArrayLike<number> | null) => (a ? Array.from(a, (v) => String(v)).join(' ') : '-');
  const input = [line(left), line(right), ...poses.map(line)].join('\n') + '\n';
  const r = spawnSync('mono', [exe], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  return { table: lines[0]!, frame: Float32Array.from(lines[1]!), poses: lines.slice(2) };
}

test('C# 26→21 map and handedness flip give exactly what the TypeScript reference gives', { skip: noMono }, () => {
  // Two different hands with distinct, non-round coordinates at every joint (so any swapped joint or axis shows).
  const hand = (seed: number) => Float32Array.from({ length: 78 }, (_, i) => Math.fround(Math.sin(seed + i * 1.37) * 0.4 + (i % 3 === 1 ? 1.2 : 0)));
  const left = hand(1), right = hand(2);
  const out = convert(left, right, []);
  assert.deepEqual(out.table, Array.from(UNITY_TO_MANO), 'keypoint → joint table');
  const expected = new Float32Array(126);
  manoFromUnityPositions(left, expected, 0, true);
  manoFromUnityPositions(right, expected, 63, true);
  assert.deepEqual(Array.from(out.frame), Array.from(expected));
  // And an untracked hand stays zeros.
  const oneHand = convert(null, right, []);
  assert.deepEqual(Array.from(oneHand.frame.subarray(0, 63)), new Array(63).fill(0));
});

test('known poses: a finger pointing forward in Unity (+z) points to −z in the module; heights and sides unchanged; listener forward/up', { skip: noMono }, () => {
  // Right hand 40 cm in front of the user at table height, index finger pointing straight ahead.
  const right = new Float32Array(78);
  const set = (joint: number, x: number, y: number, z: number) => right.set([x, y, z], joint * 3);
  for (let j = 0; j < 26; j++) set(j, 0.2, 0.8, 0.4); // every joint at the wrist…
  set(7, 0.2, 0.8, 0.49); set(8, 0.2, 0.8, 0.53); set(9, 0.2, 0.8, 0.555); set(10, 0.2, 0.8, 0.575); // …but the index
  const deg = Math.PI / 180;
  const yaw = (a: number) => [0, Math.sin((a * deg) / 2), 0, Math.cos((a * deg) / 2)];
  const pitch = (a: number) => [Math.sin((a * deg) / 2), 0, 0, Math.cos((a * deg) / 2)];
  const out = convert(null, right, [[0, 1.6, 0, 0, 0, 0, 1], [0.5, 1.7, -2, ...yaw(90)], [0, 1.6, 0, ...pitch(-30)]]);
  const kp = (k: number) => Array.from(out.frame.subarray(63 + k * 3, 63 + k * 3 + 3));
  assert.deepEqual(kp(0), [0.2, 0.8, -0.4].map(Math.fround), 'wrist: x (right) and y (up) kept, z negated');
  assert.deepEqual(kp(8), [0.2, 0.8, -0.575].map(Math.fround), 'index tip');
  assert.ok(kp(8)[2]! < kp(5)[2]! && kp(5)[2]! < kp(0)[2]!, 'the finger points away from the user: towards −z');
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-6);
  const [level, right90, up30] = out.poses;
  assert.ok(close(level!, [0, 1.6, 0, 0, 0, -1, 0, 1, 0]), `looking ahead: forward −z, up +y (${level})`);
  assert.ok(close(right90!, [0.5, 1.7, 2, 1, 0, 0, 0, 1, 0]), `turned right (Unity yaw +90°): forward +x, the right stays right (${right90})`);
  const s = Math.sin(30 * deg), c = Math.cos(30 * deg);
  assert.ok(close(up30!, [0, 1.6, 0, 0, s, -c, 0, c, s]), `looking 30° up (Unity pitch −30°) (${up30})`);
});

test('the component in a frame loop: finds the running hand subsystem once, pushes once per rendered frame, through the tracking origin, only fully tracked hands, with the listener pose; disposes on disable', { skip: noMono }, () => {
  const exe = join(outDir, 'drive.exe');
  // The real component and everything else in the package; the recording double replaces only the plugin imports.
  compile([...sources('unity/Runtime').filter((f) => !f.endsWith('HearingHandsNative.cs')), STAND_INS, ...sources('test/unity/csharp/drive-component')], exe);
  const right = Float32Array.from({ length: 78 }, (_, i) => Math.fround(Math.cos(i * 0.7) * 0.1 + (i % 3 === 1 ? 0.3 : 0)));
  const r = spawnSync('mono', [exe], { input: Array.from(right).join(' ') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const calls = lines.map((l) => l.split(' ')[0]);
  assert.deepEqual(calls, ['create', 'subscribers', 'subscribers', 'push', 'pose', 'push', 'pose', 'push', 'pose', 'push', 'pose', 'stat', 'dispose', 'subscribers']);
  assert.equal(lines[0], 'create HandSounds {}', 'options JSON (the stand-in JsonUtility writes {}) and the GameObject name');
  assert.deepEqual(lines.filter((l) => l.startsWith('subscribers')), ['subscribers 0', 'subscribers 1', 'subscribers 0']);
  const pushes = lines.filter((l) => l.startsWith('push')).map((l) => l.split(' ').slice(1).map(Number));
  // Dynamic before any BeforeRender, then BeforeRender only (the Dynamic after it is silent): 4 pushes, not 5.
  assert.deepEqual(pushes.map((p) => p.slice(0, 3)), [[7, 126, 2], [7, 126, 2], [7, 126, 2], [7, 126, 3]]);
  // XR Origin at (0.5, 1, −2) turned 180° about y: world = (0.5 − x, 1 + y, −2 − z); then the module's z flip.
  const world = Float32Array.from(right, (v, i) => (i % 3 === 0 ? 0.5 - v : i % 3 === 1 ? 1 + v : -2 - v));
  const expected = new Float32Array(126);
  manoFromUnityPositions(world, expected, 63, true);
  manoFromUnityPositions(world, expected, 0, true);
  const close = (a: number[], b: ArrayLike<number>) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-5);
  for (const p of pushes) assert.ok(close(p.slice(3 + 63), Array.from(expected.subarray(63))), `right hand ${p.slice(66, 72)} vs ${expected.subarray(63, 69)}`);
  assert.ok(close(pushes[3]!.slice(3, 66), Array.from(expected.subarray(0, 63))), 'left hand once fully tracked');
  const poses = lines.filter((l) => l.startsWith('pose')).map((l) => l.split(' ').slice(3).map(Number));
  assert.equal(poses.length, 4);
  for (const p of poses) assert.ok(close(p, [0, 1.6, 0, 0, 0, -1, 0, 1, 0]), `listener ${p}`);
  assert.ok(lines.includes('stat 10'), 'GetStat reads its index from the stats block');
  assert.ok(lines.includes('dispose 7'));
  assert.ok(!lines.slice(lines.indexOf('dispose 7')).some((l) => l.startsWith('push')), 'nothing pushed after dispose');
});
