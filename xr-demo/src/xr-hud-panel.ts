/**
 * The HUD inside VR (DOM is not visible in an immersive session): a panel standing behind the table, facing the
 * user, showing the HUD lines and the spectrogram. Redrawn a few times a second (a DynamicTexture upload per frame
 * would cost more than the HUD is worth on a Quest).
 */
import { DynamicTexture } from '@babylonjs/core/Materials/Textures/dynamicTexture.js';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial.js';
import { CreatePlane } from '@babylonjs/core/Meshes/Builders/planeBuilder.js';
import { Color3 } from '@babylonjs/core/Maths/math.color.js';
import type { Scene } from '@babylonjs/core/scene.js';
import type { Mesh } from '@babylonjs/core/Meshes/mesh.js';

export class XrHudPanel {
  readonly mesh: Mesh;
  private readonly texture: DynamicTexture;
  private lastDrawMs = 0;

  constructor(scene: Scene, private readonly spectrogram: HTMLCanvasElement) {
    this.mesh = CreatePlane('hud-panel', { width: 0.8, height: 0.4, sideOrientation: 2 }, scene);
    this.mesh.position.set(0, 1.22, -1.05);
    this.mesh.isPickable = false;
    this.texture = new DynamicTexture('hud-texture', { width: 1024, height: 512 }, scene, true);
    const mat = new StandardMaterial('hud-mat', scene);
    mat.diffuseTexture = this.texture;
    mat.emissiveColor = Color3.White();
    mat.disableLighting = true;
    mat.backFaceCulling = false;
    this.mesh.material = mat;
  }

  draw(lines: string[], periodMs = 200): void {
    const now = performance.now();
    if (now - this.lastDrawMs < periodMs) return;
    this.lastDrawMs = now;
    const c = this.texture.getContext() as CanvasRenderingContext2D;
    c.fillStyle = 'rgba(12,14,20,1)';
    c.fillRect(0, 0, 1024, 512);
    c.fillStyle = '#e8e8e8';
    c.font = '26px monospace';
    lines.forEach((l, i) => c.fillText(l.slice(0, 70), 20, 40 + i * 32));
    c.drawImage(this.spectrogram, 20, 300, 984, 196);
    this.texture.update();
  }

  setVisible(v: boolean): void { this.mesh.setEnabled(v); }
}
