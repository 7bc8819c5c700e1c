/**
 * Generates the demo's bundled Gaussian-splat room and its material annotation (no download needed):
 *   xr-demo/scene/room.splat            the splats, in the common 32-byte `.splat` layout that Babylon's loader reads:
 *                                        position f32×3, scale f32×3 (linear, metres), RGBA u8×4, rotation u8×4
 *                                        (w, x, y, z as q·128 + 128); y is stored downwards (the loader flips it)
 *   xr-demo/scene/room.annotation.json  which boxes are which material (xr-demo/src/annotation.ts)
 * A wooden table with a metal pot, a glass, a sheet of paper; a bench with a fabric cushion; a plant in a ceramic
 * pot; a stone floor; a back wall. Surfaces are covered with flat, axis-aligned splats; colours come from each
 * material's look in src/sim/materials.ts, with a little pattern and baked light. Deterministic (seeded).
 *
 *   npx tsx xr-demo/scene/make-scene.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getMaterial } from '../../src/sim/materials.js';
import { Rng } from '../../src/sim/rng.js';
import { ANNOTATION_FORMAT, parseAnnotation, type Annotation, type Region, type Vec3 } from '../src/annotation.js';

const BYTES_PER_SPLAT = 32;
const rng = new Rng(20261126);
const splats: number[][] = []; // [x, y, z, sx, sy, sz, r, g, b, a]

type Rgb = [number, number, number];
const LIGHT: Vec3 = [0.3, 0.85, 0.45];

function shade(material: string, p: Vec3, normal: Vec3): Rgb {
  const look = getMaterial(material).visual;
  // A material-dependent pattern: wood grain along x, speckle elsewhere.
  let t: number;
  if (look.pattern === 'wood') t = 0.5 + 0.5 * Math.sin(p[0] * 90 + 6 * Math.sin(p[2] * 11)) * (0.6 + 0.4 * rng.next());
  else if (look.pattern === 'brushed') t = 0.35 + 0.3 * Math.sin(p[0] * 400) * rng.next();
  else t = rng.next() ** 2;
  const light = 0.72 + 0.28 * Math.max(0, normal[0] * LIGHT[0] + normal[1] * LIGHT[1] + normal[2] * LIGHT[2]);
  return [0, 1, 2].map((k) => Math.min(255, (look.base[k]! * (1 - t) + look.accent[k]! * t) * light)) as Rgb;
}

function add(p: Vec3, scale: Vec3, rgb: Rgb, alpha = 255): void {
  splats.push([p[0], p[1], p[2], scale[0], scale[1], scale[2], rgb[0], rgb[1], rgb[2], alpha]);
}

/** Flat splats on the faces of an axis-aligned box (`skip` names faces left bare, e.g. the bottom). */
function box(material: string, min: Vec3, max: Vec3, spacingM: number, skip: string[] = ['-y'], colour?: (p: Vec3, n: Vec3) => Rgb): void {
  const thin = 0.0015;
  for (const axis of [0, 1, 2] as const) {
    for (const side of [-1, 1] as const) {
      if (skip.includes(`${side < 0 ? '-' : '+'}${'xyz'[axis]}`)) continue;
      const [u, v] = [0, 1, 2].filter((a) => a !== axis) as [number, number];
      const nu = Math.max(1, Math.round((max[u]! - min[u]!) / spacingM)), nv = Math.max(1, Math.round((max[v]! - min[v]!) / spacingM));
      const normal: Vec3 = [0, 0, 0]; normal[axis] = side;
      for (let i = 0; i < nu; i++) {
        for (let j = 0; j < nv; j++) {
          const p: Vec3 = [0, 0, 0];
          p[axis] = side < 0 ? min[axis] : max[axis];
          p[u] = min[u]! + (i + 0.5 + 0.3 * (rng.next() - 0.5)) * (max[u]! - min[u]!) / nu;
          p[v] = min[v]! + (j + 0.5 + 0.3 * (rng.next() - 0.5)) * (max[v]! - min[v]!) / nv;
          const s: Vec3 = [0, 0, 0];
          s[axis] = thin; s[u] = 0.5 * (max[u]! - min[u]!) / nu; s[v] = 0.5 * (max[v]! - min[v]!) / nv;
          add(p, s, colour ? colour(p, normal) : shade(material, p, normal));
        }
      }
    }
  }
}

/** A vertical cylinder (side and top cap) of round splats. */
function cylinder(material: string, centreXZ: [number, number], y0: number, y1: number, radiusM: number, spacingM: number, alpha = 255, cap = true): void {
  const around = Math.round((2 * Math.PI * radiusM) / spacingM), up = Math.max(1, Math.round((y1 - y0) / spacingM));
  const s = 0.5 * spacingM;
  for (let i = 0; i < around; i++) {
    const a = (2 * Math.PI * (i + rng.next() * 0.3)) / around;
    const n: Vec3 = [Math.cos(a), 0, Math.sin(a)];
    for (let j = 0; j < up; j++) {
      const p: Vec3 = [centreXZ[0] + radiusM * n[0], y0 + ((j + 0.5) * (y1 - y0)) / up, centreXZ[1] + radiusM * n[2]];
      add(p, [s, s, s], shade(material, p, n), alpha);
    }
  }
  if (!cap) return;
  for (let r = spacingM / 2; r < radiusM; r += spacingM) {
    const ring = Math.max(1, Math.round((2 * Math.PI * r) / spacingM));
    for (let i = 0; i < ring; i++) {
      const a = (2 * Math.PI * (i + rng.next() * 0.3)) / ring;
      const p: Vec3 = [centreXZ[0] + r * Math.cos(a), y1, centreXZ[1] + r * Math.sin(a)];
      add(p, [s, 0.0015, s], shade(material, p, [0, 1, 0]), alpha);
    }
  }
}

/** A loose ball of leaf splats. */
function foliage(centre: Vec3, radiusM: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const d: Vec3 = [rng.normal(), rng.normal(), rng.normal()];
    const len = Math.hypot(...d);
    const r = radiusM * Math.cbrt(rng.next());
    const p: Vec3 = [centre[0] + (d[0] / len) * r, centre[1] + (d[1] / len) * r * 0.8, centre[2] + (d[2] / len) * r];
    const s = rng.uniform(0.012, 0.025);
    add(p, [s, s * 0.4, s * 0.7], shade('foliage', p, [d[0] / len, d[1] / len, d[2] / len]));
  }
}

// ---- the room (XR local-floor frame: the user stands at the origin looking down −z) ----
const regions: Region[] = [];
const region = (name: string, material: string, min: Vec3, max: Vec3) => regions.push({ name, material, min, max });

const wall = (p: Vec3, n: Vec3): Rgb => { const k = 0.78 + 0.22 * Math.max(0, n[1]) + 0.04 * rng.next(); return [222 * k, 214 * k, 196 * k]; };
box('stone', [-1.6, -0.02, -2.2], [1.6, 0, 0.6], 0.03, ['-y', '-x', '+x', '-z', '+z']);
region('floor', 'stone', [-1.6, -0.02, -2.2], [1.6, 0, 0.6]);
box('stone', [-1.6, 0, -2.25], [1.6, 2.4, -2.2], 0.045, ['-y', '-z', '-x', '+x', '+y'], wall);

// Table: top and four legs.
box('wood', [-0.6, 0.72, -0.95], [0.6, 0.75, -0.35], 0.011);
for (const [x, z] of [[-0.55, -0.9], [0.51, -0.9], [-0.55, -0.44], [0.51, -0.44]] as const) box('wood', [x, 0, z], [x + 0.04, 0.72, z + 0.04], 0.02, ['-y', '+y']);
region('table', 'wood', [-0.6, 0.72, -0.95], [0.6, 0.75, -0.35]);

// On the table: a metal pot with a lid, a glass, a sheet of paper.
cylinder('metal', [0.3, -0.65], 0.75, 0.89, 0.11, 0.009);
cylinder('metal', [0.3, -0.65], 0.89, 0.915, 0.018, 0.006);
region('pot', 'metal', [0.19, 0.75, -0.76], [0.41, 0.89, -0.54]);
cylinder('glass', [-0.35, -0.55], 0.75, 0.87, 0.04, 0.007, 150);
region('glass', 'glass', [-0.39, 0.75, -0.59], [-0.31, 0.87, -0.51]);
box('paper', [-0.15, 0.75, -0.8], [0.06, 0.752, -0.503], 0.008, ['-y', '-x', '+x', '-z', '+z']);
region('paper', 'paper', [-0.15, 0.75, -0.8], [0.06, 0.752, -0.503]);

// A bench with a fabric cushion, right of the table.
box('wood', [0.8, 0.38, -0.95], [1.35, 0.42, -0.4], 0.015);
for (const [x, z] of [[0.82, -0.93], [1.29, -0.93], [0.82, -0.46], [1.29, -0.46]] as const) box('wood', [x, 0, z], [x + 0.04, 0.38, z + 0.04], 0.02, ['-y', '+y']);
region('bench', 'wood', [0.8, 0.38, -0.95], [1.35, 0.42, -0.4]);
box('fabric', [0.86, 0.42, -0.88], [1.28, 0.5, -0.46], 0.012);
region('cushion', 'fabric', [0.86, 0.42, -0.88], [1.28, 0.5, -0.46]);

// A plant in a ceramic pot, left of the table.
cylinder('ceramic', [-1.0, -0.7], 0, 0.3, 0.13, 0.012);
region('flowerpot', 'ceramic', [-1.13, 0, -0.83], [-0.87, 0.3, -0.57]);
foliage([-1.0, 0.6, -0.7], 0.27, 3500);
region('plant', 'foliage', [-1.25, 0.38, -0.95], [-0.75, 0.82, -0.45]);

// ---- write ----
const out = new ArrayBuffer(splats.length * BYTES_PER_SPLAT);
const f32 = new Float32Array(out), u8 = new Uint8Array(out);
splats.forEach((s, i) => {
  const o = i * 8;
  f32[o] = s[0]!; f32[o + 1] = -s[1]!; f32[o + 2] = s[2]!; // y down on disk: Babylon's .splat loader flips y
  f32[o + 3] = s[3]!; f32[o + 4] = s[4]!; f32[o + 5] = s[5]!;
  const b = i * BYTES_PER_SPLAT + 24;
  u8[b] = Math.round(s[6]!); u8[b + 1] = Math.round(s[7]!); u8[b + 2] = Math.round(s[8]!); u8[b + 3] = s[9]!;
  u8[b + 4] = 255; u8[b + 5] = 128; u8[b + 6] = 128; u8[b + 7] = 128; // identity rotation (w = 1)
});
const annotation: Annotation = parseAnnotation({ format: ANNOTATION_FORMAT, units: 'm', up: 'y', regions });
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
writeFileSync(here('./room.splat'), u8);
writeFileSync(here('./room.annotation.json'), JSON.stringify(annotation, null, 1) + '\n');
console.log(`room.splat: ${splats.length} splats, ${(u8.length / 1e6).toFixed(2)} MB; ${regions.length} annotated regions`);
