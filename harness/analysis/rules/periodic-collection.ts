// 1.2.2 / 1.2.4 / 1.2.6 / 1.2.8: one category read by one SDK at a regular period (a timer),
// not merely often. Per (category, SDK) the reads' times are scanned for the longest run of
// consecutive intervals within ±`tolerance` of their median; `minRepeats` such intervals make a
// period, which the finding states ("every 5.0 s"). Reads of one call burst (< `minPeriodMs`
// apart) are merged first. Background share decides 1.2.6 (app) / 1.2.8 (SDK); a period of
// `fastMs` or less for identifiers or location is 1.2.4.
import { type EventGroup, isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { FindingDraft, Rule } from '../types.ts';

export interface Period {
  periodMs: number;
  /** Index of the first and last read of the regular run. */
  from: number;
  to: number;
}

/** The longest regular run in sorted times, or null when fewer than `minRepeats` intervals repeat. */
export function findPeriod(
  times: readonly number[],
  opts: { minRepeats: number; tolerance: number; minPeriodMs: number },
): Period | null {
  const t: number[] = [];
  const idx: number[] = [];
  times.forEach((x, i) => {
    if (t.length === 0 || x - t[t.length - 1]! >= opts.minPeriodMs) {
      t.push(x);
      idx.push(i);
    }
  });
  let best: Period | null = null;
  let bestLen = 0;
  // Grow a run from each start while the next interval stays within tolerance of the run's first.
  for (let i = 0; i + 1 < t.length; i++) {
    const ref = t[i + 1]! - t[i]!;
    let j = i + 1;
    let sum = ref;
    while (j + 1 < t.length) {
      const d = t[j + 1]! - t[j]!;
      const mean = sum / (j - i);
      if (Math.abs(d - mean) > opts.tolerance * mean) break;
      sum += d;
      j++;
    }
    const n = j - i;
    if (n >= opts.minRepeats && n > bestLen) {
      bestLen = n;
      best = { periodMs: sum / n, from: idx[i]!, to: idx[j]! };
    }
    if (j - 1 > i) i = j - 1;
  }
  return best;
}

const FAST_CATEGORIES = new Set(['device-id', 'location']);
/**
 * Reads examined per category (all SDKs, shared among its phases, at least 200 per phase): a
 * timer shows within the first few thousand reads of its category. Bounds the rule on
 * million-event runs (bench/analysis-bench.ts).
 */
const MAX_READS = 5_000;
const MIN_PER_PHASE = 200;

export const periodicCollection: Rule = {
  id: 'periodic-collection',
  severity: 'medium',
  summary: 'personal data read at a regular period (a timer), with the period stated',
  run(ctx) {
    const { minRepeats, tolerance, minPeriodMs, fastMs } = ctx.limits.periodic;
    // One query per phase walks the (run_id, category_id, phase_id, time, sdk_id) index in time
    // order and stops at the limit: no partition of the run is sorted (as AnalysisContext.evidence
    // does). The foreground flag is not in the index: when the roll-up says every read of a
    // (category, phase, SDK) had the same flag, it comes from there and the walk never touches
    // the table (one row lookup per read cost most of this rule at 1M events).
    // Rows come as the Read objects themselves (one allocation per read: tens of thousands).
    type Read = { id: number; time: number; fg: number; sdk: number | null };
    const covered = ctx.db.prepare<[number, number, number, number], Read>(
      `SELECT id, time, -1 AS fg, sdk_id AS sdk FROM events WHERE run_id = ? AND category_id = ?
       AND phase_id = ? ORDER BY time LIMIT ?`,
    );
    const looked = ctx.db.prepare<[number, number, number, number], Read>(
      `SELECT id, time, foreground AS fg, sdk_id AS sdk FROM events WHERE run_id = ? AND category_id = ?
       AND phase_id = ? ORDER BY time LIMIT ?`,
    );
    const byCategory = new Map<number, Map<number | null, Read[]>>();
    const readsOf = (categoryId: number, sdkId: number | null): Read[] => {
      let bySdk = byCategory.get(categoryId);
      if (!bySdk) {
        bySdk = new Map();
        // phase → SDK → its one foreground flag (-1: both occur, read it per event).
        const flags = new Map<number, Map<number | null, number>>();
        for (const x of ctx.inCategory(categoryId)) {
          let m = flags.get(x.phaseId);
          if (!m) {
            m = new Map();
            flags.set(x.phaseId, m);
          }
          const fg = x.foreground ? 1 : 0;
          const had = m.get(x.sdkId);
          m.set(x.sdkId, had === undefined || had === fg ? fg : -1);
        }
        const limit = Math.max(MIN_PER_PHASE, Math.floor(MAX_READS / flags.size));
        const add = (r: Read) => {
          const list = bySdk!.get(r.sdk);
          if (list) list.push(r);
          else bySdk!.set(r.sdk, [r]);
        };
        for (const [ph, fgOf] of flags) {
          // Reads of an SDK absent from the groups (the framework's own) are never asked for.
          if ([...fgOf.values()].includes(-1))
            for (const r of looked.all(ctx.run.id, categoryId, ph, limit)) add(r);
          else
            for (const r of covered.all(ctx.run.id, categoryId, ph, limit)) {
              r.fg = fgOf.get(r.sdk) ?? -1;
              add(r);
            }
        }
        byCategory.set(categoryId, bySdk);
      }
      return (bySdk.get(sdkId) ?? []).sort((a, b) => a.time - b.time || a.id - b.id);
    };
    const judge = (g: EventGroup): FindingDraft[] => {
      const out: FindingDraft[] = [];
      const all = readsOf(g.categoryId, g.sdkId);
      // A background timer and a foreground one interleave: each is looked for on its own, so
      // one (category, SDK) may have a background period (1.2.6/1.2.8) and a foreground one.
      for (const rows of [all.filter((r) => r.fg === 0), all.filter((r) => r.fg !== 0)]) {
        const p = findPeriod(
          rows.map((r) => r.time),
          { minRepeats, tolerance, minPeriodMs },
        );
        if (!p) continue;
        const run = rows.slice(p.from, p.to + 1);
        const bg = run[0]!.fg === 0;
        const sdk = g.sdk !== null && !g.sdk.startsWith('third-party:');
        const scenarios = [p.periodMs <= fastMs && FAST_CATEGORIES.has(g.category) ? '1.2.4' : '1.2.2'];
        if (bg) scenarios.push(sdk ? '1.2.8' : '1.2.6');
        const every = `${(p.periodMs / 1000).toFixed(1)} s`;
        out.push({
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: run.length,
          evidence: run.map((r) => r.id).slice(0, ctx.limits.evidence),
          scenarios,
          title: `${g.category} read every ${every} by ${sdkShort(g.sdk)} (${run.length} reads${bg ? ', in the background' : ''})`,
          detail:
            `${sdkLabel(g.sdk)} read ${g.category} at a regular period of ${every} (±${Math.round(tolerance * 100)}%): ` +
            `${run.length} reads from ${ctx.at(run[0]!.time)} to ${ctx.at(run.at(-1)!.time)}` +
            `${bg ? ' while the app was in the background' : ''}. A timer collecting personal data at a fixed ` +
            `frequency goes beyond what a user action needs. ${ctx.firstAccess(run[0]!.id)}`,
        });
      }
      return out;
    };
    const wanted = ctx.byCategorySdk((x) => isPersonal(x.category)).filter((g) => g.n >= minRepeats + 1);
    // Category by category, each category's reads dropped once its SDKs are judged (keeping every
    // category's reads alive at once made each young-generation GC copy them all); the findings
    // are listed in the order of `wanted` all the same.
    const found = new Map<EventGroup, FindingDraft[]>();
    for (const c of new Set(wanted.map((g) => g.categoryId))) {
      for (const g of wanted) if (g.categoryId === c) found.set(g, judge(g));
      byCategory.delete(c);
    }
    return wanted.flatMap((g) => found.get(g) ?? []);
  },
};
