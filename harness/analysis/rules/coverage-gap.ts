// The platform's own access record (AppOps, `appops get` after the run) shows an operation during
// the run that no hook saw: a blind spot of the catalog, or an access by a path we do not hook.

import { appOpCategory, parseAndroidDuration } from '../../device/android/adb-appops.ts';
import { isPersonal } from '../context.ts';
import type { FindingDraft, Rule } from '../types.ts';

/**
 * `appops.last_access` as stored: ms since the epoch, ISO 8601, or the relative text `appops get`
 * prints ("+1m2s345ms ago", "time=+12s ago"), resolved against `now` (the after-snapshot time).
 */
export function parseLastAccess(text: string | null, now: number): number | undefined {
  if (text === null) return undefined;
  const t = text.trim().replace(/^time=/, '');
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const rel = /^([+-]?\S+?)(?:\s+ago)?$/.exec(t);
  const d = rel?.[1] ? parseAndroidDuration(rel[1]) : undefined;
  if (d !== undefined) return now - Math.abs(d);
  const iso = Date.parse(t);
  return Number.isNaN(iso) ? undefined : iso;
}

export const coverageGap: Rule = {
  id: 'coverage-gap',
  severity: 'low',
  summary: 'AppOps saw an operation during the run that no hook reported',
  run(ctx) {
    const rows = ctx.db
      .prepare<[number], { id: number; op: string; mode: string | null; last_access: string | null }>(
        `SELECT id, op, mode, last_access FROM appops WHERE run_id = ? AND "when" = 'after' ORDER BY op`,
      )
      .all(ctx.run.id);
    if (rows.length === 0) return 'no AppOps snapshot (appops, when = after) for this run';
    const lastEvent = ctx.groups.reduce((m, g) => Math.max(m, g.last), Number.NEGATIVE_INFINITY);
    const end = ctx.run.endedAt ?? (Number.isFinite(lastEvent) ? lastEvent : ctx.run.startedAt);
    const start = Math.min(
      ctx.run.startedAt,
      Number.isFinite(ctx.run.origin) ? ctx.run.origin : ctx.run.startedAt,
    );
    const slack = ctx.limits.appops.slackMs;
    const seen = new Set<string>(ctx.groups.map((g) => g.category));
    const hooks = ctx.db
      .prepare<[number], { state: string; n: number }>(
        'SELECT state, count(*) AS n FROM hook_status WHERE run_id = ? GROUP BY state ORDER BY state',
      )
      .all(ctx.run.id);
    const hookNote = hooks.length ? ` Hook status: ${hooks.map((h) => `${h.n} ${h.state}`).join(', ')}.` : '';
    const out: FindingDraft[] = [];
    for (const r of rows) {
      const category = appOpCategory(r.op);
      const at = parseLastAccess(r.last_access, end);
      if (!category || at === undefined || seen.has(category)) continue;
      if (at < start - slack || at > end + slack) continue;
      out.push({
        rule: this.id,
        severity: isPersonal(category) ? 'low' : 'info',
        category,
        sdk: null,
        count: 0,
        evidence: [],
        title: `AppOps recorded ${r.op} during the run; no hook saw any ${category} access`,
        detail:
          `The platform's AppOps record after the run shows ${r.op} (mode ${r.mode ?? '?'}) last accessed ` +
          `${r.last_access} (≈ ${ctx.at(at)}), but the trace has no ${category} event: the access went through ` +
          `an API the hook catalog does not cover, or a hook was not installed.${hookNote}`,
      });
    }
    return out;
  },
};
