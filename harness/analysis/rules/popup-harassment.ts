// Notifications, dialogs, toasts and overlays shown more often than a limit per sliding window
// (default more than 3 of one kind within any 60 s).
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { sdkLabel } from '../context.ts';
import { popupTextsOf } from '../popup-texts.ts';
import type { Rule } from '../types.ts';
import { exceedingWindows } from '../windows.ts';

export const popupHarassment: Rule = {
  id: 'popup-harassment',
  severity: 'medium',
  summary: 'notifications, dialogs, toasts or overlays shown too often',
  run(ctx) {
    const { max, windowMs, kinds } = ctx.limits.popups;
    const names = new Map<number, DataCategory>();
    for (const g of ctx.groups) if (kinds.includes(g.category)) names.set(g.categoryId, g.category);
    return exceedingWindows(ctx, [...names.keys()], windowMs, max).map((hit) => {
      const kind = names.get(hit.categoryId)!;
      const sdks = hit.sdks;
      const top = sdks[0] ?? { sdkId: null, sdk: null, n: 0 };
      const range = ctx.timeRange(hit.start, hit.end);
      const evidence = ctx.evidence(hit.categoryId, range.where, range.params);
      const texts = popupTextsOf(ctx.db, evidence);
      return {
        rule: this.id,
        severity: this.severity,
        category: kind,
        sdk: top.sdk,
        count: hit.count,
        evidence,
        title: `${hit.count} ${kind}s within ${windowMs / 1000} s (limit ${max})`,
        detail:
          `From ${ctx.at(hit.start)} the app showed ${hit.count} ${kind}s within ${windowMs / 1000} s ` +
          `(peak ${hit.peak}; limit ${max} per ${windowMs / 1000} s), from ${sdks.map((s) => `${sdkLabel(s.sdk)} ${s.n}`).join(', ')}. ` +
          `${texts.length ? `Texts: ${texts.join('; ')}. ` : ''}${ctx.firstAccess(evidence[0])}`,
      };
    });
  },
};
