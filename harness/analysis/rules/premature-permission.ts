// 2.1.7: a permission requested and granted during the first launch whose guarded data the app
// then does not use within `windowMs`: it asked before any function needed it. Permissions
// whose categories no hook covers are not judged, nor grants too close to the run's end.
import { streamRows, timeBase } from '../../store/event-rows.ts';
import { launchOf, launchTimes } from '../launches.ts';
import { readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';
import { guardedCategories } from './unused-dangerous-permission.ts';

export const prematurePermission: Rule = {
  id: 'premature-permission',
  severity: 'medium',
  summary:
    'a permission asked for at first open but not used by any function within the window after the grant',
  run(ctx) {
    const { windowMs } = ctx.limits.permissionUse;
    const launches = launchTimes(ctx);
    const lastEvent = ctx.groups.reduce((m, g) => Math.max(m, g.last), Number.NEGATIVE_INFINITY);
    // How long the run watched: the analysis may run before the run is ended (expectations).
    const stepsEnd = ctx.db
      .prepare<[number], number | null>('SELECT max(ended_at) FROM steps WHERE run_id = ?')
      .pluck()
      .get(ctx.run.id);
    const runEnd = Math.max(
      ctx.run.endedAt ?? Number.NEGATIVE_INFINITY,
      lastEvent,
      stepsEnd ?? Number.NEGATIVE_INFINITY,
    );
    const out: FindingDraft[] = [];
    const judged = new Set<string>();
    const base = timeBase(ctx.db, ctx.run.id); // event_rows.offset_ms + base = events.time
    const ev = readPermissionEvents(ctx);
    for (let i = 0; i < ev.length; i++) {
      if (ev.info[i]!.kind !== 'result' || launchOf(launches, ev.time[i]!) > 0) continue;
      const e = ev.at(i);
      for (const [p, granted] of e.granted) {
        if (!granted || judged.has(p)) continue;
        judged.add(p);
        const cats = guardedCategories(p);
        if (cats.length === 0 || e.time + windowMs > runEnd) continue;
        const hit = ctx.db
          .prepare<unknown[], { n: number }>(
            `SELECT count(*) AS n FROM ${streamRows(ctx.db, { range: true })} AND e.offset_ms >= ? AND e.offset_ms <= ?
             AND e.category_id IN (SELECT id FROM categories WHERE name IN (${cats.map(() => '?').join(', ')}))`,
          )
          .get(ctx.run.id, ...[0, 0].flatMap(() => [e.time - base, e.time + windowMs - base]), ...cats);
        if ((hit?.n ?? 0) > 0) continue;
        out.push({
          rule: this.id,
          severity: this.severity,
          category: cats[0]!,
          sdk: e.sdk,
          count: 1,
          evidence: [e.id],
          title: `${shortPermission(p)} granted at first open but unused for ${windowMs / 1000} s`,
          detail:
            `The user granted ${p} at ${ctx.at(e.time)} during the first launch; no access to ${cats.join(', ')} ` +
            `(what it guards) followed within ${windowMs / 1000} s. Asking before a function needs the permission ` +
            'pressures the user at first open.',
        });
      }
    }
    return out;
  },
};
