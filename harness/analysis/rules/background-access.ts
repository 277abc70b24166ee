// Personal data accessed while the app was in the background: the event's own foreground flag,
// or a background span of its process in the lifecycle table ([background, next foreground)).
import type { AnalysisContext } from '../context.ts';
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';

interface BgSpan {
  processId: number;
  start: number;
  end: number;
}

function backgroundSpans(ctx: AnalysisContext): BgSpan[] {
  const rows = ctx.db
    .prepare<[number], { processId: number; time: number; kind: string }>(
      `SELECT process_id AS processId, time, kind FROM lifecycle
       WHERE run_id = ? AND kind IN ('foreground', 'background') ORDER BY process_id, time, id`,
    )
    .all(ctx.run.id);
  const spans: BgSpan[] = [];
  let open: BgSpan | null = null;
  for (const r of rows) {
    if (open && (open.processId !== r.processId || r.kind === 'foreground')) {
      if (open.processId === r.processId) open.end = r.time;
      spans.push(open);
      open = null;
    }
    if (!open && r.kind === 'background')
      open = { processId: r.processId, start: r.time, end: Number.POSITIVE_INFINITY };
  }
  if (open) spans.push(open);
  return spans;
}

export const backgroundAccess: Rule = {
  id: 'background-access',
  severity: 'medium',
  summary: 'personal data accessed while the app was in the background',
  run(ctx) {
    const spans = backgroundSpans(ctx);
    // Events flagged foreground but inside a lifecycle background span (the flag lagged).
    const spanSql = spans.map(() => '(process_id = ? AND time >= ? AND time < ?)').join(' OR ');
    const spanParams = spans.flatMap((s) => [s.processId, s.start, Number.isFinite(s.end) ? s.end : 1e300]);
    const where = spans.length ? `foreground = 0 OR (foreground = 1 AND (${spanSql}))` : 'foreground = 0';
    // Per (category, phase) and span, the index narrows each query to the span's time range.
    const counts = new Map<string, { n: number; first: number; last: number }>();
    const inSpan = ctx.db.prepare<unknown[], { s: number | null; n: number; first: number; last: number }>(
      `SELECT sdk_id AS s, count(*) AS n, min(time) AS first, max(time) AS last FROM events
       WHERE run_id = ? AND category_id = ? AND phase_id = ? AND time >= ? AND time < ?
         AND foreground = 1 AND process_id = ? GROUP BY sdk_id`,
    );
    const pairs = new Set<string>();
    for (const g of ctx.groups)
      if (isPersonal(g.category) && g.foreground) pairs.add(`${g.categoryId}/${g.phaseId}`);
    for (const pair of pairs) {
      const [c, ph] = pair.split('/').map(Number) as [number, number];
      for (const sp of spans) {
        for (const r of inSpan.all(
          ctx.run.id,
          c,
          ph,
          sp.start,
          Number.isFinite(sp.end) ? sp.end : 1e300,
          sp.processId,
        )) {
          const key = `${c}/${r.s}`;
          const m = counts.get(key);
          if (!m) counts.set(key, { n: r.n, first: r.first, last: r.last });
          else {
            m.n += r.n;
            m.first = Math.min(m.first, r.first);
            m.last = Math.max(m.last, r.last);
          }
        }
      }
    }
    const merged = new Map(
      ctx
        .byCategorySdk((g) => isPersonal(g.category) && !g.foreground)
        .map((g) => [`${g.categoryId}/${g.sdkId}`, g]),
    );
    for (const g of ctx.byCategorySdk((x) => isPersonal(x.category) && x.foreground)) {
      const extra = counts.get(`${g.categoryId}/${g.sdkId}`);
      if (!extra) continue;
      const key = `${g.categoryId}/${g.sdkId}`;
      const m = merged.get(key);
      if (m) {
        m.n += extra.n;
        m.first = Math.min(m.first, extra.first);
        m.last = Math.max(m.last, extra.last);
      } else merged.set(key, { ...g, n: extra.n, first: extra.first, last: extra.last });
    }
    return [...merged.values()]
      .sort((a, b) => a.first - b.first)
      .map((g) => {
        const evidence = ctx.groupEvidence(
          g,
          where,
          spans.length ? spanParams : [],
          (x) => spans.length > 0 || !x.foreground,
        );
        const who = sdkLabel(g.sdk);
        return {
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: g.n,
          evidence,
          title: `${g.category} accessed ${g.n}× in the background by ${sdkShort(g.sdk)}`,
          detail:
            `${who} accessed ${g.category} ${g.n} time(s) while the app was not in the foreground, when the user ` +
            `cannot see or expect it. ${ctx.firstAccess(evidence[0])} Last at ${ctx.at(g.last)}.`,
        };
      });
  },
};
