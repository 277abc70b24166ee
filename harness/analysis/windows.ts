// "More than `limit` events of one category within any sliding window of `width` ms", computed
// without a window function over the whole run: aligned buckets of `width` are counted with one
// GROUP BY; a sliding window lies within two adjacent buckets, so only bucket pairs whose sum
// exceeds the limit can hold one, and only their events are read to find the exact window.
import { streamRows, timeBase } from '../store/event-rows.ts';
import { lookupNames } from '../store/rollup-read.ts';
import type { AnalysisContext } from './context.ts';
import { pairFromSeconds } from './window-peak.ts';
import { bucketsFromSeconds, windowSdkCounts, windowSecondsReady } from './window-seconds.ts';

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
  /** Every SDK with events of the category in [start, end), most events first. */
  sdks: WindowSdk[];
}

export interface WindowSdk {
  sdkId: number | null;
  sdk: string | null;
  n: number;
}

export function exceedingWindows(
  ctx: AnalysisContext,
  categoryIds: readonly number[],
  width: number,
  limit: number,
): WindowHit[] {
  if (categoryIds.length === 0) return [];
  // One snapshot for the buckets, the window reads and the SDK counts from the per-second rows
  // (a writer may be appending to the run).
  return ctx.db.transaction(() => windowsIn(ctx, categoryIds, width, limit))();
}

function windowsIn(
  ctx: AnalysisContext,
  categoryIds: readonly number[],
  width: number,
  limit: number,
): WindowHit[] {
  // Whole-second widths: buckets aligned to the epoch, counted from the run's per-second roll-up
  // (a sliding window lies within two adjacent buckets whatever their alignment).
  const fromSeconds = width % 1000 === 0;
  // With the v12 roll-up stored: buckets summed in JS, a pair's windows from its per-second
  // counts and the edge seconds they leave open (window-peak.ts), the window's SDKs from its
  // seconds' rows (window-seconds.ts).
  const bySeconds = fromSeconds && windowSecondsReady(ctx, width);
  const origin = fromSeconds ? 0 : Number.isFinite(ctx.run.origin) ? ctx.run.origin : 0;
  const rows = bySeconds
    ? bucketsFromSeconds(ctx, categoryIds, width / 1000)
    : fromSeconds
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
  const base = timeBase(ctx.db, ctx.run.id);
  const hits: WindowHit[] = [];
  let read: ReturnType<typeof eventReader> | undefined;
  for (const [c, buckets] of byCat) {
    const count = new Map(buckets.map((x) => [x.b, x.n]));
    const busy = buckets.filter((x) => x.n > limit).length;
    const phases = phasesOf(ctx, c);
    for (const { b, n } of buckets) {
      if (n + (count.get(b + 1) ?? 0) <= limit) continue;
      let found: {
        first: { start: number; count: number } | null;
        peak: number;
        sdks?: Map<number | null, number>;
      };
      if (bySeconds) {
        // From the pair's per-second counts and the edge seconds of its open windows (window-peak.ts).
        found = pairFromSeconds(ctx, base, c, phases, b, width, limit);
      } else {
        read ??= eventReader(ctx, base);
        const lo = origin + b * width;
        const rows = read(c, phases, lo, lo + 2 * width);
        const os = rows.offsets;
        let first: { start: number; count: number } | null = null;
        let peak = 0;
        // Two pointers: for each event i as window start, j = first event at or after its time
        // + width (times = offsets + base).
        for (let i = 0, j = 0; i < os.length; i++) {
          const t = os[i]! + base;
          if (t >= lo + width) break;
          while (j < os.length && os[j]! + base < t + width) j++;
          const k = j - i;
          if (k > peak) peak = k;
          if (k > limit && !first) first = { start: t, count: k };
        }
        found = {
          first,
          peak,
          sdks: first ? countSdks(rows.parts, first.start - base, first.start + width - base) : undefined,
        };
      }
      const { first, peak } = found;
      if (!first) continue;
      hits.push({
        categoryId: c,
        start: first.start,
        end: first.start + width,
        count: first.count,
        peak,
        busyBuckets: busy,
        activeBuckets: buckets.length,
        sdks: sdksIn(
          ctx,
          found.sdks ?? windowSdkCounts(ctx, c, first.start - base, first.start + width - base, width),
        ),
      });
      break;
    }
  }
  return hits;
}

/**
 * Without the v12 roll-up: a pair's events read per phase, each read the stream's chunks
 * overlapping the window (streamRows) of the physical table (times are offsets from the run's
 * time base there). Offsets and SDKs come as two JSON arrays (one aggregate query steps both on
 * each row: they stay aligned), not a JS value per column of each row. The phases' arrays as
 * parsed, and all offsets sorted in a typed array (copied with set(), sorted without a
 * comparator): the offsets, not the times, so no loop adds the base to each; the window loop
 * adds it where it compares. Rounding is monotone, so the sorted offsets + base are the sorted
 * times, value for value.
 */
function eventReader(ctx: AnalysisContext, base: number) {
  const readIn = ctx.db
    .prepare<number[], [string, string]>(
      `SELECT json_group_array(e.offset_ms), json_group_array(e.sdk_id)
       FROM ${streamRows(ctx.db, { category: true, phase: true, range: true })}
         AND e.offset_ms >= ? AND e.offset_ms < ?`,
    )
    .raw(true);
  return (c: number, phases: readonly number[], from: number, to: number) => {
    const parts: { offsets: number[]; sdks: (number | null)[] }[] = [];
    let n = 0;
    for (const ph of phases) {
      const [o, s] = readIn.get(ctx.run.id, c, ph, from - base, to - base, from - base, to - base)!;
      const part = { offsets: JSON.parse(o) as number[], sdks: JSON.parse(s) as (number | null)[] };
      parts.push(part);
      n += part.offsets.length;
    }
    const offsets = new Float64Array(n);
    let at = 0;
    for (const part of parts) {
      offsets.set(part.offsets, at);
      at += part.offsets.length;
    }
    return { offsets: offsets.sort(), parts };
  };
}

/** The SDKs of the read events with offsets in [lo, hi), counted. */
function countSdks(
  parts: readonly { offsets: readonly number[]; sdks: readonly (number | null)[] }[],
  lo: number,
  hi: number,
): Map<number | null, number> {
  const counts = new Map<number | null, number>();
  for (const rows of parts)
    for (let i = 0; i < rows.offsets.length; i++) {
      const o = rows.offsets[i]!;
      if (o >= lo && o < hi) counts.set(rows.sdks[i]!, (counts.get(rows.sdks[i]!) ?? 0) + 1);
    }
  return counts;
}

/**
 * SDK counts, most first and then by name (NULL first, names in SQLite's BINARY order: UTF-8
 * bytes), as the GROUP BY that read them before.
 */
function sdksIn(ctx: AnalysisContext, counts: ReadonlyMap<number | null, number>): WindowSdk[] {
  const names = sdkNames(ctx);
  const byName = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : Buffer.compare(Buffer.from(a), Buffer.from(b));
  return [...counts]
    .map(([sdkId, n]) => ({ sdkId, sdk: sdkId === null ? null : (names.get(sdkId) ?? null), n }))
    .sort((a, b) => b.n - a.n || byName(a.sdk, b.sdk));
}

const names = new WeakMap<AnalysisContext, Map<number, string>>();

/** The run database's SDK names by id (read once per analysis). */
function sdkNames(ctx: AnalysisContext): Map<number, string> {
  let m = names.get(ctx);
  if (!m) {
    m = lookupNames(ctx.db, 'sdks');
    names.set(ctx, m);
  }
  return m;
}

/** The phases in which the run has events of a category (from the roll-up). */
function phasesOf(ctx: AnalysisContext, categoryId: number): number[] {
  return [...new Set(ctx.inCategory(categoryId).map((g) => g.phaseId))];
}
