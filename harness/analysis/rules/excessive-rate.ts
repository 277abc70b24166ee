// A personal-data category read more often than a sustained rate: by default more than 1 access
// per 10 s, i.e. more than 6 within any sliding 60 s window.
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { isPersonal, sdkLabel } from '../context.ts';
import type { Rule } from '../types.ts';
import { exceedingWindows } from '../windows.ts';

export const excessiveRate: Rule = {
  id: 'excessive-rate',
  severity: 'medium',
  summary: 'a category accessed more often than the configured sustained rate',
  run(ctx) {
    const { max, windowMs, sustainMs, mediumFactor } = ctx.limits.rate;
    const limit = Math.floor((max * sustainMs) / windowMs);
    const totals = new Map<number, { category: DataCategory; n: number }>();
    for (const g of ctx.groups) {
      if (!isPersonal(g.category)) continue;
      const t = totals.get(g.categoryId) ?? { category: g.category, n: 0 };
      t.n += g.n;
      totals.set(g.categoryId, t);
    }
    const candidates = [...totals].filter(([, t]) => t.n > limit).map(([id]) => id);
    const rate = `${max} per ${windowMs / 1000} s`;
    return exceedingWindows(ctx, candidates, sustainMs, limit).map((hit) => {
      const total = totals.get(hit.categoryId)!;
      const sdks = hit.sdks;
      const top = sdks[0] ?? { sdkId: null, sdk: null, n: 0 };
      const range = ctx.timeRange(hit.start, hit.end);
      const evidence = ctx.evidence(hit.categoryId, range.where, range.params);
      const who = sdks.map((s) => `${sdkLabel(s.sdk)} ${s.n}`).join(', ');
      return {
        rule: this.id,
        severity: hit.peak > limit * mediumFactor ? 'medium' : 'low',
        category: total.category,
        sdk: top.sdk,
        count: hit.count,
        evidence,
        scenarios: [total.category === 'device-id' || total.category === 'location' ? '1.2.4' : '1.2.2'],
        title: `${total.category} accessed ${hit.count}× within ${sustainMs / 1000} s (limit ${limit})`,
        detail:
          `The configured rate is ${rate} sustained over ${sustainMs / 1000} s (at most ${limit} accesses). ` +
          `From ${ctx.at(hit.start)} ${total.category} was accessed ${hit.count} times within ${sustainMs / 1000} s ` +
          `(peak ${hit.peak}) by ${who}; ${hit.busyBuckets} of ${hit.activeBuckets} active ${sustainMs / 1000}-s periods ` +
          `exceed the limit, ${total.n} accesses in the whole run. ${ctx.firstAccess(evidence[0])}`,
      };
    });
  },
};
