/**
 * Writes the bundled example trajectories (examples/*.json, the DESIGN.md trajectory format) with the simulated
 * capture's hand motion: a realistic 21-keypoint hand acting on a horizontal surface (a table top at y = 0.75 m),
 * sampled at 72 Hz like a headset's hand tracking. Run: node --import tsx examples/make-trajectories.ts
 */
import { Trajectory } from '../src/hand/trajectory.js';
import { writeTrajectoryFile } from '../src/hand/trajectory-file.js';
import { HandMotion, instantiateMaterial, makeSurface, planAction, Rng, type ActionName } from '../src/sim/index.js';

const EXAMPLES: { file: string; action: ActionName; material: string; seed: number }[] = [
  { file: 'knock-wood.json', action: 'knock', material: 'wood', seed: 3 },
  { file: 'tap-metal.json', action: 'tap', material: 'metal', seed: 5 },
  { file: 'scratch-fabric.json', action: 'scratch', material: 'fabric', seed: 1 },
];
const RATE_HZ = 72, DURATION_SEC = 4, TABLE_Y = 0.75;

for (const ex of EXAMPLES) {
  const rng = new Rng(ex.seed);
  const surface = makeSurface(0, instantiateMaterial(ex.material), [0, TABLE_Y, -0.4], [0, 1, 0], 0.6, 0.4, 1);
  const plan = planAction(rng, ex.action, surface, DURATION_SEC);
  const motions = plan.hands.map((h) => (h.present ? new HandMotion(h, surface) : null));
  const n = Math.floor(DURATION_SEC * RATE_HZ);
  const times = new Float64Array(n), kp = new Float32Array(n * 126), valid = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    times[i] = i / RATE_HZ;
    motions.forEach((m, h) => {
      if (!m) return;
      m.keypointsAt(times[i]!, kp, i * 126 + h * 63);
      valid[i * 2 + h] = 1;
    });
  }
  const path = new URL(`./${ex.file}`, import.meta.url).pathname;
  writeTrajectoryFile(path, new Trajectory(times, kp, valid, { material: ex.material }));
  console.log(`${ex.file}: ${ex.action} on ${ex.material}, ${n} frames`);
}
