import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dsp } from '../../src/dsp/index.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { loadFlowModel } from '../../src/model/load-node.js';
import { SHIPPED_MODEL_PATHS } from '../../src/model/shipped.js';
import { renderOffline } from '../../src/runtime/offline-render.js';
import { inferSurface, trajectoryModelScene } from '../../src/runtime/trajectory-scene.js';
import { tapTrajectory } from '../helpers/tap-trajectory.js';
import { relativeL2 } from '../helpers/spectrum.js';

const dsp = await Dsp.create();

test('offline render: vocoded by the streaming stage by default, whole-clip Griffin-Lim on request, a bad vocoder name refused', async () => {
  const traj = tapTrajectory({ contactsSec: [0.4, 1.0], durationSec: 1.5, surfaceHeightM: 0.75 });
  const model = await loadFlowModel(SHIPPED_MODEL_PATHS.offline, 'node');
  try {
    const scene = trajectoryModelScene(inferSurface(traj), 'wood', model.manifest.conditioning.visualDim);
    const base = { model, dsp, outputRate: 16000, ...scene, steps: 2, seed: 3 };
    const stream = await renderOffline(traj, base);
    const whole = await renderOffline(traj, { ...base, vocoder: 'whole-clip' });
    // Same mel (same seed) through two vocoders: same length and time base, different samples.
    assert.equal(stream.output.length, whole.output.length);
    assert.ok(stream.output.every(Number.isFinite) && whole.output.every(Number.isFinite));
    assert.ok(stream.output.some((v, i) => v !== whole.output[i]), 'the two vocoders gave identical samples');
    // Both are phase recoveries of that one mel, so their own mels agree (measured 0.21 relative L2).
    const diff = relativeL2(dsp.mel(stream.output, { log: false }), dsp.mel(whole.output, { log: false }));
    assert.ok(diff < 0.35, `mel difference between the two vocoders ${diff.toFixed(3)}`);
    await assert.rejects(renderOffline(traj, { ...base, vocoder: 'neural' as 'stream' }), InvalidArgumentError);
  } finally {
    await model.dispose();
  }
});
