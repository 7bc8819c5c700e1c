/**
 * Shows the 21 keypoints of each hand as small spheres (left blue, right orange), from the same HandFrames the sound
 * gets: in VR (Babylon's default hand meshes come from a CDN, so they are off), in the emulator and in replay.
 */
import { CreateSphere } from '@babylonjs/core/Meshes/Builders/sphereBuilder.js';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial.js';
import { Color3 } from '@babylonjs/core/Maths/math.color.js';
import type { Scene } from '@babylonjs/core/scene.js';
import type { InstancedMesh } from '@babylonjs/core/Meshes/instancedMesh.js';
import type { HandFrame, HandIndex } from '../../src/hand/hand-frame.js';
import { KEYPOINT_RADIUS_M } from '../../src/sim/hand-skeleton.js';

export class HandMarkers {
  private readonly spheres: InstancedMesh[][] = [];

  constructor(scene: Scene) {
    const colours = [new Color3(0.3, 0.6, 1), new Color3(1, 0.55, 0.2)];
    for (let h = 0; h < 2; h++) {
      const base = CreateSphere(`hand-${h}`, { diameter: 1, segments: 6 }, scene);
      const mat = new StandardMaterial(`hand-${h}-mat`, scene);
      mat.diffuseColor = colours[h]!;
      mat.emissiveColor = colours[h]!.scale(0.4);
      base.material = mat;
      base.isPickable = false;
      base.isVisible = false;
      this.spheres.push(Array.from({ length: 21 }, (_, k) => {
        const s = base.createInstance(`hand-${h}-${k}`);
        s.scaling.setAll(2 * KEYPOINT_RADIUS_M[k]! * 0.8);
        s.setEnabled(false);
        return s;
      }));
    }
  }

  update(frame: HandFrame): void {
    for (let h = 0; h < 2; h++) {
      const on = frame.valid[h] === 1, kp = frame.hand(h as HandIndex);
      this.spheres[h]!.forEach((s, k) => {
        s.setEnabled(on);
        if (on) s.position.set(kp[k * 3]!, kp[k * 3 + 1]!, kp[k * 3 + 2]!);
      });
    }
  }
}
