// "More than `limit` events of one category within any sliding window of `width` ms", computed
// without a window function over the whole run: aligned buckets of `width` are counted with one
// GROUP BY; a sliding window lies within two adjacent buckets, so only bucket pairs whose sum
// exceeds the limit can hold one, and only their events are read to find the exact window.
import { streamRows, timeBase } from '../store/event-rows.ts';
import type { AnalysisContext } from './context.ts';

export interface WindowHit {
  categoryId: number;
  /** Start of the first sliding window holding more than `limit` events. */
  start: number;
  end: number;
  /** Events in that window. */
  count: number;
  /** Largest count of any window starting in the examined buckets. */
  peak: number;
  /** Aligned buckets that alone exceed the limit (a lower bound of how long it lasted). */
  busyBuckets: number;
  /** Buckets with any event of the category. */
  activeBuckets: number;
}

export function exceedingWindows(
  ctx: AnalysisContext,
  categoryIds: readonly number[],
  width: number,
  limit: number,
): WindowHit[] {
  if (categoryIds.length === 0) return [];
  // Whole-second widths: buckets aligned to the epoch, counted from the run's per-second roll-up
  // (a sliding window lies within two adjacent buckets whatever their alignment).
  const fromSeconds = width % 1000 === 0;
  const origin = fromSeconds ? 0 : Number.isFinite(ctx.run.origin) ? ctx.run.origin : 0;
  const rows = fromSeconds
    ? ctx.secondBuckets(categoryIds, width / 1000)
    : (ctx.db
        .prepare(
          `SELECT category_id AS c, CAST((time - ?) / ? AS INTEGER) AS b, count(*) AS n FROM events
       WHERE run_id = ? AND category_id IN (${categoryIds.map(() => '?').join(', ')})
       GROUP BY category_id, b ORDER BY category_id, b`,
        )
        .all(origin, width, ctx.run.id, ...categoryIds) as { c: number; b: number; n: number }[]);
  const byCat = new Map<number, { b: number; n: number }[]>();
  for (const r of rows) {
    const list = byCat.get(r.c) ?? [];
    list.push({ b: r.b, n: r.n });
    byCat.set(r.c, list);
  }
  // Per phase, so each read is the stream's chunks overlapping the window (streamRows) of the
  // physical table (times are offsets from the run's time base there).
  const base = timeBase(ctx.db, ctx.run.id);
  const timesIn = ctx.db
    .prepare<number[], number>(
      `SELECT e.offset_ms + ? FROM ${streamRows(ctx.db, { category: true, phase: true, range: true })}
         AND e.offset_ms >= ? AND e.offset_ms < ?`,
    )
    .pluck();
  const times = {
    all(run: number, c: number, from: number, to: number): Float64Array {
      const lists = phasesOf(ctx, c).map((ph) =>
        timesIn.all(base, run, c, ph, from - base, to - base, from - base, to - base),
      );
      const out = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
      let at = 0;
      for (const l of lists) {
        out.set(l, at);
        at += l.length;
      }
      // A typed array sorts numerically without a comparator call per comparison.
      return out.sort();
    },
  };
  const hits: WindowHit[] = [];
  for (const [c, buckets] of byCat) {
    const count = new Map(buckets.map((x) => [x.b, x.n]));
    const busy = buckets.filter((x) => x.n > limit).length;
    for (const { b, n } of buckets) {
      if (n + (count.get(b + 1) ?? 0) <= limit) continue;
      const lo = origin + b * width;
      const ts = times.all(ctx.run.id, c, lo, lo + 2 * width);
      let first: { start: number; count: number } | null = null;
      let peak = 0;
      // Two pointers: for each event i as window start, j = first event at or after ts[i] + width.
      for (let i = 0, j = 0; i < ts.length; i++) {
        if (ts[i]! >= lo + width) break;
        while (j < ts.length && ts[j]! < ts[i]! + width) j++;
        const k = j - i;
        if (k > peak) peak = k;
        if (k > limit && !first) first = { start: ts[i]!, count: k };
      }
      if (first) {
        hits.push({
          categoryId: c,
          start: first.start,
          end: first.start + width,
          count: first.count,
          peak,
          busyBuckets: busy,
          activeBuckets: buckets.length,
        });
        break;
      }
    }
  }
  return hits;
}

/** The SDK with most events of a category in [start, end), and every contributor. */
export function windowSdks(
  ctx: AnalysisContext,
  categoryId: number,
  start: number,
  end: number,
): { sdkId: number | null; sdk: string | null; n: number }[] {
  // Per phase in one statement: ranges of the (run, category, phase, time) index.
  const phases = phasesOf(ctx, categoryId);
  return ctx.db
    .prepare(
      // Counted first, then named: a name looked up per SDK, not per event.
      `SELECT g.sdk_id AS sdkId, sd.name AS sdk, g.n AS n FROM (SELECT e.sdk_id AS sdk_id, count(*) AS n
         FROM ${streamRows(ctx.db, { category: true, phase: phases.length, range: true })}
           AND e.offset_ms >= ? AND e.offset_ms < ?
         GROUP BY e.sdk_id) g LEFT JOIN sdks sd ON sd.id = g.sdk_id
       ORDER BY g.n DESC, sd.name`,
    )
    .all(ctx.run.id, categoryId, ...phases, ...span(ctx, start, end), ...span(ctx, start, end)) as {
    sdkId: number | null;
    sdk: string | null;
    n: number;
  }[];
}

/** The phases in which the run has events of a category (from the roll-up). */
function phasesOf(ctx: AnalysisContext, categoryId: number): number[] {
  return [...new Set(ctx.groups.filter((g) => g.categoryId === categoryId).map((g) => g.phaseId))];
}

/** [start, end) in ms since the epoch as offsets from the run's time base. */
const span = (ctx: AnalysisContext, start: number, end: number) => [start - base(ctx), end - base(ctx)];

/** The run's time base (event_rows.offset_ms + base = events.time). */
const base = (ctx: AnalysisContext) => timeBase(ctx.db, ctx.run.id);
