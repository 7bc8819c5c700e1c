// The Unity WebGL plugin (unity/Plugins/WebGL/HearingHands.jslib) loaded in Node through an Emscripten-like harness:
// with the real runtime bundle (which must refuse to start here, and say so through SendMessage) and with a fake
// runtime that records what the plugin hands it (frames read in place from HEAPF32, errors, stats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadJslib, type EmscriptenHarness } from './emscripten-harness.js';
import { buildFakeJspre, buildRuntimeJspre, readJslib } from './unity-bundles.js';
import type { FakeRecord } from './fake-runtime-entry.js';
import { UNITY_STATS_FIELDS } from '../../src/unity/unity-abi.js';

const EXPORTS = [
  '_HearingHands_Create', '_HearingHands_Dispose', '_HearingHands_GetStats', '_HearingHands_PushFrame',
  '_HearingHands_SetListenerPose', '_HearingHands_SetMaterial',
];
const GO = 'HandSounds';
const payloads = (h: EmscriptenHarness, method: string) => h.sent.filter((m) => m.method === method).map((m) => JSON.parse(m.payload) as Record<string, unknown>);
const settle = () => new Promise((r) => setTimeout(r, 0));

function create(h: EmscriptenHarness, options: object | string): number {
  const json = typeof options === 'string' ? options : JSON.stringify(options);
  return h.exports._HearingHands_Create!(h.allocString(json), h.allocString(GO));
}

test('the .jslib links as Emscripten would: its six functions, $-dependencies resolved from __deps', () => {
  const h = loadJslib({ jslib: readJslib(), jspre: buildRuntimeJspre() });
  assert.deepEqual(Object.keys(h.exports).sort(), EXPORTS);
});

test('real runtime bundle in Node (not cross-origin isolated): create answers a handle, then BACKEND_UNAVAILABLE through SendMessage; the failed handle still answers', async () => {
  const h = loadJslib({ jslib: readJslib(), jspre: buildRuntimeJspre() });
  const handle = create(h, { material: 'wood', surfaceHeightM: 0, marginSec: 0.015, modelUrl: '', workerUrl: '', workletUrl: '' });
  assert.ok(handle > 0);
  const m = await h.waitForMessage((x) => x.method === 'OnHearingHandsError');
  assert.equal(m.gameObject, GO);
  const p = JSON.parse(m.payload);
  assert.equal(p.handle, handle);
  assert.equal(p.code, 'BACKEND_UNAVAILABLE');
  assert.match(p.message, /cross-origin isolated/);
  const frame = h.allocFloats(126);
  assert.equal(h.exports._HearingHands_PushFrame!(handle, frame, 126, 3), 0, 'a failed instance drops frames');
  const stats = h.allocFloats(UNITY_STATS_FIELDS.length);
  assert.equal(h.exports._HearingHands_GetStats!(handle, stats, UNITY_STATS_FIELDS.length), UNITY_STATS_FIELDS.length);
  assert.equal(h.readFloats(stats, 1)[0], 2, 'state: failed');
  assert.equal(h.exports._HearingHands_Dispose!(handle), 1);
  assert.equal(h.exports._HearingHands_Dispose!(handle), -1);
});

test('options that cannot be read: 0, and INVALID_ARGUMENT to the GameObject (handle 0)', async () => {
  const h = loadJslib({ jslib: readJslib(), jspre: buildRuntimeJspre() });
  assert.equal(create(h, '{not json'), 0);
  assert.equal(create(h, { marginSec: -1 }), 0);
  assert.equal(create(h, { material: 3 }), 0);
  await settle();
  const errors = payloads(h, 'OnHearingHandsError');
  assert.equal(errors.length, 3);
  for (const e of errors) { assert.equal(e.handle, 0); assert.equal(e.code, 'INVALID_ARGUMENT'); }
  assert.match(String(errors[1]!.message), /marginSec/);
});

async function withFake(): Promise<{ h: EmscriptenHarness; rec: FakeRecord; call: <T>(f: () => T) => T }> {
  const h = loadJslib({ jslib: readJslib(), jspre: await buildFakeJspre() });
  const rec = (globalThis as unknown as { fakeHearingHands: FakeRecord }).fakeHearingHands;
  // Every plugin call runs with inCall set: a SendMessage made during one would re-enter the player.
  const call = <T>(f: () => T): T => { rec.inCall = true; try { return f(); } finally { rec.inCall = false; } };
  return { h, rec, call };
}

test('frames are read in place from HEAPF32: exact floats, validity from the mask, page-clock stamps; still right after the heap grows', async () => {
  const { h, rec, call } = await withFake();
  const handle = call(() => create(h, { material: 'metal', surfaceHeightM: 0.75, marginSec: 0, modelUrl: '' }));
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, h.allocFloats(126), 126, 3)), 0, 'dropped while starting');
  const ready = await h.waitForMessage((m) => m.method === 'OnHearingHandsReady');
  assert.deepEqual(JSON.parse(ready.payload), { handle, generator: 'procedural', backend: 'procedural' });
  assert.deepEqual(rec.options.at(-1), { material: 'metal', surfaceHeightM: 0.75 }, 'marginSec 0 and empty strings mean "not set"');

  const ptr = h.allocFloats(126);
  const values = Float32Array.from({ length: 126 }, (_, i) => (i - 63) * 0.01 + 1e-7 * i);
  h.writeFloats(ptr, values);
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 126, 2)), 1);
  const f = rec.frames.at(-1)!;
  assert.deepEqual(f.valid, [0, 1]);
  assert.deepEqual(f.keypoints.slice(63), Array.from(values.slice(63)), 'right hand bit-exact');
  assert.deepEqual(f.keypoints.slice(0, 63), new Array(63).fill(0), 'an untracked hand arrives as zeros');

  h.grow(4); // the old HEAPF32 is detached; the plugin must read through the current one
  h.writeFloats(ptr, values.map((v) => -v));
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 126, 3)), 1);
  const g = rec.frames.at(-1)!;
  assert.deepEqual(g.valid, [1, 1]);
  assert.deepEqual(g.keypoints, Array.from(values.map((v) => -v)));
  assert.ok(g.timeSec > f.timeSec);
  assert.equal(rec.reentrantSends, 0);
});

test('a hand with NaN joints is dropped (the other plays), counted in the stats, and reported once', async () => {
  const { h, rec, call } = await withFake();
  const handle = call(() => create(h, {}));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady');
  const ptr = h.allocFloats(126);
  const values = new Float32Array(126).fill(0.25);
  values[5] = NaN; // left hand
  h.writeFloats(ptr, values);
  for (let i = 0; i < 3; i++) assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 126, 3)), 1);
  const f = rec.frames.at(-1)!;
  assert.deepEqual(f.valid, [0, 1]);
  assert.ok(f.keypoints.slice(0, 63).every((v) => v === 0));
  assert.ok(f.keypoints.slice(63).every((v) => Math.abs(v - 0.25) < 1e-7));
  await settle();
  const errors = payloads(h, 'OnHearingHandsError');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0]!.code, 'INVALID_ARGUMENT');
  assert.match(String(errors[0]!.message), /NaN/);
  const stats = h.allocFloats(UNITY_STATS_FIELDS.length);
  assert.equal(call(() => h.exports._HearingHands_GetStats!(handle, stats, 64)), UNITY_STATS_FIELDS.length);
  const s = Object.fromEntries(UNITY_STATS_FIELDS.map((k, i) => [k, h.readFloats(stats, UNITY_STATS_FIELDS.length)[i]]));
  assert.equal(s.nonFiniteHands, 3);
  assert.equal(s.framesDelivered, 3);
  assert.equal(s.state, 1);
  assert.equal(s.generator, 1);
  assert.equal(s.steps, 7);
  assert.ok(Math.abs(s.outputLatencySec! - 0.03) < 1e-6);
  assert.equal(rec.reentrantSends, 0);
});

test('bad calls answer with codes and never throw: unknown handle, wrong float counts, NaN pose, material after start', async () => {
  const { h, rec, call } = await withFake();
  const handle = call(() => create(h, {}));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady');
  const ptr = h.allocFloats(126);
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(999, ptr, 126, 3)), -1);
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 78, 3)), -2);
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 78, 3)), -2);
  assert.equal(call(() => h.exports._HearingHands_SetListenerPose!(handle, ptr, 7)), -2);
  h.writeFloats(ptr, [0, 1.6, 0, 0, 0, -1, 0, 1, 0]);
  assert.equal(call(() => h.exports._HearingHands_SetListenerPose!(handle, ptr, 9)), 1);
  assert.deepEqual(rec.listener, { positionX: 0, positionY: Math.fround(1.6), positionZ: 0, forwardX: 0, forwardY: 0, forwardZ: -1, upX: 0, upY: 1, upZ: 0 });
  h.writeFloats(ptr, [NaN]);
  assert.equal(call(() => h.exports._HearingHands_SetListenerPose!(handle, ptr, 9)), 0);
  assert.equal(rec.listener.positionX, 0, 'a NaN pose is ignored');
  assert.equal(call(() => h.exports._HearingHands_SetMaterial!(handle, h.allocString('glass'))), -3);
  await settle();
  const codes = payloads(h, 'OnHearingHandsError').map((e) => `${e.code}: ${String(e.message).slice(0, 30)}`);
  assert.equal(codes.length, 4, codes.join('\n')); // frame length, pose length, pose NaN, material: each once
  assert.equal(call(() => h.exports._HearingHands_Dispose!(handle)), 1);
  assert.equal(rec.disposed, 1);
  assert.equal(call(() => h.exports._HearingHands_PushFrame!(handle, ptr, 126, 3)), -1);
  assert.equal(rec.reentrantSends, 0);
});

test('runtime events reach the GameObject: errors, readiness, backend changes, anything else (contacts) as OnHearingHandsEvent; a failed start reports its own code', async () => {
  const { h, rec, call } = await withFake();
  const handle = call(() => create(h, {}));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady');
  // Events as the runtime sends them (cast: the fake stands for whichever version of the event union is current).
  rec.emit({ type: 'error', code: 'WORKER', message: 'boom' } as never);
  rec.emit({ type: 'ready', backend: 'wasm', generator: 'model' } as never);
  rec.emit({ type: 'backend', backend: 'wasm', previous: 'webgpu', reason: 'device lost' } as never);
  rec.emit({ type: 'contact', hand: 'right', timeSec: 1.5, speedMps: 0.6, material: 'wood' } as never);
  const failing = call(() => create(h, { material: 'unobtainium' }));
  const failed = await h.waitForMessage((m) => m.method === 'OnHearingHandsError' && JSON.parse(m.payload).handle === failing);
  assert.equal(JSON.parse(failed.payload).code, 'UNKNOWN_MATERIAL');
  assert.deepEqual(payloads(h, 'OnHearingHandsError')[0], { handle, code: 'WORKER', message: 'boom' });
  assert.deepEqual(payloads(h, 'OnHearingHandsReady').at(-1), { handle, generator: 'model', backend: 'wasm' });
  assert.deepEqual(payloads(h, 'OnHearingHandsBackend'), [{ handle, backend: 'wasm', previous: 'webgpu', reason: 'device lost' }]);
  assert.deepEqual(payloads(h, 'OnHearingHandsEvent'), [{ handle, type: 'contact', hand: 'right', timeSec: 1.5, speedMps: 0.6, material: 'wood' }]);
  // The failed start was reported once (its fatal error event is not repeated).
  assert.equal(payloads(h, 'OnHearingHandsError').filter((e) => e.handle === failing).length, 1);
  // Start-up events are heard too: a model that fell back says why before it is ready.
  const fallback = call(() => create(h, { material: 'paper' }));
  await h.waitForMessage((m) => m.method === 'OnHearingHandsReady' && JSON.parse(m.payload).handle === fallback);
  assert.deepEqual(payloads(h, 'OnHearingHandsError').filter((e) => e.handle === fallback), [{ handle: fallback, code: 'MODEL_LOAD', message: 'no model here: procedural fallback' }]);
  // Disposed while starting: the runtime that arrives later is disposed at once, and nothing is reported.
  const before = h.sent.length;
  const quick = call(() => create(h, {}));
  call(() => h.exports._HearingHands_Dispose!(quick));
  await settle(); await settle();
  assert.equal(h.sent.length, before);
  assert.equal(rec.disposed, 1);
  assert.equal(rec.reentrantSends, 0);
});
