// The numbers and names shared by the C# side (unity/Runtime), the .jslib and the TS bridge (src/unity/unity-abi.ts)
// must agree; read from the sources, so this runs without a C# compiler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BridgeResult, UNITY_CALLBACKS, UNITY_FRAME_FLOATS, UNITY_POSE_FLOATS, UNITY_STATS_FIELDS, VALID_LEFT, VALID_RIGHT,
} from '../../src/unity/unity-abi.js';
import { UNITY_TO_MANO } from '../../src/hand/joints.js';
import { readJslib } from './unity-bundles.js';

const read = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');
const native = ['HearingHandsNative', 'HearingHandsResult', 'HearingHandsStat'].map((f) => read(`unity/Runtime/${f}.cs`)).join('\n');
const constant = (name: string) => {
  const m = new RegExp(`const (?:int|string) ${name} = ("[^"]*"|-?\\d+);`).exec(native);
  assert.ok(m, `C# constant ${name}`);
  return JSON.parse(m[1]!) as number | string;
};

test('frame/pose sizes, validity bits, return codes and callback names are the same in C# and TS', () => {
  assert.equal(constant('FrameFloats'), UNITY_FRAME_FLOATS);
  assert.equal(constant('PoseFloats'), UNITY_POSE_FLOATS);
  assert.equal(constant('ValidLeft'), VALID_LEFT);
  assert.equal(constant('ValidRight'), VALID_RIGHT);
  assert.deepEqual(
    { ok: constant('Ok'), notDelivered: constant('NotDelivered'), unknownHandle: constant('UnknownHandle'), badLength: constant('BadLength'), unsupported: constant('Unsupported') },
    BridgeResult);
  assert.equal(constant('ReadyCallback'), UNITY_CALLBACKS.ready);
  assert.equal(constant('ErrorCallback'), UNITY_CALLBACKS.error);
  assert.equal(constant('EventCallback'), UNITY_CALLBACKS.event);
  assert.equal(constant('BackendCallback'), UNITY_CALLBACKS.backend);
});

test('HearingHandsStat (C#) lists the stats block in the order the bridge writes it', () => {
  const body = /enum HearingHandsStat\s*\{([^}]*)\}/.exec(native)![1]!;
  const entries = [...body.matchAll(/(\w+) = (\d+)/g)].map((m) => [m[1]!, Number(m[2])] as const);
  const fields = entries.filter(([n]) => n !== 'Count');
  assert.deepEqual(fields.map(([n]) => n[0]!.toLowerCase() + n.slice(1)), [...UNITY_STATS_FIELDS]);
  assert.deepEqual(fields.map(([, v]) => v), UNITY_STATS_FIELDS.map((_, i) => i));
  assert.deepEqual(entries.find(([n]) => n === 'Count')?.[1], UNITY_STATS_FIELDS.length);
});

test('every [DllImport] has a .jslib function of the same name and arity, and the other way round', () => {
  const imports = [...native.matchAll(/DllImport\("__Internal"\)\] public static extern int (\w+)\(([^)]*)\)/g)]
    .map((m) => `${m[1]}/${m[2]!.split(',').filter((s) => s.trim()).length}`).sort();
  const library: Record<string, unknown> = {};
  new Function('mergeInto', 'LibraryManager', readJslib())((t: object, s: object) => Object.assign(t, s), { library });
  const functions = Object.entries(library)
    .filter(([k, v]) => typeof v === 'function' && !k.startsWith('$'))
    .map(([k, v]) => `${k}/${(v as (...a: unknown[]) => unknown).length}`).sort();
  assert.ok(imports.length >= 6, imports.join(' '));
  assert.deepEqual(imports, functions);
  // The no-op stubs for other platforms have the same signatures.
  const stubs = [...native.matchAll(/public static int (HearingHands_\w+)\(([^)]*)\) \{ return 0; \}/g)]
    .map((m) => `${m[1]}/${m[2]!.split(',').filter((s) => s.trim()).length}`).sort();
  assert.deepEqual(stubs, imports);
});

test('the C# keypoint → joint table is UNITY_TO_MANO', () => {
  const map = read('unity/Runtime/HandKeypointMap.cs');
  const body = /UnityJointOfKeypoint =\s*\{([^}]*)\}/.exec(map)![1]!.replace(/\/\/.*$/gm, '');
  assert.deepEqual(body.split(',').map((s) => s.trim()).filter(Boolean).map(Number), Array.from(UNITY_TO_MANO));
});

test('the recording plugin double used to drive the component under mono has the real plugin\'s constants and signatures', () => {
  const double = read('test/unity/csharp/drive-component/RecordingNative.cs');
  for (const name of ['FrameFloats', 'PoseFloats', 'ValidLeft', 'ValidRight']) {
    assert.equal(new RegExp(`const int ${name} = (\\d+);`).exec(double)?.[1], String(constant(name)), name);
  }
  const signatures = (src: string, pattern: RegExp) => [...src.matchAll(pattern)].map((m) => `${m[1]}(${m[2]})`).sort();
  assert.deepEqual(
    signatures(double, /public static int (HearingHands_\w+)\(([^)]*)\)/g),
    signatures(native, /public static extern int (HearingHands_\w+)\(([^)]*)\)/g));
});
