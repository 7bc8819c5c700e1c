// The .jslib linked by the real Emscripten (Debian's emcc 3.1.6; Unity 2022.3 ships 3.1.8) into a small C program
// that calls the plugin the way Unity's IL2CPP output does (extern "C" functions, a static float[126], string
// literals), with the fake runtime as --pre-js: the format (mergeInto, $-dependencies, __deps), UTF8ToString and
// HEAPF32 as Emscripten really provides them. Skipped, saying why, when emcc is not installed (CI installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildFakeJspre, buildRuntimeJspre, JSLIB_PATH } from './unity-bundles.js';
import type { FakeRecord } from './fake-runtime-entry.js';

const noEmcc = !!spawnSync('emcc', ['--version'], { stdio: 'ignore' }).error && 'emcc (Emscripten) is not installed: apt-get install emscripten (CI installs it)';

const PLAYER_C = `
#include <emscripten.h>
extern int HearingHands_Create(const char* optionsJson, const char* gameObjectName);
extern int HearingHands_PushFrame(int handle, const float* keypoints, int count, int validMask);
extern int HearingHands_GetStats(int handle, float* stats, int capacity);
extern int HearingHands_Dispose(int handle);
static float frame[126];
static float stats[16];
EMSCRIPTEN_KEEPALIVE int create(void) { return HearingHands_Create("{\\"material\\":\\"metal\\",\\"surfaceHeightM\\":0.75}", "HandSounds"); }
EMSCRIPTEN_KEEPALIVE int push(int handle, float base, int mask) {
  for (int i = 0; i < 126; i++) frame[i] = base + i * 0.5f;
  return HearingHands_PushFrame(handle, frame, 126, mask);
}
EMSCRIPTEN_KEEPALIVE float delivered(int handle) { return HearingHands_GetStats(handle, stats, 16) > 10 ? stats[10] : -1; }
EMSCRIPTEN_KEEPALIVE int dispose(int handle) { return HearingHands_Dispose(handle); }
`;

interface Player {
  _create(): number;
  _push(handle: number, base: number, mask: number): number;
  _delivered(handle: number): number;
  _dispose(handle: number): number;
  sent?: string[][];
}

function emcc(dir: string, preJs: string[], out: string, environment: string): void {
  const r = spawnSync('emcc', ['-O2', join(dir, 'player.c'), '-o', out, '--js-library', JSLIB_PATH,
    // SINGLE_FILE: the wasm inline, since this emcc would fetch() a file path under Node 18+.
    ...preJs.flatMap((p) => ['--pre-js', p]), '-sMODULARIZE', '-sSINGLE_FILE', `-sENVIRONMENT=${environment}`], {
    encoding: 'utf8',
    // Debian's emcc runs its JS tools with the Node on PATH; their modules (acorn) live in /usr/share/nodejs.
    env: { ...process.env, NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':') },
  });
  assert.equal(r.status, 0, `emcc:\n${r.stdout}${r.stderr}`);
}

function playerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hh-emcc-'));
  writeFileSync(join(dir, 'player.c'), PLAYER_C);
  // Unity's player defines SendMessage in the same scope; this one records its calls on the Module.
  writeFileSync(join(dir, 'send-message.js'), 'var SendMessage = function (o, m, p) { (Module.sent = Module.sent || []).push([o, m, p]); };\n');
  return dir;
}

test('the shipped runtime .jspre survives Emscripten\'s -O2 JS optimizer next to the .jslib (a web player links)', { skip: noEmcc }, () => {
  const dir = playerDir();
  writeFileSync(join(dir, 'runtime.jspre'), buildRuntimeJspre());
  emcc(dir, [join(dir, 'send-message.js'), join(dir, 'runtime.jspre')], join(dir, 'player.js'), 'web');
});

test('the .jslib links with the real emcc; a C "player" calls it: options and the GameObject name as C strings, frames from its heap, SendMessage back', { skip: noEmcc }, async () => {
  const dir = playerDir();
  writeFileSync(join(dir, 'runtime.jspre'), await buildFakeJspre());
  const out = join(dir, 'player.cjs'); // CommonJS: this emcc's ES-module output for Node wants __dirname
  emcc(dir, [join(dir, 'send-message.js'), join(dir, 'runtime.jspre')], out, 'node');

  const factory = createRequire(import.meta.url)(out) as () => Promise<Player>;
  const player = await factory();
  const rec = (globalThis as unknown as { fakeHearingHands: FakeRecord }).fakeHearingHands;
  const handle = player._create();
  assert.ok(handle > 0);
  for (let i = 0; i < 50 && !player.sent?.length; i++) await new Promise((res) => setTimeout(res, 10));
  assert.deepEqual(player.sent, [['HandSounds', 'OnHearingHandsReady', JSON.stringify({ handle, generator: 'procedural', backend: 'procedural' })]]);
  assert.deepEqual(rec.options.at(-1), { material: 'metal', surfaceHeightM: 0.75 });
  assert.equal(player._push(handle, 1, 2), 1);
  const f = rec.frames.at(-1)!;
  assert.deepEqual(f.valid, [0, 1]);
  assert.deepEqual(f.keypoints.slice(63), Array.from({ length: 63 }, (_, i) => 1 + (63 + i) * 0.5));
  assert.equal(player._delivered(handle), 1);
  assert.equal(player._dispose(handle), 1);
  assert.equal(player._push(handle, 1, 2), -1);
});
