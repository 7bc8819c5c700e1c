/**
 * The material annotation of a splat scene: which boxes of space are which material (src/sim's material names).
 * A Gaussian splat has no surfaces or labels, and the local-view encoder alone cannot tell a metal pot from a grey
 * mug; a few hand-placed boxes can. The top face of each box is the surface a hand touches.
 *
 *   { "format": "hearing-hands/annotation@1", "units": "m", "up": "y",
 *     "regions": [ { "name": "table", "material": "wood", "min": [x, y, z], "max": [x, y, z] }, … ] }
 *
 * Coordinates are the XR reference space of the demo (local-floor: metres, right-handed, +y up, the user starts at
 * the origin looking down −z), the same frame as a HandFrame.
 */
import { MATERIAL_NAMES } from '../../src/sim/materials.js';
import { HearingHandsError } from '../../src/errors.js';

export const ANNOTATION_FORMAT = 'hearing-hands/annotation@1';

export type Vec3 = [number, number, number];

export interface Region {
  name: string;
  material: string;
  min: Vec3;
  max: Vec3;
}

export interface Annotation {
  format: typeof ANNOTATION_FORMAT;
  units: 'm';
  up: 'y';
  regions: Region[];
}

/** An annotation file that does not follow the format above. */
export class InvalidAnnotationError extends HearingHandsError {
  constructor(message: string) { super('INVALID_ARGUMENT', message); }
}

const isVec3 = (v: unknown): v is Vec3 => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));

export function parseAnnotation(doc: unknown): Annotation {
  const d = doc as Partial<Annotation> | null;
  if (!d || d.format !== ANNOTATION_FORMAT) throw new InvalidAnnotationError(`annotation: format must be '${ANNOTATION_FORMAT}'`);
  if (!Array.isArray(d.regions) || d.regions.length === 0) throw new InvalidAnnotationError('annotation: regions must be a non-empty list');
  const names = new Set<string>();
  for (const [i, r] of d.regions.entries()) {
    if (!r || typeof r.name !== 'string' || !r.name) throw new InvalidAnnotationError(`annotation: region ${i} needs a name`);
    if (names.has(r.name)) throw new InvalidAnnotationError(`annotation: region name '${r.name}' is used twice`);
    names.add(r.name);
    if (!MATERIAL_NAMES.includes(r.material)) throw new InvalidAnnotationError(`annotation: region '${r.name}' has unknown material '${r.material}' (known: ${MATERIAL_NAMES.join(', ')})`);
    if (!isVec3(r.min) || !isVec3(r.max) || r.min.some((v, k) => !(v < r.max[k]!))) throw new InvalidAnnotationError(`annotation: region '${r.name}' needs finite min < max`);
  }
  return { format: ANNOTATION_FORMAT, units: 'm', up: 'y', regions: d.regions };
}

/** Height of a region's touchable top face. */
export const topOf = (r: Region): number => r.max[1];

/**
 * The region a point above (or slightly in) the scene rests over: among the regions whose footprint (x, z, widened by
 * `marginM`) contains the point and whose top is at most `belowM` above it, the one with the highest top — the surface
 * a hand falling from there would land on. Null when none is under it.
 */
export function regionUnder(annotation: Annotation, x: number, y: number, z: number, marginM = 0.01, belowM = 0.05): Region | null {
  let best: Region | null = null;
  for (const r of annotation.regions) {
    if (x < r.min[0] - marginM || x > r.max[0] + marginM || z < r.min[2] - marginM || z > r.max[2] + marginM) continue;
    if (topOf(r) > y + belowM) continue;
    if (!best || topOf(r) > topOf(best)) best = r;
  }
  return best;
}

/** Distinct materials of the annotation, in first-appearance order. */
export function materialsOf(annotation: Annotation): string[] {
  return [...new Set(annotation.regions.map((r) => r.material))];
}
