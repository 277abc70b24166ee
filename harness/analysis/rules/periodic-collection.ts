// 1.2.2 / 1.2.4 / 1.2.6 / 1.2.8: one category read by one SDK at a regular period (a timer),
// not merely often. Per (category, SDK) the reads' times are scanned for the longest run of
// consecutive intervals within ±`tolerance` of their median; `minRepeats` such intervals make a
// period, which the finding states ("every 5.0 s"). Reads of one call burst (< `minPeriodMs`
// apart) are merged first. Background share decides 1.2.6 (app) / 1.2.8 (SDK); a period of
// `fastMs` or less for identifiers or location is 1.2.4.
import { type EventGroup, isPersonal, sdkLabel, sdkShort } from '../context.ts';
import { type Period, type PeriodOptions, periodIn } from '../periodic-order.ts';
import { type CategoryReads, categoryReader } from '../periodic-reads.ts';
import type { FindingDraft, Rule } from '../types.ts';

export { inOrder, type Period } from '../periodic-order.ts';

/** The longest regular run in sorted times, or null when fewer than `minRepeats` intervals repeat. */
export function findPeriod(times: readonly number[], opts: PeriodOptions): Period | null {
  return periodIn(times, 0, times.length, opts);
}

const FAST_CATEGORIES = new Set(['device-id', 'location']);

export const periodicCollection: Rule = {
  id: 'periodic-collection',
  severity: 'medium',
  summary: 'personal data read at a regular period (a timer), with the period stated',
  run(ctx) {
    const { minRepeats, tolerance, minPeriodMs, fastMs } = ctx.limits.periodic;
    const opts = { minRepeats, tolerance, minPeriodMs };
    const read = categoryReader(ctx);
    const judge = (g: EventGroup, r: CategoryReads): FindingDraft[] => {
      const out: FindingDraft[] = [];
      const j = r.sdkIndex.get(g.sdkId);
      if (j === undefined) return out;
      // A background timer and a foreground one interleave: each is looked for on its own, so
      // one (category, SDK) may have a background period (1.2.6/1.2.8) and a foreground one.
      for (const slot of [2 * j, 2 * j + 1]) {
        const p = periodIn(r.time, r.start[slot]!, r.end[slot]!, opts);
        if (!p) continue;
        const count = p.to - p.from + 1;
        const bg = slot === 2 * j;
        const sdk = g.sdk !== null && !g.sdk.startsWith('third-party:');
        const scenarios = [p.periodMs <= fastMs && FAST_CATEGORIES.has(g.category) ? '1.2.4' : '1.2.2'];
        if (bg) scenarios.push(sdk ? '1.2.8' : '1.2.6');
        const every = `${(p.periodMs / 1000).toFixed(1)} s`;
        out.push({
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count,
          // subarray(0, n) cuts as slice(0, n) does (a negative or fractional limit alike).
          evidence: Array.from(r.id.subarray(p.from, p.to + 1).subarray(0, ctx.limits.evidence)),
          scenarios,
          title: `${g.category} read every ${every} by ${sdkShort(g.sdk)} (${count} reads${bg ? ', in the background' : ''})`,
          detail:
            `${sdkLabel(g.sdk)} read ${g.category} at a regular period of ${every} (±${Math.round(tolerance * 100)}%): ` +
            `${count} reads from ${ctx.at(r.time[p.from]!)} to ${ctx.at(r.time[p.to]!)}` +
            `${bg ? ' while the app was in the background' : ''}. A timer collecting personal data at a fixed ` +
            `frequency goes beyond what a user action needs. ${ctx.firstAccess(r.id[p.from])}`,
        });
      }
      return out;
    };
    const wanted = ctx.byCategorySdk((x) => isPersonal(x.category)).filter((g) => g.n >= minRepeats + 1);
    // Category by category (one category's reads at a time, in arrays reused for the next); the
    // findings are listed in the order of `wanted` all the same.
    const found = new Map<EventGroup, FindingDraft[]>();
    for (const c of new Set(wanted.map((g) => g.categoryId))) {
      const groups = wanted.filter((g) => g.categoryId === c);
      const r = read(
        c,
        groups.map((g) => g.sdkId),
      );
      for (const g of groups) found.set(g, judge(g, r));
    }
    return wanted.flatMap((g) => found.get(g) ?? []);
  },
};
