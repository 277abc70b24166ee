// A runtime permission requested again after the user refused it (within a window; by default
// 48 h, i.e. anywhere in a run). Nested reports of one request (ActivityCompat → Activity)
// within `dedupeMs` count once.
import { sdkLabel } from '../context.ts';
import { readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

export const permissionRerequest: Rule = {
  id: 'permission-rerequest',
  severity: 'high',
  summary: 'a permission requested again after the user refused it',
  run(ctx) {
    const { windowMs, dedupeMs } = ctx.limits.rerequest;
    const ev = readPermissionEvents(ctx);
    // Events by their position in `ev` (time order).
    const refused = new Map<string, number>();
    const lastRequest = new Map<string, number>();
    const lastResult = new Map<string, number>();
    const hits = new Map<string, { refusal: number; again: number[] }>();
    for (let i = 0; i < ev.length; i++) {
      const e = ev.info[i]!;
      const time = ev.time[i]!;
      if (e.kind === 'result') {
        for (const [p, granted] of e.granted) {
          lastResult.set(p, time);
          if (granted) refused.delete(p);
          else if (!refused.has(p)) refused.set(p, i);
        }
        continue;
      }
      for (const p of e.permissions) {
        const prev = lastRequest.get(p);
        lastRequest.set(p, time);
        // A repeat report of one request (ActivityCompat → Activity) has no answer in between.
        const answered = prev !== undefined && (lastResult.get(p) ?? Number.NEGATIVE_INFINITY) >= prev;
        if (prev !== undefined && time - prev <= dedupeMs && !answered) continue;
        const refusal = refused.get(p);
        if (refusal === undefined || time - ev.time[refusal]! > windowMs) continue;
        const hit = hits.get(p) ?? { refusal, again: [] };
        // Events come in time order: only a name listed twice in this one request repeats it
        // (a scan of the list made a hostile app's thousands of requests quadratic).
        if (hit.again[hit.again.length - 1] !== i) hit.again.push(i);
        hits.set(p, hit);
      }
    }
    const out: FindingDraft[] = [];
    for (const [p, { refusal, again }] of hits) {
      const first = again[0]!;
      const name = shortPermission(p);
      out.push({
        rule: this.id,
        severity: this.severity,
        category: 'permission-request',
        sdk: ev.sdk(first),
        // The events it covers: the refusal and each request after it (as every report counts).
        count: again.length + 1,
        evidence: [refusal, ...again].slice(0, ctx.limits.evidence).map((i) => ev.id[i]!),
        title: `${name} requested ${again.length}× again after the user refused it`,
        detail:
          `The user refused ${p} at ${ctx.at(ev.time[refusal]!)} (${ev.info[refusal]!.hook}); ${sdkLabel(ev.sdk(first))} requested it ` +
          `again at ${again.map((a) => ctx.at(ev.time[a]!)).join(', ')}` +
          ` — within ${windowMs / 3_600_000} h of the refusal. Asking again after a refusal pressures the user. ` +
          `${ctx.firstAccess(ev.id[first]!)}`,
      });
    }
    return out;
  },
};
