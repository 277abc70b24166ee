// 2.1.6: a permission the user refused in one launch is requested again in a later launch of
// the same run (the scenario relaunches the app). Needs ≥ 2 launches.
import { sdkLabel } from '../context.ts';
import { launchOf, launchTimes } from '../launches.ts';
import { readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

export const rerequestNextStart: Rule = {
  id: 'rerequest-next-start',
  severity: 'high',
  summary: 'a permission refused in one launch is requested again on the next start',
  run(ctx) {
    const launches = launchTimes(ctx);
    if (launches.length < 2) return 'the run has one launch: a relaunch step is needed to see the next start';
    const ev = readPermissionEvents(ctx);
    // Events by their position in `ev` (time order).
    const refused = new Map<string, number>();
    const hits = new Map<string, { refusal: number; again: number[] }>();
    for (let i = 0; i < ev.length; i++) {
      const e = ev.info[i]!;
      if (e.kind === 'result') {
        for (const [p, granted] of e.granted) {
          if (granted) refused.delete(p);
          else if (!refused.has(p)) refused.set(p, i);
        }
        continue;
      }
      for (const p of e.permissions) {
        const r = refused.get(p);
        if (r === undefined || launchOf(launches, ev.time[i]!) <= launchOf(launches, ev.time[r]!)) continue;
        const hit = hits.get(p) ?? { refusal: r, again: [] };
        // Events come in time order: only a name listed twice in this one request repeats it
        // (a scan of the list made a hostile app's thousands of requests quadratic).
        if (hit.again[hit.again.length - 1] !== i) hit.again.push(i);
        hits.set(p, hit);
      }
    }
    const out: FindingDraft[] = [];
    for (const [p, { refusal, again }] of hits) {
      const first = again[0]!;
      const firstTime = ev.time[first]!;
      const refusalTime = ev.time[refusal]!;
      out.push({
        rule: this.id,
        severity: this.severity,
        category: 'permission-request',
        sdk: ev.sdk(first),
        count: again.length,
        evidence: [refusal, ...again].slice(0, ctx.limits.evidence).map((i) => ev.id[i]!),
        title: `${shortPermission(p)} requested again on a later start after the user refused it`,
        detail:
          `The user refused ${p} at ${ctx.at(refusalTime)} in launch ${launchOf(launches, refusalTime) + 1}; after the ` +
          `app was started again (launch ${launchOf(launches, firstTime) + 1} at ` +
          `${ctx.at(launches[launchOf(launches, firstTime)]!)}), ${sdkLabel(ev.sdk(first))} requested it again at ` +
          `${again.map((a) => ctx.at(ev.time[a]!)).join(', ')}. ${ctx.firstAccess(ev.id[first]!)}`,
      });
    }
    return out;
  },
};
