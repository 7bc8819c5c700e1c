/**
 * The browser rig end to end: IWER's emulated Quest 3 right hand follows a scripted path (down onto a
 * table height and back); Babylon's WebXRHandTracking + our BabylonHandSource push every XR frame into
 * a real HandRing; a real Worker pulls and resamples to 30 Hz. The wrist path it receives must match the
 * scripted one within 1 cm, and a hand that vanishes mid-stroke must come through as zeros, not a sweep.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromiumAvailable } from '../rig/chromium.js';
import { openHandRig } from '../rig/hand/hand-rig.js';
import { scriptedHandPositionM, TABLE_DROP_M } from '../rig/hand/scripted-path.js';

const VANISH: [number, number] = [1.1, 1.35]; // path seconds: the hand is lost while it rests on the table

test('browser rig: scripted IWER hand → Babylon → HandRing → Worker at 30 Hz, wrist within 1 cm', { skip: !chromiumAvailable() && 'chromium not installed (.ci/run installs it)', timeout: 120_000 }, async () => {
  const rig = await openHandRig();
  try {
    const r = await rig.run({ useRightHandedSystem: false, ringCapacityFrames: 64, tailSec: 0.3, vanishSec: VANISH });
    const c = r.consumer;
    const diag = `\n${JSON.stringify({ frameRateHz: r.frameRateHz, pushed: r.pushed, pulled: c.framesPulled, stats: r.sourceStats })}\n${rig.browser.log.slice(-20).join('\n')}`;
    assert.equal(r.crossOriginIsolated, true);
    assert.deepEqual(rig.browser.externalRequests, [], 'the rig loads nothing from outside 127.0.0.1');
    assert.ok(r.pushed > 20, `XR frames were produced${diag}`);
    assert.equal(c.framesPulled, r.pushed, `the consumer pulled every pushed frame${diag}`);
    assert.equal(c.droppedFrames, 0);
    assert.equal(r.sourceStats.listenerErrors, 0);

    // 30 Hz grid.
    const n = c.tickTimesSec.length;
    for (let k = 1; k < n; k++) assert.ok(Math.abs(c.tickTimesSec[k]! - c.tickTimesSec[k - 1]! - 1 / 30) < 1e-9);

    // The wrist sits at a fixed offset from IWER's hand origin (fixed orientation): calibrate it while the
    // hand rests (path time 0.2–0.45 s; the first frames still show IWER's initial pose).
    const pathT = (k: number) => c.tickTimesSec[k]! - r.pathStartSec;
    const wrist = (k: number) => [c.rightWristM[3 * k]!, c.rightWristM[3 * k + 1]!, c.rightWristM[3 * k + 2]!];
    const rightValid = (k: number) => c.valid[2 * k + 1] === 1;
    const rest = [...Array(n).keys()].filter((k) => pathT(k) >= 0.2 && pathT(k) < 0.45 && rightValid(k));
    assert.ok(rest.length >= 3, `enough resting ticks to calibrate (${rest.length})${diag}`);
    const offset = [0, 1, 2].map((i) => rest.reduce((s, k) => s + wrist(k)[i]! - scriptedHandPositionM(pathT(k))[i]!, 0) / rest.length);
    assert.ok(Math.hypot(...offset) < 0.2, `wrist within 20 cm of the hand origin (${offset})`);

    // SwiftShader on a shared 2-core machine renders irregularly (~20–40 XR frames/s, stalls of several
    // hundred ms). Where the input frames around a tick are ≤ maxGapSec (0.1 s) apart and both tracked,
    // the resampled wrist must be within 1 cm of the script; across longer stalls the resampler's rule
    // gives zeros (checked too), which says nothing about accuracy.
    const ft = c.frameTimesSec, fv = c.frameRightValid;
    const bracket = (t: number) => {
      let i = 0;
      while (i + 1 < ft.length && ft[i + 1]! <= t) i++;
      const j = ft[i] === t ? i : i + 1;
      return { gapSec: j < ft.length ? ft[j]! - ft[i]! : Infinity, bothTracked: fv[i] === 1 && fv[j] === 1, bothLost: fv[i] === 0 && fv[j] === 0 };
    };
    let maxErr = 0, minY = Infinity;
    const checkedAt: number[] = [];
    const vanished: number[] = [];
    for (let k = 0; k < n; k++) {
      const t = pathT(k);
      if (t < 0.2) continue;
      const br = bracket(c.tickTimesSec[k]!);
      if (br.bothLost) vanished.push(k);
      if (rightValid(k)) minY = Math.min(minY, wrist(k)[1]! - offset[1]!);
      if (!rightValid(k)) {
        // The resampler's rule: untracked only when an input frame around the tick lacks the hand, or across a stall.
        assert.ok(!br.bothTracked || br.gapSec > 0.1, `right hand untracked although tracked on both sides (t=${t.toFixed(3)})${diag}`);
        assert.ok(t >= VANISH[0] - 0.1 || br.gapSec > 0.1, `hand lost before it was disconnected (t=${t.toFixed(3)})${diag}`);
        assert.deepEqual(wrist(k), [0, 0, 0], 'an untracked hand is zeros');
        continue;
      }
      if (br.gapSec > 0.1 || !br.bothTracked) continue;
      const p = scriptedHandPositionM(t);
      const w = wrist(k);
      const err = Math.hypot(w[0]! - offset[0]! - p[0], w[1]! - offset[1]! - p[1], w[2]! - offset[2]! - p[2]);
      assert.ok(err < 0.01, `wrist error ${(err * 1000).toFixed(2)} mm ≥ 1 cm at path t=${t.toFixed(3)} s${diag}`);
      maxErr = Math.max(maxErr, err);
      checkedAt.push(t);
    }
    const moving = (a: number, b: number) => checkedAt.filter((t) => t >= a && t < b).length;
    assert.ok(checkedAt.length >= 20 && moving(0.55, 0.95) >= 2 && moving(1.35, 1.75) >= 2,
      `too few comparable ticks (${checkedAt.length}; descending ${moving(0.55, 0.95)}, rising ${moving(1.35, 1.75)})${diag}`);
    assert.ok(Math.abs(minY - (scriptedHandPositionM(0)[1] - TABLE_DROP_M)) < 0.01, `the hand reached table height (lowest ${minY.toFixed(3)} m)`);
    // Ticks between two frames without the hand are zeros; the disconnect must have produced some.
    assert.ok(vanished.length > 0 && vanished.every((k) => !rightValid(k)), `the disconnected hand came through as untracked${diag}`);
    assert.ok(vanished.every((k) => pathT(k) >= VANISH[0] && pathT(k) < VANISH[1] + 0.2), 'hand lost only around the disconnect');

    // Handedness: Babylon's default (left-handed) scene negates Z; our frames stay right-handed.
    assert.ok(r.babylonWristCheck.length > 3);
    for (const [x, y, z, bx, by, bz] of r.babylonWristCheck) {
      assert.ok(Math.abs(x! - bx!) < 1e-5 && Math.abs(y! - by!) < 1e-5 && Math.abs(z! + bz!) < 1e-5, `ours ${[x, y, z]} vs Babylon ${[bx, by, bz]}`);
    }
    console.log(`# rig: ${r.frameRateHz.toFixed(1)} XR frames/s, ${n} ticks, ${checkedAt.length} compared, max wrist error ${(maxErr * 1000).toFixed(2)} mm`);
  } finally {
    await rig.close();
  }
});
