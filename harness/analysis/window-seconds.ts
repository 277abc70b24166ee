// The rate windows' reads when the run's v12 per-second roll-up is stored (exceedingWindows):
// its buckets summed in JS from one JSON read of the candidate categories' second rows, and the
// SDKs of the window found counted from the roll-up's per-second `sdks` for its whole seconds, so
// the window's events are read as offsets alone (the SDK column was a third of the read); the two
// partial seconds at its edges are read exactly, through their rows' id ranges (span-seconds.ts).
import { timeBase } from '../store/event-rows.ts';
import { preparedOnce } from '../store/prepared.ts';
import type { SecondBucket } from '../store/rollup-read.ts';
import { malformedSdks, secondSdks } from '../store/rollup-statements.ts';
import type { AnalysisContext } from './context.ts';
import { SECOND_FROM, secondReadsExact } from './span-seconds.ts';

/** Whether the run's windows (up to `width` ms) can be read this way (secondReadsExact). */
export function windowSecondsReady(ctx: AnalysisContext, width: number): boolean {
  return secondReadsExact(ctx, 2 * width);
}

/**
 * Run `runId`'s per-second counts of `categoryIds` summed into buckets of `per` whole seconds
 * (floor(second / per)), in (category, bucket) order: what readStoredBuckets' GROUP BY gives,
 * from one JSON read of the second rows (their sums in SQLite cost twice the read).
 */
export function bucketsFromSeconds(
  ctx: AnalysisContext,
  categoryIds: readonly number[],
  per: number,
): SecondBucket[] {
  if (categoryIds.length === 0) return [];
  const text = ctx.db
    .prepare<unknown[], [string, string, string]>(
      `SELECT json_group_array(category_id), json_group_array(second), json_group_array(n)
       FROM event_seconds WHERE run_id = ? AND category_id IN (${categoryIds.map(() => '?').join(', ')})`,
    )
    .raw(true)
    .get(ctx.run.id, ...categoryIds)!;
  const [c, s, n] = text.map((x) => JSON.parse(x) as number[]) as [number[], number[], number[]];
  const out: SecondBucket[] = [];
  let last: SecondBucket | undefined;
  let ordered = true;
  for (let i = 0; i < c.length; i++) {
    const b = Math.floor(s[i]! / per);
    if (last && last.c === c[i] && last.b === b) last.n += n[i]!;
    else {
      if (last && (c[i]! < last.c || (c[i] === last.c && b < last.b))) ordered = false;
      last = { c: c[i]!, b, n: n[i]! };
      out.push(last);
    }
  }
  if (ordered) return out;
  // Not in (category, second) order (the primary key's): merge equal buckets after sorting.
  out.sort((x, y) => x.c - y.c || x.b - y.b);
  const merged: SecondBucket[] = [];
  for (const x of out) {
    const m = merged[merged.length - 1];
    if (m && m.c === x.c && m.b === x.b) m.n += x.n;
    else merged.push({ ...x });
  }
  return merged;
}

/**
 * Per SDK (null: none) the events of category `c` with offsets in [lo, hi) (hi = lo + `width`, a
 * whole number of seconds w; lo's time in second s, so every event of the window lies in seconds
 * s … s + w): the seconds strictly between from their roll-up rows' `sdks`, the two edge seconds
 * from their events (windowSecondsReady: the roll-up's seconds are the offsets' seconds).
 */
export function windowSdkCounts(
  ctx: AnalysisContext,
  c: number,
  lo: number,
  hi: number,
  width: number,
): Map<number | null, number> {
  const base = timeBase(ctx.db, ctx.run.id);
  const s = Math.floor((lo + base) / 1000);
  const last = s + width / 1000;
  const counts = new Map<number | null, number>();
  const whole = preparedOnce(
    ctx.db,
    'SELECT sdks FROM event_seconds WHERE run_id = ? AND category_id = ? AND second > ? AND second < ?',
  )
    .pluck()
    .all(ctx.run.id, c, s, last) as (string | null)[];
  try {
    for (const text of whole) if (text) secondSdks(text, counts);
  } catch {
    throw malformedSdks(ctx.db, ctx.run.id);
  }
  const [o, k] = (
    preparedOnce(
      ctx.db,
      `SELECT json_group_array(e.offset_ms), json_group_array(e.sdk_id) FROM ${SECOND_FROM}
       WHERE q.run_id = @run AND q.category_id = @c AND q.second IN (@s, @last)
         AND floor((@base + e.offset_ms) / 1000) = q.second`,
    )
      .raw(true)
      .get({ run: ctx.run.id, c, s, last, base }) as string[]
  ).map((x) => JSON.parse(x) as (number | null)[]) as [number[], (number | null)[]];
  for (let i = 0; i < o.length; i++)
    if (o[i]! >= lo && o[i]! < hi) counts.set(k[i]!, (counts.get(k[i]!) ?? 0) + 1);
  return counts;
}
