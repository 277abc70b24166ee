// Personal data accessed while the APP was in the background. "Background" is an app-level
// state taken from the main process's lifecycle (processes named like the package): from a
// `background` message until the next `foreground`. Helper processes (":push") have no
// activities, so their own foreground flag says nothing; they are judged by the main process.
// Before the main process first comes to the foreground the app is starting (a cold launch runs
// Application.onCreate before any activity resumes): not background. A trace without any
// main-process lifecycle falls back to each event's own foreground flag.
// Speed: the flag case reuses the context's one-pass aggregate; spans read the per-second
// roll-ups and their edge seconds (span-seconds.ts), or, without them (a read-only database
// older than v12, a run not rolled up), the chunks overlapping them.
import { streamRows, timeBase } from '../../store/event-rows.ts';
import type { AnalysisContext, EventGroup } from '../context.ts';
import { isPersonal, sdkLabel, sdkShort } from '../context.ts';
import { keyOf, type SpanGroup, SpanSeconds, spanSecondsReady } from '../span-seconds.ts';
import type { Rule } from '../types.ts';

interface BackgroundFilter {
  /** [start, end) spans of app-level background time; null = no lifecycle, use the event flag. */
  spans: [number, number][] | null;
  /** SQL over `events` columns selecting background events, with its parameters. */
  where: string;
  params: unknown[];
}

function backgroundFilter(ctx: AnalysisContext): BackgroundFilter {
  const flagOnly: BackgroundFilter = { spans: null, where: 'foreground = 0', params: [] };
  const main = ctx.db
    .prepare<[number, string], { id: number }>('SELECT id FROM processes WHERE run_id = ? AND name = ?')
    .all(ctx.run.id, ctx.run.package)
    .map((r) => r.id);
  if (main.length === 0) return flagOnly;
  const rows = ctx.db
    .prepare<unknown[], { time: number; kind: 'foreground' | 'background' }>(
      `SELECT time, kind FROM lifecycle WHERE run_id = ? AND kind IN ('foreground', 'background')
         AND process_id IN (${main.map(() => '?').join(',')}) ORDER BY time, id`,
    )
    .all(ctx.run.id, ...main);
  if (!rows.some((r) => r.kind === 'foreground')) return flagOnly;
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
  if (spans.length === 0) return { spans, where: '0', params: [] };
  return { spans, where: spans.map(() => '(time >= ? AND time < ?)').join(' OR '), params: spans.flat() };
}

type Counted = EventGroup | (SpanGroup & { category: EventGroup['category']; sdk: string | null });

/** Background events per (category, sdk): the pre-aggregated groups, or chunk reads per span. */
function backgroundGroups(
  ctx: AnalysisContext,
  filter: BackgroundFilter,
  seconds: SpanSeconds | null,
): Counted[] {
  if (filter.spans === null) return ctx.byCategorySdk((g) => isPersonal(g.category) && !g.foreground);
  if (seconds) {
    // SDK and category names (not in the groups: the framework's own checks), and a (category,
    // SDK)'s last event in the run, from the roll-up's groups: one pass, keyed by numbers (keyOf).
    const sdkNames = new Map<number | null, string | null>();
    const names = new Map<number, EventGroup['category']>();
    const last = new Map<number | string, number>();
    for (const g of ctx.groups) {
      sdkNames.set(g.sdkId, g.sdk);
      names.set(g.categoryId, g.category);
      const key = keyOf(g.categoryId, g.sdkId);
      last.set(key, Math.max(last.get(key) ?? g.last, g.last));
    }
    return seconds
      .groups(
        filter.spans,
        (s) => sdkNames.has(s),
        (c, s) => last.get(keyOf(c, s)),
      )
      .map((g) => ({ ...g, category: names.get(g.categoryId)!, sdk: sdkNames.get(g.sdkId) ?? null }));
  }
  // The physical table through the category's chunks: offsets from the run's time base.
  const base = timeBase(ctx.db, ctx.run.id);
  // Per category and span, one statement over the category's phases (their chunks in the span).
  const byCategory = new Map<number, { g: EventGroup; phases: Set<number> }>();
  for (const g of ctx.groups) {
    if (!isPersonal(g.category)) continue;
    const c = byCategory.get(g.categoryId);
    if (c) c.phases.add(g.phaseId);
    else byCategory.set(g.categoryId, { g, phases: new Set([g.phaseId]) });
  }
  const sdkNames = new Map(ctx.groups.map((g) => [g.sdkId, g.sdk]));
  const out = new Map<string, Counted>();
  for (const { g, phases } of byCategory.values()) {
    const inSpan = ctx.db.prepare<unknown[], { s: number | null; n: number; first: number; last: number }>(
      `SELECT e.sdk_id AS s, count(*) AS n, min(e.offset_ms) + ? AS first, max(e.offset_ms) + ? AS last
       FROM ${streamRows(ctx.db, { category: true, phase: phases.size, range: true })}
         AND e.offset_ms >= ? AND e.offset_ms < ? GROUP BY e.sdk_id`,
    );
    for (const [from, to] of filter.spans) {
      const span = [from - base, to - base];
      for (const r of inSpan.all(base, base, ctx.run.id, g.categoryId, ...phases, ...span, ...span)) {
        if (!sdkNames.has(r.s)) continue; // not in the groups: the framework's own checks
        const key = `${g.categoryId}/${r.s}`;
        const m = out.get(key);
        if (m) {
          m.n += r.n;
          m.first = Math.min(m.first, r.first);
          m.last = Math.max(m.last, r.last);
        } else
          out.set(key, {
            ...g,
            sdkId: r.s,
            sdk: sdkNames.get(r.s) ?? null,
            n: r.n,
            first: r.first,
            last: r.last,
          });
      }
    }
  }
  return [...out.values()];
}

export const backgroundAccess: Rule = {
  id: 'background-access',
  severity: 'medium',
  summary: 'personal data accessed while the app was in the background',
  run(ctx) {
    const filter = backgroundFilter(ctx);
    const personal = [...new Set(ctx.groups.filter((g) => isPersonal(g.category)).map((g) => g.categoryId))];
    const seconds =
      filter.spans !== null && filter.spans.length > 0 && personal.length > 0 && spanSecondsReady(ctx)
        ? new SpanSeconds(ctx, personal)
        : null;
    return backgroundGroups(ctx, filter, seconds)
      .sort((a, b) => a.first - b.first || a.categoryId - b.categoryId)
      .map((g) => {
        // Flag case: the background groups' own samples; spans: one chunk read per span, in
        // time order, until the evidence is complete (an OR of all spans walks the category).
        let evidence: number[];
        if (filter.spans === null) evidence = ctx.groupEvidence(g, '1', [], (x) => !x.foreground);
        else if (seconds && 'parts' in g) evidence = seconds.evidence(g, filter.spans, ctx.limits.evidence);
        else {
          evidence = [];
          for (const [from, to] of filter.spans) {
            if (evidence.length >= ctx.limits.evidence) break;
            const range = ctx.timeRange(from, to);
            evidence.push(...ctx.groupEvidence(g, range.where, range.params));
          }
          evidence = evidence.slice(0, ctx.limits.evidence);
        }
        return {
          rule: this.id,
          severity: this.severity,
          category: g.category,
          sdk: g.sdk,
          count: g.n,
          evidence,
          // MIIT: an SDK reading in the background is 1.2.7, the app itself 1.2.5.
          scenarios: [g.sdk === null || g.sdk === 'app' ? '1.2.5' : '1.2.7'],
          title: `${g.category} accessed ${g.n}× in the background by ${sdkShort(g.sdk)}`,
          detail:
            `${sdkLabel(g.sdk)} accessed ${g.category} ${g.n} time(s) while the app was not in the foreground, ` +
            `when the user cannot see or expect it. ${ctx.firstAccess(evidence[0])} Last at ${ctx.at(g.last)}.`,
        };
      });
  },
};
