/** Per-item quality figures (paper 5.1) and their aggregation into one table row. */

/** Matches each labelled contact to the nearest detected onset; contacts with none within `toleranceSec` are missed. */
export function matchOnsets(detectedSec: ArrayLike<number>, contactsSec: readonly number[], toleranceSec = 0.1):
  { errorsSec: number[]; offsetsSec: number[]; missed: number; extra: number } {
  const errorsSec: number[] = [];
  const offsetsSec: number[] = []; // signed, detected − contact: + is late, − early
  let missed = 0;
  const used = new Set<number>();
  for (const c of contactsSec) {
    let best = -1, bestErr = Infinity;
    for (let i = 0; i < detectedSec.length; i++) {
      const e = Math.abs(detectedSec[i]! - c);
      if (e < bestErr) { bestErr = e; best = i; }
    }
    if (best >= 0 && bestErr <= toleranceSec) { errorsSec.push(bestErr); offsetsSec.push(detectedSec[best]! - c); used.add(best); } else missed++;
  }
  let extra = 0;
  for (let i = 0; i < detectedSec.length; i++) {
    if (!used.has(i) && !contactsSec.some((c) => Math.abs(detectedSec[i]! - c) <= toleranceSec)) extra++;
  }
  return { errorsSec, offsetsSec, missed, extra };
}

/**
 * The labelled contacts the ground truth itself sounds: an onset of the ground-truth audio within `toleranceSec`
 * (default 10 ms). In our simulated capture about 45 % of the labelled contacts make no onset the detector finds
 * (soft touches, a scratch's later contacts); there, the nearest onset of a generated sound within 100 ms is another
 * event's, and the all-contacts column counts its distance as a timing error.
 */
export function audibleContacts(truthOnsetsSec: ArrayLike<number>, contactsSec: readonly number[], toleranceSec = 0.01): number[] {
  return contactsSec.filter((c) => {
    for (let i = 0; i < truthOnsetsSec.length; i++) if (Math.abs(truthOnsetsSec[i]! - c) <= toleranceSec) return true;
    return false;
  });
}

/** Half-width, in percentage points, of the normal-approximation 95 % interval of a share near 50 % over n items. */
export function agreementMargin(n: number): number {
  return n > 0 ? 100 * 1.96 * Math.sqrt(0.25 / n) : Infinity;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]!;
}

export interface ItemScore {
  stft: number;
  envelope: number;
  onsetErrorsSec: number[];
  contacts: number;
  missed: number;
  extra: number;
  /** The same match on the contacts the ground truth sounds (audibleContacts). */
  audibleErrorsSec: number[];
  /** The same, signed (detected − contact: + late, − early). */
  audibleOffsetsSec: number[];
  audibleContacts: number;
  audibleMissed: number;
  materialAgree?: boolean;
  actionAgree?: boolean;
  materialCorrect?: boolean;
  actionCorrect?: boolean;
  /** The judge's labels for the generated sound and for the ground truth (when there is a judge). */
  judged?: Judged;
  truthJudged?: Judged;
}

/** A material and an action label, as the judge (the classifier on log-mels) gives them. */
export interface Judged { material: string; action: string }

export interface VariantRow {
  variant: string;
  items: number;
  stft: number;
  envelope: number;
  onsetP50Ms: number;
  onsetP95Ms: number;
  missedPct: number;
  audibleOnsetP50Ms: number;
  audibleOnsetP95Ms: number;
  audibleMissedPct: number;
  extraPerItem: number;
  materialAgreePct: number;
  actionAgreePct: number;
  materialAccPct: number;
  actionAccPct: number;
  secondsPerItem: number;
}

const pct = (xs: (boolean | undefined)[]) => {
  const v = xs.filter((x): x is boolean => x !== undefined);
  return v.length ? (100 * v.filter(Boolean).length) / v.length : NaN;
};
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function aggregate(variant: string, scores: ItemScore[], seconds: number): VariantRow {
  const errs = scores.flatMap((s) => s.onsetErrorsSec);
  const contacts = scores.reduce((a, s) => a + s.contacts, 0);
  const audible = scores.flatMap((s) => s.audibleErrorsSec);
  const audibleContacts = scores.reduce((a, s) => a + s.audibleContacts, 0);
  return {
    variant,
    items: scores.length,
    stft: mean(scores.map((s) => s.stft)),
    envelope: mean(scores.map((s) => s.envelope)),
    onsetP50Ms: 1000 * quantile(errs, 0.5),
    onsetP95Ms: 1000 * quantile(errs, 0.95),
    missedPct: contacts ? (100 * scores.reduce((a, s) => a + s.missed, 0)) / contacts : NaN,
    audibleOnsetP50Ms: 1000 * quantile(audible, 0.5),
    audibleOnsetP95Ms: 1000 * quantile(audible, 0.95),
    audibleMissedPct: audibleContacts ? (100 * scores.reduce((a, s) => a + s.audibleMissed, 0)) / audibleContacts : NaN,
    extraPerItem: mean(scores.map((s) => s.extra)),
    materialAgreePct: pct(scores.map((s) => s.materialAgree)),
    actionAgreePct: pct(scores.map((s) => s.actionAgree)),
    materialAccPct: pct(scores.map((s) => s.materialCorrect)),
    actionAccPct: pct(scores.map((s) => s.actionCorrect)),
    secondsPerItem: scores.length ? seconds / scores.length : NaN,
  };
}

export function markdownTable(rows: VariantRow[]): string {
  const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const head = '| variant | items | STFT ↓ | envelope ↓ | onset err p50 / p95 (ms) ↓ | missed contacts ↓ | audible contacts: onset err p50 / p95 (ms) ↓ | audible contacts missed ↓ | extra onsets / item ↓ | material agree ↑ | action agree ↑ | material acc ↑ | action acc ↑ | s / item |\n'
    + '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  return head + rows.map((r) => `| ${r.variant} | ${r.items} | ${f(r.stft, 3)} | ${f(r.envelope, 4)} | ${f(r.onsetP50Ms, 1)} / ${f(r.onsetP95Ms, 1)} | ${f(r.missedPct, 1)} % | ${f(r.audibleOnsetP50Ms, 1)} / ${f(r.audibleOnsetP95Ms, 1)} | ${f(r.audibleMissedPct, 1)} % | ${f(r.extraPerItem, 2)} | ${f(r.materialAgreePct, 1)} % | ${f(r.actionAgreePct, 1)} % | ${f(r.materialAccPct, 1)} % | ${f(r.actionAccPct, 1)} % | ${f(r.secondsPerItem, 2)} |`).join('\n') + '\n';
}

/** What one row's judge heard, item by item: its labels for the ground truth and for the generated sound. */
export interface JudgedItem { variant: string; truthJudged?: Judged; judged?: Judged }

/**
 * Where the judge disagrees, per row: "truth → generated n" for each pair of labels it gave the ground truth and the
 * generated sound, most frequent first (what a row's agreement column loses, and to what). Rows whose variant
 * `skip` matches (references) and rows without a judge are left out.
 */
export function confusionTable(items: readonly JudgedItem[], skip: (variant: string) => boolean = (v) => v.startsWith('reference')): string {
  const rows = new Map<string, { material: Map<string, number>; action: Map<string, number>; n: number }>();
  for (const it of items) {
    if (skip(it.variant) || !it.truthJudged || !it.judged) continue;
    let r = rows.get(it.variant);
    if (!r) rows.set(it.variant, r = { material: new Map(), action: new Map(), n: 0 });
    r.n++;
    for (const k of ['material', 'action'] as const) {
      if (it.truthJudged[k] === it.judged[k]) continue;
      const key = `${it.truthJudged[k]} → ${it.judged[k]}`;
      r[k].set(key, (r[k].get(key) ?? 0) + 1);
    }
  }
  if (rows.size === 0) return '';
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ') || '–';
  return '| variant | items | action: truth → generated (count) | material: truth → generated (count) |\n|---|---|---|---|\n'
    + [...rows].map(([v, r]) => `| ${v} | ${r.n} | ${list(r.action)} | ${list(r.material)} |`).join('\n') + '\n';
}
