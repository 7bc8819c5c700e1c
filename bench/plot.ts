/**
 * SVG plots for bench sections, written beside the JSON and Markdown: per-case bars (median, with the p95 as a
 * whisker) on a log time axis, and, where a case kept its raw samples, cumulative distributions. Plain SVG text,
 * no plotting dependency.
 */
import type { BenchSection } from './lib.js';

const W = 900;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmtMs = (ms: number) => (Math.abs(ms) < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : Math.abs(ms) < 100 ? `${ms.toPrecision(3)} ms` : `${ms.toFixed(0)} ms`);

function logScale(min: number, max: number, x0: number, x1: number) {
  const lo = Math.log10(min), hi = Math.log10(max);
  return (v: number) => x0 + ((Math.log10(Math.max(v, min)) - lo) / (hi - lo)) * (x1 - x0);
}

/** Ticks for a log axis: decades, plus 2 and 5 within each when the range spans few decades. */
function decadeTicks(min: number, max: number): number[] {
  const out: number[] = [];
  if (!(min > 0) || !Number.isFinite(max)) return out;
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++) for (const m of steps) { const t = m * 10 ** e; if (t >= min && t <= max) out.push(t); }
  return out;
}

/** Evenly spaced round ticks (1-2-5 steps) covering [min, max]. */
function linearTicks(min: number, max: number): number[] {
  const span = max - min, e = 10 ** Math.floor(Math.log10(span / 5)), r = span / 5 / e;
  const step = (r > 5 ? 10 : r > 2 ? 5 : r > 1 ? 2 : 1) * e;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9 * span; t += step) out.push(Math.abs(t) < 1e-12 * span ? 0 : t);
  return out;
}

interface Axis { x: (v: number) => number; ticks: number[]; log: boolean; min: number; max: number }

/**
 * A time axis for these values: logarithmic when all are positive (times spanning decades), linear when any is
 * negative (signed quantities such as a latency measured from a contact instant that lies between frames).
 * Zeros among positive values (a clock too coarse for the case) are left to the caller to drop.
 */
function timeAxis(values: number[], x0: number, x1: number): Axis {
  const finite = values.filter((v) => Number.isFinite(v));
  const lo = finite.reduce((a, b) => Math.min(a, b), Infinity), hi = finite.reduce((a, b) => Math.max(a, b), -Infinity);
  if (lo < 0) {
    const pad = 0.05 * (hi - lo || 1), min = lo - pad, max = Math.max(hi, 0) + pad;
    return { x: (v) => x0 + ((v - min) / (max - min)) * (x1 - x0), ticks: linearTicks(min, max), log: false, min, max };
  }
  const pos = finite.filter((v) => v > 0);
  const min = Math.max(1e-4, pos.reduce((a, b) => Math.min(a, b), Infinity)) / 1.5, max = pos.reduce((a, b) => Math.max(a, b), 0) * 1.5;
  return { x: logScale(min, max, x0, x1), ticks: decadeTicks(min, max), log: true, min, max };
}

/** Horizontal bars: median per case, whisker to p95. Returns undefined when no row has timings. */
export function barsSvg(section: BenchSection): string | undefined {
  // Signed data (any negative median) gets a linear axis; otherwise log, and a clock too coarse for a case
  // (median 0) leaves that row out.
  const signed = section.rows.some((r) => r.stats && r.stats.medianMs < 0);
  const rows = section.rows.filter((r) => r.stats && Number.isFinite(r.stats.medianMs) && Number.isFinite(r.stats.p95Ms) && (signed || r.stats.medianMs > 0));
  if (rows.length === 0) return undefined;
  const left = Math.min(440, 20 + 6.6 * Math.max(...rows.map((r) => r.label.length))), right = W - 170, top = 48, rowH = 22;
  const H = top + rows.length * rowH + 40;
  const axis = timeAxis(rows.flatMap((r) => [r.stats!.medianMs, r.stats!.p95Ms, ...(signed ? [0] : [r.stats!.medianMs / 1.5])]), left, right);
  const { x, min, max } = axis;
  const x0 = axis.log ? left : x(0);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(section.name)}</text>`];
  for (const t of axis.ticks) {
    if (t < min || t > max) continue;
    parts.push(`<line x1="${x(t)}" y1="${top - 5}" x2="${x(t)}" y2="${H - 30}" stroke="${t === 0 && !axis.log ? '#888' : '#ddd'}"/>`,
      `<text x="${x(t)}" y="${H - 15}" text-anchor="middle" fill="#555">${t === 0 ? '0' : fmtMs(t)}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const s = r.stats!;
    parts.push(`<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>`,
      `<rect x="${Math.min(x0, x(s.medianMs))}" y="${y + 3}" width="${Math.max(1, Math.abs(x(s.medianMs) - x0))}" height="${rowH - 8}" fill="#4a7fb5"/>`,
      `<line x1="${x(s.medianMs)}" y1="${y + rowH / 2}" x2="${x(s.p95Ms)}" y2="${y + rowH / 2}" stroke="#222"/>`,
      `<line x1="${x(s.p95Ms)}" y1="${y + 5}" x2="${x(s.p95Ms)}" y2="${y + rowH - 5}" stroke="#222"/>`,
      `<text x="${x(s.p95Ms) + 5}" y="${y + 14}" fill="#333">${fmtMs(s.medianMs)} (p95 ${fmtMs(s.p95Ms)})</text>`);
  });
  parts.push(`<text x="${W - 10}" y="36" text-anchor="end" fill="#555">bar: median · whisker: p95 · ${axis.log ? 'log' : 'linear'} time axis</text>`, '</svg>');
  return parts.join('\n');
}

/** Cumulative distributions of the rows that kept raw samples. Returns undefined when none did. */
export function cdfSvg(section: BenchSection): string | undefined {
  const signed = section.rows.some((r) => r.samplesMs?.some((v) => v < 0));
  const keep = (v: number) => Number.isFinite(v) && (signed || v > 0);
  const rows = section.rows.filter((r) => r.samplesMs && r.samplesMs.filter(keep).length > 1);
  if (rows.length === 0) return undefined;
  const left = 60, right = W - 20, top = 40, bottom = 420, H = bottom + 75 + rows.length * 16;
  const axis = timeAxis(rows.flatMap((r) => r.samplesMs!.filter(keep)), left, right);
  const { x, min, max } = axis;
  const y = (q: number) => bottom - q * (bottom - top);
  const colours = ['#4a7fb5', '#d9822b', '#3a9b5c', '#b54a6f', '#7a5cb5', '#777'];
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(section.name)} — cumulative distribution</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#999"/>`];
  for (const q of [0, 0.5, 0.95, 1]) parts.push(`<line x1="${left}" y1="${y(q)}" x2="${right}" y2="${y(q)}" stroke="#eee"/>`, `<text x="${left - 5}" y="${y(q) + 4}" text-anchor="end">${q}</text>`);
  for (const t of axis.ticks) {
    if (t < min || t > max) continue;
    parts.push(`<text x="${x(t)}" y="${bottom + 15}" text-anchor="middle" fill="#555">${t === 0 ? '0' : fmtMs(t)}</text>`);
  }
  parts.push(`<text x="${(left + right) / 2}" y="${bottom + 32}" text-anchor="middle" fill="#555">${axis.log ? 'time per call (log axis)' : 'ms (linear axis)'}</text>`);
  rows.forEach((r, i) => {
    const s = r.samplesMs!.filter(keep).sort((a, b) => a - b);
    // Empirical CDF as a staircase: flat between samples, a step up of 1/n at each one.
    const pts = s.flatMap((v, j) => [`${x(v).toFixed(1)},${y(j / s.length).toFixed(1)}`, `${x(v).toFixed(1)},${y((j + 1) / s.length).toFixed(1)}`]).join(' ');
    const c = colours[i % colours.length];
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts}"/>`,
      `<rect x="${left}" y="${bottom + 45 + i * 16}" width="10" height="10" fill="${c}"/>`,
      `<text x="${left + 15}" y="${bottom + 54 + i * 16}">${esc(r.label)} (n=${s.length})</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Cost against a scaling variable (section.xKey, a numeric value of each row): median with a p95 band, linear
 * axes from zero, so linear growth reads as a straight line. Returns undefined for other sections.
 */
export function lineSvg(section: BenchSection): string | undefined {
  const key = section.xKey;
  if (!key) return undefined;
  const pts = section.rows.filter((r) => r.stats && typeof r.values?.[key] === 'number')
    .map((r) => ({ x: r.values![key] as number, med: r.stats!.medianMs, p95: r.stats!.p95Ms })).sort((a, b) => a.x - b.x);
  if (pts.length < 2) return undefined;
  const left = 70, right = W - 30, top = 40, bottom = 330, H = bottom + 50;
  const xMax = Math.max(...pts.map((p) => p.x)) * 1.05, yMax = Math.max(...pts.map((p) => p.p95)) * 1.1;
  const X = (v: number) => left + (v / xMax) * (right - left), Y = (v: number) => bottom - (v / yMax) * (bottom - top);
  const nice = (max: number) => { const e = 10 ** Math.floor(Math.log10(max)); const step = max / e > 5 ? 2 * e : max / e > 2 ? e : e / 2; return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step); };
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(section.name)}</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"/>`, `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#999"/>`];
  for (const t of nice(yMax)) parts.push(`<line x1="${left}" y1="${Y(t)}" x2="${right}" y2="${Y(t)}" stroke="#eee"/>`, `<text x="${left - 5}" y="${Y(t) + 4}" text-anchor="end">${t === 0 ? "0" : fmtMs(t)}</text>`);
  for (const p of pts) parts.push(`<text x="${X(p.x)}" y="${bottom + 15}" text-anchor="middle" fill="#555">${p.x}</text>`);
  const band = [...pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.p95).toFixed(1)}`), ...[...pts].reverse().map((p) => `${X(p.x).toFixed(1)},${Y(p.med).toFixed(1)}`)].join(' ');
  parts.push(`<polygon points="${band}" fill="#4a7fb5" fill-opacity="0.15"/>`,
    `<polyline fill="none" stroke="#4a7fb5" stroke-width="2" points="${pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.med).toFixed(1)}`).join(' ')}"/>`);
  for (const p of pts) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.med).toFixed(1)}" r="3" fill="#4a7fb5"/>`);
  parts.push(`<text x="${(left + right) / 2}" y="${bottom + 35}" text-anchor="middle">${esc(key)}</text>`,
    `<text x="${right}" y="${top - 10}" text-anchor="end" fill="#555">line: median · band: up to p95</text>`, '</svg>');
  return parts.join('\n');
}
