// Personal data accessed while the APP was in the background. "Background" is an app-level
// state taken from the main process's lifecycle (processes named like the package): from a
// `background` message until the next `foreground`. Helper processes (":push") have no
// activities, so their own foreground flag says nothing; they are judged by the main process.
// Before the main process first comes to the foreground the app is starting (a cold launch runs
// Application.onCreate before any activity resumes): not background. A trace without any
// main-process lifecycle falls back to each event's own foreground flag.
import type { AnalysisContext } from '../context.ts';
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import type { Rule } from '../types.ts';

interface BackgroundFilter {
  /** SQL over `events` columns selecting background events. */
  where: string;
  params: unknown[];
}

function backgroundFilter(ctx: AnalysisContext): BackgroundFilter {
  const main = ctx.db
    .prepare<[number, string], { id: number }>('SELECT id FROM processes WHERE run_id = ? AND name = ?')
    .all(ctx.run.id, ctx.run.package)
    .map((r) => r.id);
  if (main.length === 0) return { where: 'foreground = 0', params: [] };
  const rows = ctx.db
    .prepare<unknown[], { time: number; kind: 'foreground' | 'background' }>(
      `SELECT time, kind FROM lifecycle WHERE run_id = ? AND kind IN ('foreground', 'background')
         AND process_id IN (${main.map(() => '?').join(',')}) ORDER BY time, id`,
    )
    .all(ctx.run.id, ...main);
  const firstForeground = rows.find((r) => r.kind === 'foreground')?.time;
  if (firstForeground === undefined) return { where: 'foreground = 0', params: [] };
  const spans: [number, number][] = [];
  let start: number | null = null;
  for (const r of rows) {
    if (r.kind === 'background' && start === null) start = r.time;
    else if (r.kind === 'foreground' && start !== null) {
      spans.push([start, r.time]);
      start = null;
    }
  }
  if (start !== null) spans.push([start, 1e300]);
  const clauses = spans.map(() => '(time >= ? AND time < ?)');
  // The main process's own flag after it was first shown (covers a lost lifecycle message).
  clauses.push(`(process_id IN (${main.map(() => '?').join(',')}) AND foreground = 0 AND time >= ?)`);
  return { where: clauses.join(' OR '), params: [...spans.flat(), ...main, firstForeground] };
}

export const backgroundAccess: Rule = {
  id: 'background-access',
  severity: 'medium',
  summary: 'personal data accessed while the app was in the background',
  run(ctx) {
    const filter = backgroundFilter(ctx);
    const groups = ctx.db
      .prepare<
        unknown[],
        { categoryId: number; sdkId: number | null; n: number; first: number; last: number }
      >(
        `SELECT category_id AS categoryId, sdk_id AS sdkId, count(*) AS n, min(time) AS first, max(time) AS last
         FROM events WHERE run_id = ? AND (${filter.where}) GROUP BY category_id, sdk_id`,
      )
      .all(ctx.run.id, ...filter.params);
    const names = new Map(ctx.groups.map((g) => [`${g.categoryId}/${g.sdkId}`, g]));
    return groups
      .flatMap((row) => {
        const g = names.get(`${row.categoryId}/${row.sdkId}`);
        return g && isPersonal(g.category) ? [{ ...g, n: row.n, first: row.first, last: row.last }] : [];
      })
      .sort((a, b) => a.first - b.first || a.categoryId - b.categoryId)
      .map((g) => {
        const evidence = ctx.groupEvidence(g, filter.where, filter.params);
        return {
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: g.n,
          evidence,
          title: `${g.category} accessed ${g.n}× in the background by ${sdkShort(g.sdk)}`,
          detail:
            `${sdkLabel(g.sdk)} accessed ${g.category} ${g.n} time(s) while the app was not in the foreground, ` +
            `when the user cannot see or expect it. ${ctx.firstAccess(evidence[0])} Last at ${ctx.at(g.last)}.`,
        };
      });
  },
};
