// The WebGPU → wasm switch-over as a runner: a failing or lost primary hands the same run to the standby, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailoverRunner, type FailoverEvent } from '../../src/model/failover-runner.js';
import type { FloatTensor, OnnxRunner, RunnerBackend } from '../../src/model/runner.js';

function fakeRunner(backend: RunnerBackend, behaviour: (n: number) => 'ok' | 'throw' | 'hang'): OnnxRunner & { runs: number; released: number } {
  const r = {
    backend, inputNames: ['x'], outputNames: ['y'], runs: 0, released: 0,
    run(feeds: Record<string, FloatTensor>) {
      const b = behaviour(r.runs++);
      if (b === 'throw') return Promise.reject(new Error('device lost'));
      if (b === 'hang') return new Promise<Record<string, FloatTensor>>(() => undefined);
      return Promise.resolve({ y: { data: Float32Array.from(feeds['x']!.data, (v) => v + (backend === 'wasm' ? 100 : 1)), dims: feeds['x']!.dims } });
    },
    async release() { r.released++; },
  };
  return r;
}

const feeds = { x: { data: Float32Array.of(1, 2), dims: [2] } };

test('a primary run that rejects is redone on the standby with the same feeds, and the switch is reported once', async () => {
  const primary = fakeRunner('webgpu', (n) => (n < 2 ? 'ok' : 'throw'));
  const standby = fakeRunner('wasm', () => 'ok');
  const events: FailoverEvent[] = [];
  const f = new FailoverRunner(primary, standby, (e) => events.push(e));
  assert.deepEqual(Array.from((await f.run(feeds))['y']!.data), [2, 3]);
  await f.run(feeds);
  assert.equal(f.backend, 'webgpu');
  assert.deepEqual(Array.from((await f.run(feeds))['y']!.data), [101, 102]);
  assert.equal(f.backend, 'wasm');
  await f.run(feeds);
  assert.equal(primary.runs, 3);
  assert.equal(standby.runs, 2);
  assert.equal(events.length, 1);
  assert.deepEqual({ from: events[0]!.from, to: events[0]!.to }, { from: 'webgpu', to: 'wasm' });
  assert.match(events[0]!.reason, /device lost/);
});

test('a reported loss rejects a run that would never settle and switches', async () => {
  const primary = fakeRunner('webgpu', (n) => (n === 0 ? 'ok' : 'hang'));
  const standby = fakeRunner('wasm', () => 'ok');
  const events: FailoverEvent[] = [];
  const f = new FailoverRunner(primary, standby, (e) => events.push(e));
  await f.run(feeds);
  const pending = f.run(feeds);
  setTimeout(() => f.primaryLost('GPUDevice lost: destroyed'), 10);
  assert.deepEqual(Array.from((await pending)['y']!.data), [101, 102]);
  assert.equal(events.length, 1);
  assert.match(events[0]!.reason, /destroyed/);
});

test('the test hook fails the next primary run; release frees both sessions', async () => {
  const primary = fakeRunner('wasm', () => 'ok');
  const standby = fakeRunner('wasm', () => 'ok');
  const f = new FailoverRunner(primary, standby, () => undefined);
  f.failPrimaryNextRun();
  await f.run(feeds);
  assert.equal(primary.runs, 0);
  assert.equal(standby.runs, 1);
  await f.release();
  assert.ok(primary.released >= 1 && standby.released === 1);
});
