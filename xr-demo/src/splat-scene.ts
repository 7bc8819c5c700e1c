/**
 * The Babylon scene of the demo: a WebGL2 engine, a right-handed scene (so Babylon's world frame IS the WebXR
 * reference space and our HandFrame frame: no z flips anywhere), a desktop camera looking at the table, the Gaussian
 * splat loaded through @babylonjs/loaders (.splat/.ply/.spz), and optional outlines of the annotated regions.
 */
import { Engine } from '@babylonjs/core/Engines/engine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { UniversalCamera } from '@babylonjs/core/Cameras/universalCamera.js';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight.js';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { CreateBox } from '@babylonjs/core/Meshes/Builders/boxBuilder.js';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial.js';
import { ImportMeshAsync } from '@babylonjs/core/Loading/sceneLoader.js';
import type { AbstractMesh } from '@babylonjs/core/Meshes/abstractMesh.js';
import '@babylonjs/loaders/SPLAT/splatFileLoader.js';
import { getMaterial } from '../../src/sim/materials.js';
import type { Annotation } from './annotation.js';

export interface DemoScene {
  engine: Engine;
  scene: Scene;
  camera: UniversalCamera;
  splat: AbstractMesh | null;
  regionOutlines: AbstractMesh[];
}

export interface DemoSceneOptions {
  /** Same-origin URL of the splat (.splat/.ply/.spz); empty: no splat (the annotation boxes only). */
  splatUrl: string;
  annotation: Annotation;
  showRegions: boolean;
}

export async function createDemoScene(canvas: HTMLCanvasElement, opts: DemoSceneOptions): Promise<DemoScene> {
  const engine = new Engine(canvas, true, { preserveDrawingBuffer: true, stencil: false, xrCompatible: true });
  const scene = new Scene(engine);
  scene.useRightHandedSystem = true;
  scene.clearColor = new Color4(0.09, 0.1, 0.12, 1);
  // Standing at the origin, eyes at 1.5 m, looking down at the table (−z).
  const camera = new UniversalCamera('desktop-camera', new Vector3(0.1, 1.45, 0.35), scene);
  camera.setTarget(new Vector3(0.05, 0.72, -0.62));
  camera.minZ = 0.02;
  camera.attachControl(canvas, true);
  camera.speed = 0.05;
  new HemisphericLight('light', new Vector3(0.3, 1, 0.4), scene);

  let splat: AbstractMesh | null = null;
  if (opts.splatUrl) {
    const ext = opts.splatUrl.slice(opts.splatUrl.lastIndexOf('.'));
    const loaded = await ImportMeshAsync(opts.splatUrl, scene, { pluginExtension: ext });
    splat = loaded.meshes[0] ?? null;
  }

  const regionOutlines = opts.annotation.regions.map((r) => {
    const size = [0, 1, 2].map((k) => r.max[k]! - r.min[k]!);
    const box = CreateBox(`region-${r.name}`, { width: size[0]!, height: size[1]!, depth: size[2]! }, scene);
    box.position.set((r.min[0] + r.max[0]) / 2, (r.min[1] + r.max[1]) / 2, (r.min[2] + r.max[2]) / 2);
    const mat = new StandardMaterial(`region-${r.name}-mat`, scene);
    const [cr, cg, cb] = getMaterial(r.material).visual.base;
    mat.emissiveColor = new Color3(cr / 255, cg / 255, cb / 255);
    mat.disableLighting = true;
    mat.wireframe = true;
    mat.alpha = 0.5;
    box.material = mat;
    box.isPickable = false;
    box.renderingGroupId = 1; // drawn over the splats, which would hide a box around what they cover
    box.setEnabled(opts.showRegions);
    return box;
  });
  return { engine, scene, camera, splat, regionOutlines };
}
