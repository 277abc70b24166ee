// 2.1.6: a permission the user refused in one launch is requested again in a later launch of
// the same run (the scenario relaunches the app). Needs ≥ 2 launches.
import { sdkLabel } from '../context.ts';
import { launchOf, launchTimes } from '../launches.ts';
import { type PermissionEvent, readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

export const rerequestNextStart: Rule = {
  id: 'rerequest-next-start',
  severity: 'high',
  summary: 'a permission refused in one launch is requested again on the next start',
  run(ctx) {
    const launches = launchTimes(ctx);
    if (launches.length < 2) return 'the run has one launch: a relaunch step is needed to see the next start';
    const refused = new Map<string, PermissionEvent>();
    const hits = new Map<string, { refusal: PermissionEvent; again: PermissionEvent[] }>();
    for (const e of readPermissionEvents(ctx)) {
      if (e.kind === 'result') {
        for (const [p, granted] of e.granted) {
          if (granted) refused.delete(p);
          else if (!refused.has(p)) refused.set(p, e);
        }
        continue;
      }
      for (const p of e.permissions) {
        const r = refused.get(p);
        if (!r || launchOf(launches, e.time) <= launchOf(launches, r.time)) continue;
        const hit = hits.get(p) ?? { refusal: r, again: [] };
        if (!hit.again.includes(e)) hit.again.push(e);
        hits.set(p, hit);
      }
    }
    const out: FindingDraft[] = [];
    for (const [p, { refusal, again }] of hits) {
      const first = again[0]!;
      out.push({
        rule: this.id,
        severity: this.severity,
        category: 'permission-request',
        sdk: first.sdk,
        count: again.length,
        evidence: [refusal.id, ...again.map((a) => a.id)].slice(0, ctx.limits.evidence),
        title: `${shortPermission(p)} requested again on a later start after the user refused it`,
        detail:
          `The user refused ${p} at ${ctx.at(refusal.time)} in launch ${launchOf(launches, refusal.time) + 1}; after the ` +
          `app was started again (launch ${launchOf(launches, first.time) + 1} at ` +
          `${ctx.at(launches[launchOf(launches, first.time)]!)}), ${sdkLabel(first.sdk)} requested it again at ` +
          `${again.map((a) => ctx.at(a.time)).join(', ')}. ${ctx.firstAccess(first.id)}`,
      });
    }
    return out;
  },
};
