// The first window and the peak of one examined bucket pair (exceedingWindows) from the v12
// per-second roll-up, reading the events of only the seconds where it matters.
//
// A window of w whole seconds (W = w / 1000) starting at an event time t of second s holds:
// the events of second s at or after t, all events of seconds s+1 … s+W−1 (M(s), from the
// roll-up's counts), and the events of second s+W before t + w. Nothing else: by monotonicity
// of the roll-up's second (span-seconds.ts, secondReadsExact) every earlier event lies before
// t and every later one at or after t + w. So, per start second s with events (n(x): the count
// of second x):
//   lower bound LB(s) = n(s) + M(s)          (the window at s's first event holds at least that)
//   upper bound UB(s) = n(s) + M(s) + n(s+W)  (no window starting in s holds more)
// and a window's exact count needs the events of its two edge seconds s and s+W alone.
// - The first window holding more than `limit`: the first s (ascending) with UB(s) > limit
//   whose edge seconds, read, give one (seconds with UB(s) ≤ limit cannot).
// - The peak: the largest exact count over the seconds from the first window's on (the seconds
//   before hold none above `limit` < the first's count). Every LB(s) is a count some window
//   holds, so `best` (the largest LB or exact count known) never exceeds the peak; a second
//   whose UB(s) ≤ best cannot raise it, and the others are read, highest UB first, until none
//   is left. At 1M events the bench reads ~40 % of an examined pair's rows (was: all of them).
import { preparedOnce } from '../store/prepared.ts';
import type { AnalysisContext } from './context.ts';
import { SECOND_FROM } from './span-seconds.ts';

export interface PairAnswer {
  /** The first window holding more than the limit: its start time and count; null when none. */
  first: { start: number; count: number } | null;
  /** Largest count of any window starting in the bucket (meaningful when `first` is set). */
  peak: number;
}

/** Per second, its events' offsets sorted (only the seconds read). */
type Seconds = Map<number, Float64Array>;

const EMPTY = new Float64Array(0);

/**
 * The answer for bucket `b` of `w` ms (`w` whole seconds) of category `c`, counting only the
 * events of `phases` (the events a read of the category's phases through the chunks would see).
 */
export function pairFromSeconds(
  ctx: AnalysisContext,
  base: number,
  c: number,
  phases: readonly number[],
  b: number,
  w: number,
  limit: number,
): PairAnswer {
  const W = w / 1000;
  const s0 = b * W;
  const n = secondCounts(ctx, c, phases, s0, 2 * W);
  // Per start second i: M(i) (events of the seconds strictly between its edges) and UB(i), by a
  // running sum of n[i+1 … i+W−1] (plain loops and typed arrays: this code runs cold).
  const mid = new Float64Array(W);
  const ub = new Float64Array(W);
  let run = 0;
  for (let i = 1; i < W; i++) run += n[i]!;
  for (let i = 0; i < W; i++) {
    mid[i] = run;
    ub[i] = n[i]! + run + n[i + W]!;
    run += n[i + W]! - n[i + 1]!;
  }
  const read: Seconds = new Map();
  const load = (starts: readonly number[]) => {
    const todo: number[] = [];
    for (const i of starts) todo.push(s0 + i, s0 + i + W);
    readSeconds(ctx, base, c, phases, todo, read);
  };
  /** The largest count of a window starting in second i, and its first start above the limit. */
  const exact = (i: number): { max: number; first: { start: number; count: number } | null } => {
    const a = read.get(s0 + i) ?? EMPTY;
    const z = read.get(s0 + i + W) ?? EMPTY;
    const inner = mid[i]!;
    let max = 0;
    let first: { start: number; count: number } | null = null;
    // As the old two-pointer loop compared: times = offsets + base; j = first of z at or
    // after t + w (z is sorted, t rises with k).
    for (let k = 0, j = 0; k < a.length; k++) {
      const t = a[k]! + base;
      while (j < z.length && z[j]! + base < t + w) j++;
      const count = a.length - k + inner + j;
      if (count > max) max = count;
      if (count > limit && !first) first = { start: t, count };
    }
    return { max, first };
  };
  // The first window: candidate seconds ascending, read in growing batches (dense traces find
  // it in the first; sparse ones take few statements).
  let found: { start: number; count: number } | null = null;
  let at = -1;
  let best = 0;
  const firstCandidates: number[] = [];
  for (let i = 0; i < W; i++) if (n[i]! > 0 && ub[i]! > limit) firstCandidates.push(i);
  for (let k = 0, size = 1; k < firstCandidates.length && !found; k += size, size = Math.min(size * 2, 64)) {
    const batch = firstCandidates.slice(k, k + size);
    load(batch);
    for (const i of batch) {
      const e = exact(i);
      if (e.first) {
        found = e.first;
        at = i;
        best = e.max;
        break;
      }
    }
  }
  if (!found) return { first: null, peak: 0 };
  // The peak: seconds after `at`, bounded; read the open ones highest bound first.
  const open: number[] = [];
  for (let i = at + 1; i < W; i++) {
    if (n[i] === 0) continue;
    const lb = n[i]! + mid[i]!;
    if (lb > best) best = lb;
    open.push(i);
  }
  let todo = open.filter((i) => ub[i]! > best).sort((x, y) => ub[y]! - ub[x]!);
  // Batches of 16, 32, 64: at 1M `best` is near the peak after the first, so bigger batches read
  // almost nothing more (41,300 rows in 60 statements; from 2: 41,100 in 106).
  for (let size = 16; todo.length > 0; size = Math.min(size * 2, 64)) {
    const batch = todo.slice(0, size);
    load(batch);
    for (const i of batch) {
      const m = exact(i).max;
      if (m > best) best = m;
    }
    todo = todo.slice(size).filter((i) => ub[i]! > best);
  }
  return { first: found, peak: best };
}

/** Events per second of `phases` for the `count` seconds from `from` (index 0: `from`). */
function secondCounts(
  ctx: AnalysisContext,
  c: number,
  phases: readonly number[],
  from: number,
  count: number,
): Float64Array {
  const [s, p, k] = (
    preparedOnce(
      ctx.db,
      `SELECT json_group_array(second), json_group_array(phase_id), json_group_array(n) FROM event_seconds
       WHERE run_id = ? AND category_id = ? AND second >= ? AND second < ?`,
    )
      .raw(true)
      .get(ctx.run.id, c, from, from + count) as string[]
  ).map((x) => JSON.parse(x) as number[]) as [number[], number[], number[]];
  const n = new Float64Array(count);
  for (let i = 0; i < s.length; i++) if (phases.includes(p[i]!)) n[s[i]! - from]! += k[i]!;
  return n;
}

/**
 * Reads the events (offsets) of category `c` in `phases` of the listed seconds not read yet
 * into `into`, sorted per second: each second's event_seconds rows, their id ranges within the
 * streams' chunks, only the events whose roll-up second it is (an id range may hold a
 * neighbour's), as window-seconds.ts reads edge seconds.
 */
function readSeconds(
  ctx: AnalysisContext,
  base: number,
  c: number,
  phases: readonly number[],
  seconds: readonly number[],
  into: Seconds,
): void {
  const todo = seconds.filter((s) => !into.has(s));
  if (todo.length === 0) return;
  // Offsets alone: an event's second is its roll-up second, floor((base + offset) / 1000), the
  // statement's own condition computed alike (IEEE doubles both).
  const text = preparedOnce(
    ctx.db,
    `SELECT json_group_array(e.offset_ms) FROM ${SECOND_FROM}
     WHERE q.run_id = @run AND q.category_id = @c AND q.second IN (SELECT value FROM json_each(@seconds))
       AND q.phase_id IN (SELECT value FROM json_each(@phases))
       AND floor((@base + e.offset_ms) / 1000) = q.second`,
  )
    .pluck()
    .get({
      run: ctx.run.id,
      c,
      seconds: JSON.stringify(todo),
      phases: JSON.stringify(phases),
      base,
    }) as string;
  // All offsets sorted at once (no comparator); a second's events are then one run of them
  // (the second is monotone in the offset), kept as a view.
  const os = Float64Array.from(JSON.parse(text) as number[]).sort();
  for (const s of todo) into.set(s, EMPTY);
  for (let i = 0; i < os.length; ) {
    const s = Math.floor((base + os[i]!) / 1000);
    let j = i + 1;
    while (j < os.length && Math.floor((base + os[j]!) / 1000) === s) j++;
    into.set(s, os.subarray(i, j));
    i = j;
  }
}
