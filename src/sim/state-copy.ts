/**
 * Copies the mutable state of one DSP object into a twin built with the same options (the procedural backend's
 * speculative render: src/runtime/procedural-generator.ts). Numbers and booleans are assigned; typed arrays are copied
 * into the twin's own arrays when they have the same length (else the twin gets a copy); arrays and nested objects
 * are copied the same way, element by element; values the two share (a material, a function) are left alone.
 */
export function copyState(dst: object, src: object): void {
  const d = dst as Record<string, unknown>, s = src as Record<string, unknown>;
  for (const key of Object.keys(s)) d[key] = copyValue(d[key], s[key]);
}

function copyValue(d: unknown, s: unknown): unknown {
  if (s === d || s === null || typeof s !== 'object') return s;
  if (ArrayBuffer.isView(s)) {
    const v = s as unknown as Float64Array;
    if (ArrayBuffer.isView(d) && (d as unknown as Float64Array).length === v.length && d.constructor === v.constructor) {
      (d as unknown as Float64Array).set(v);
      return d;
    }
    return v.slice();
  }
  if (Array.isArray(s)) {
    const out = Array.isArray(d) ? d : [];
    out.length = s.length;
    for (let i = 0; i < s.length; i++) out[i] = copyValue(out[i], s[i]);
    return out;
  }
  const out = d !== null && typeof d === 'object' && Object.getPrototypeOf(d) === Object.getPrototypeOf(s) ? d : Object.create(Object.getPrototypeOf(s));
  copyState(out as object, s);
  return out;
}
