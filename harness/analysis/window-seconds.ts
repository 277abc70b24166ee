// The rate windows' reads when the run's v12 per-second roll-up is stored (exceedingWindows):
// its buckets summed in JS from one JSON read of the candidate categories' second rows, and the
// SDKs of the window found counted from the roll-up's per-second `sdks` for its whole seconds, so
// the window's events are read as offsets alone (the SDK column was a third of the read); the two
// partial seconds at its edges are read exactly, through their rows' id ranges (span-seconds.ts).
import { CHUNK_BITS, CHUNK_MASK, hasEventChunks, timeBase } from '../store/event-rows.ts';
import { rollupStored, type SecondBucket } from '../store/rollup-read.ts';
import { hasSecondSdks, secondSdks } from '../store/rollup-statements.ts';
import type { AnalysisContext } from './context.ts';

/**
 * Whether the run's windows can be read this way: v12 roll-ups stored, and every event time t
 * (and t + the widest window) within [base / 2, 2 × base] of the run's time base, where
 * `t − base` and `offset + base` are exact (Sterbenz): the roll-up's second of an event,
 * floor(t / 1000), is then floor((offset + base) / 1000), and comparing offsets is comparing times.
 */
export function windowSecondsReady(ctx: AnalysisContext, width: number): boolean {
  if (!(hasEventChunks(ctx.db) && hasSecondSdks(ctx.db) && rollupStored(ctx.db, ctx.run.id))) return false;
  const base = timeBase(ctx.db, ctx.run.id);
  if (!(base > 0)) return false;
  for (const g of ctx.groups) if (g.first < base / 2 || g.last + 2 * width > 2 * base) return false;
  return true;
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

/** Rows of event_rows `e` of the (category, phase, second) rows `q`, within their stream's chunks. */
const SECOND_FROM = `event_seconds q
  CROSS JOIN event_chunks k ON k.chunk BETWEEN q.first_id >> ${CHUNK_BITS} AND q.last_id >> ${CHUNK_BITS}
    AND +k.run_id = q.run_id AND +k.category_id = q.category_id AND +k.phase_id = q.phase_id
  CROSS JOIN event_rows e ON e.id BETWEEN max(q.first_id, k.chunk << ${CHUNK_BITS})
    AND min(q.last_id, (k.chunk << ${CHUNK_BITS}) | ${CHUNK_MASK})`;

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
  const whole = ctx.db
    .prepare<[number, number, number, number], string>(
      'SELECT sdks FROM event_seconds WHERE run_id = ? AND category_id = ? AND second > ? AND second < ?',
    )
    .pluck()
    .all(ctx.run.id, c, s, last);
  for (const text of whole) if (text) secondSdks(text, counts);
  const [o, k] = ctx.db
    .prepare<unknown[], [string, string]>(
      `SELECT json_group_array(e.offset_ms), json_group_array(e.sdk_id) FROM ${SECOND_FROM}
       WHERE q.run_id = @run AND q.category_id = @c AND q.second IN (@s, @last)
         AND floor((@base + e.offset_ms) / 1000) = q.second`,
    )
    .raw(true)
    .get({ run: ctx.run.id, c, s, last, base })!
    .map((x) => JSON.parse(x) as (number | null)[]) as [number[], (number | null)[]];
  for (let i = 0; i < o.length; i++)
    if (o[i]! >= lo && o[i]! < hi) counts.set(k[i]!, (counts.get(k[i]!) ?? 0) + 1);
  return counts;
}

/** The first window over the limit starting in one bucket, and the bucket's peak. */
export interface BucketWindow {
  start: number;
  count: number;
  peak: number;
}

/** How many of the best-bounded seconds are read exactly before the rest are bounded again. */
const FIRST_ROUND = 4;

/**
 * exceedingWindows' answer for category `c`'s bucket `b` of `width` (whole seconds, w of them)
 * without reading the bucket pair's events: a window starting in second s (at an event t of it)
 * holds the events of s at or after t, every event of seconds s+1 … s+w−1 and those of second
 * s+w before t + width. So its count lies between L(s) = n(s … s+w−1), reached by s's first
 * event, and U(s) = n(s … s+w); only seconds whose U can beat what is known (the limit for the
 * first window, the best exact count for the peak) have their two edge seconds' events read
 * (windowSecondsReady: the roll-up's seconds are the offsets' seconds). Times compare as
 * exceedingWindows' loop compares them: offset + base.
 */
export function bucketWindow(
  ctx: AnalysisContext,
  c: number,
  b: number,
  width: number,
  limit: number,
): BucketWindow | null {
  const db = ctx.db;
  const base = timeBase(db, ctx.run.id);
  const w = width / 1000;
  const s0 = b * w;
  // n(s0 + i) for i in [0, 2w], summed over phases.
  const n = new Float64Array(2 * w + 1);
  const [secs, counts] = db
    .prepare<unknown[], [string, string]>(
      `SELECT json_group_array(second), json_group_array(n) FROM event_seconds
       WHERE run_id = ? AND category_id = ? AND second >= ? AND second <= ?`,
    )
    .raw(true)
    .get(ctx.run.id, c, s0, s0 + 2 * w)!
    .map((x) => JSON.parse(x) as number[]) as [number[], number[]];
  for (let i = 0; i < secs.length; i++) n[secs[i]! - s0] = n[secs[i]! - s0]! + counts[i]!;
  const sum = new Float64Array(2 * w + 2);
  for (let i = 0; i <= 2 * w; i++) sum[i + 1] = sum[i]! + n[i]!;
  const lower = (i: number) => sum[i + w]! - sum[i]!;
  const upper = (i: number) => sum[i + w + 1]! - sum[i]!;
  // Events of seconds (s0 + i), as sorted offsets, read in batches.
  const events = new Map<number, Float64Array>();
  const readSeconds = (wanted: number[]) => {
    const missing = [...new Set(wanted)].filter((i) => !events.has(i) && n[i]! > 0);
    for (const i of wanted) if (!events.has(i) && n[i] === 0) events.set(i, new Float64Array(0));
    if (missing.length === 0) return;
    const [q, o] = db
      .prepare<unknown[], [string, string]>(
        `SELECT json_group_array(q.second), json_group_array(e.offset_ms) FROM ${SECOND_FROM}
         WHERE q.run_id = @run AND q.category_id = @c AND q.second IN (SELECT value FROM json_each(@seconds))
           AND floor((@base + e.offset_ms) / 1000) = q.second`,
      )
      .raw(true)
      .get({ run: ctx.run.id, c, base, seconds: JSON.stringify(missing.map((i) => s0 + i)) })!
      .map((x) => JSON.parse(x) as number[]) as [number[], number[]];
    const lists = new Map<number, number[]>(missing.map((i) => [i, []]));
    for (let k = 0; k < q.length; k++) lists.get(q[k]! - s0)!.push(o[k]!);
    for (const [i, list] of lists) events.set(i, Float64Array.from(list).sort());
  };
  // Per start in second i (ascending): its window's count, as exceedingWindows' two pointers.
  const scan = (i: number, visit: (t: number, k: number) => boolean) => {
    const head = events.get(i)!;
    const tail = events.get(i + w)!;
    const middle = sum[i + w]! - sum[i + 1]!;
    for (let x = 0, j = 0; x < head.length; x++) {
      const t = head[x]! + base;
      while (j < tail.length && tail[j]! + base < t + width) j++;
      if (visit(t, head.length - x + middle + j)) return;
    }
  };
  const exact = new Map<number, number>();
  const peakOf = (i: number) => {
    let m = exact.get(i);
    if (m === undefined) {
      m = 0;
      scan(i, (_, k) => {
        if (k > m!) m = k;
        return false;
      });
      exact.set(i, m);
    }
    return m;
  };
  const found: { start: number; count: number }[] = [];
  for (let i = 0; i < w && found.length === 0; i++) {
    if (n[i] === 0 || upper(i) <= limit) continue;
    readSeconds([i, i + w]);
    scan(i, (start, count) => {
      if (count <= limit) return false;
      found.push({ start, count });
      return true;
    });
  }
  const first = found[0];
  if (!first) return null;
  // The peak: the best exact count known bounds out every second whose U cannot beat it; the
  // seconds before the first window's hold none over the limit, its own is scanned in full here.
  const active: number[] = [];
  for (let i = 0; i < w; i++) if (n[i]! > 0) active.push(i);
  let best = 0;
  for (const i of active) best = Math.max(best, lower(i));
  const open = () => active.filter((i) => !exact.has(i) && upper(i) > best);
  // The few best-bounded seconds first (their counts usually bound out most others), then the rest.
  const rounds = [
    open()
      .sort((x, y) => upper(y) - upper(x))
      .slice(0, FIRST_ROUND),
    null,
  ];
  for (const round of rounds) {
    const batch = round ?? open();
    readSeconds(batch.flatMap((i) => [i, i + w]));
    for (const i of batch) best = Math.max(best, peakOf(i));
  }
  return { start: first.start, count: first.count, peak: best };
}
