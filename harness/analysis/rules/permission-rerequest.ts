// A runtime permission requested again after the user refused it (within a window; by default
// 48 h, i.e. anywhere in a run). Nested reports of one request (ActivityCompat → Activity)
// within `dedupeMs` count once.
import { sdkLabel } from '../context.ts';
import { type PermissionEvent, readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

export const permissionRerequest: Rule = {
  id: 'permission-rerequest',
  severity: 'high',
  summary: 'a permission requested again after the user refused it',
  run(ctx) {
    const { windowMs, dedupeMs } = ctx.limits.rerequest;
    const refused = new Map<string, PermissionEvent>();
    const lastRequest = new Map<string, number>();
    const lastResult = new Map<string, number>();
    const hits = new Map<string, { refusal: PermissionEvent; again: PermissionEvent[] }>();
    for (const e of readPermissionEvents(ctx)) {
      if (e.kind === 'result') {
        for (const [p, granted] of e.granted) {
          lastResult.set(p, e.time);
          if (granted) refused.delete(p);
          else if (!refused.has(p)) refused.set(p, e);
        }
        continue;
      }
      for (const p of e.permissions) {
        const prev = lastRequest.get(p);
        lastRequest.set(p, e.time);
        // A repeat report of one request (ActivityCompat → Activity) has no answer in between.
        const answered = prev !== undefined && (lastResult.get(p) ?? Number.NEGATIVE_INFINITY) >= prev;
        if (prev !== undefined && e.time - prev <= dedupeMs && !answered) continue;
        const refusal = refused.get(p);
        if (!refusal || e.time - refusal.time > windowMs) continue;
        const hit = hits.get(p) ?? { refusal, again: [] };
        // Events come in time order: only a name listed twice in this one request repeats it
        // (a scan of the list made a hostile app's thousands of requests quadratic).
        if (hit.again[hit.again.length - 1] !== e) hit.again.push(e);
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
        sdk: first.sdk,
        // The events it covers: the refusal and each request after it (as every report counts).
        count: again.length + 1,
        evidence: [refusal.id, ...again.map((a) => a.id)].slice(0, ctx.limits.evidence),
        title: `${name} requested ${again.length}× again after the user refused it`,
        detail:
          `The user refused ${p} at ${ctx.at(refusal.time)} (${refusal.hook}); ${sdkLabel(first.sdk)} requested it ` +
          `again at ${again.map((a) => ctx.at(a.time)).join(', ')}` +
          ` — within ${windowMs / 3_600_000} h of the refusal. Asking again after a refusal pressures the user. ` +
          `${ctx.firstAccess(first.id)}`,
      });
    }
    return out;
  },
};
