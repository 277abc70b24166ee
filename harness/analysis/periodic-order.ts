// Order and period of periodic-collection's reads (periodic-reads.ts): the columns of one
// phase checked for (offset, key) order, a category's segments merged into (time, id) order, and
// the period finder working on a range of typed times without copying them.
import { timeOrder } from './row-order.ts';

export interface Period {
  periodMs: number;
  /** Index of the first and last read of the regular run. */
  from: number;
  to: number;
}

export interface PeriodOptions {
  minRepeats: number;
  tolerance: number;
  minPeriodMs: number;
}

// The times kept after merging bursts, and their indexes (reused: one call per SDK and class).
let burstT = new Float64Array(256);
let burstI = new Int32Array(256);

/**
 * The longest regular run in the sorted times[lo, hi), or null when fewer than `minRepeats`
 * intervals repeat; `from`/`to` index `times`. Reads closer than `minPeriodMs` to the last kept
 * one are one burst. A run grows from each start while the next interval stays within
 * `tolerance` of the run's mean interval.
 */
export function periodIn(
  times: ArrayLike<number>,
  lo: number,
  hi: number,
  opts: PeriodOptions,
): Period | null {
  if (burstT.length < hi - lo) {
    burstT = new Float64Array(hi - lo);
    burstI = new Int32Array(hi - lo);
  }
  const t = burstT;
  const idx = burstI;
  const { minRepeats, tolerance, minPeriodMs } = opts;
  let m = 0;
  for (let i = lo; i < hi; i++) {
    const x = times[i]!;
    if (m === 0 || x - t[m - 1]! >= minPeriodMs) {
      t[m] = x;
      idx[m++] = i;
    }
  }
  let best: Period | null = null;
  let bestLen = 0;
  for (let i = 0; i + 1 < m; i++) {
    const ref = t[i + 1]! - t[i]!;
    let j = i + 1;
    let sum = ref;
    while (j + 1 < m) {
      const d = t[j + 1]! - t[j]!;
      const mean = sum / (j - i);
      if (Math.abs(d - mean) > tolerance * mean) break;
      sum += d;
      j++;
    }
    const n = j - i;
    if (n >= minRepeats && n > bestLen) {
      bestLen = n;
      best = { periodMs: sum / n, from: idx[i]!, to: idx[j]! };
    }
    if (j - 1 > i) i = j - 1;
  }
  return best;
}

/** Columns [offsets, keys, …] in (offset, key) order: as given when they are (one pass), else sorted. */
export function inOrder(cols: number[][]): number[][] {
  const order = timeOrder(cols[0]!, cols[1]!);
  return order === null ? cols : cols.map((c) => order.map((i) => c[i]!));
}

let mergeT = new Float64Array(0);
let mergeI = new Float64Array(0);

/** Whether time/id[a, c) is in (time, id) order. */
function ordered(time: Float64Array, id: Float64Array, a: number, c: number): boolean {
  for (let i = a + 1; i < c; i++) {
    const p = time[i - 1]!;
    const x = time[i]!;
    if (x < p || (x === p && id[i]! < id[i - 1]!)) return false;
  }
  return true;
}

/**
 * Puts time/id[a, ends.at(-1)) in (time, id) order. Its segments [a, ends[0]), [ends[0],
 * ends[1]), … (one per phase) are each in (offset, id) order, hence in (time, id) order unless
 * adding the time base rounded two offsets of a phase to one time (`collapsed`, see scatter*):
 * segments in order are merged, else the range is sorted.
 */
export function inTimeOrder(
  time: Float64Array,
  id: Float64Array,
  a: number,
  ends: readonly number[],
  collapsed: boolean,
): void {
  const c = ends.length > 0 ? ends[ends.length - 1]! : a;
  if (c - a < 2) return;
  if (collapsed) {
    let segmentsInOrder = true;
    for (let s = 0, b = a; s < ends.length && segmentsInOrder; b = ends[s++]!)
      segmentsInOrder = ordered(time, id, b, ends[s]!);
    if (!segmentsInOrder) {
      const order = Array.from({ length: c - a }, (_, i) => a + i).sort(
        (x, y) => time[x]! - time[y]! || id[x]! - id[y]!,
      );
      const t = order.map((i) => time[i]!);
      const d = order.map((i) => id[i]!);
      time.set(t, a);
      id.set(d, a);
      return;
    }
  }
  if (mergeT.length < c - a) {
    mergeT = new Float64Array(c - a);
    mergeI = new Float64Array(c - a);
  }
  // Fold: [a, ends[0]) merged with the next segment, the result with the one after, … (not
  // when the next segment starts after the merged ones' last read).
  for (let s = 1; s < ends.length; s++) {
    const b = ends[s - 1]!;
    const p = time[b - 1]!;
    const x = time[b]!;
    if (p < x || (p === x && id[b - 1]! < id[b]!)) continue;
    mergeRuns(time, id, a, b, ends[s]!);
  }
}

/** Merges the ordered runs time/id[a, b) and [b, c) in place (through the scratch arrays). */
function mergeRuns(time: Float64Array, id: Float64Array, a: number, b: number, c: number): void {
  if (a === b || b === c) return;
  const t = mergeT;
  const d = mergeI;
  let i = a;
  let j = b;
  let o = 0;
  while (i < b && j < c) {
    const ti = time[i]!;
    const tj = time[j]!;
    if (ti < tj || (ti === tj && id[i]! < id[j]!)) {
      t[o] = ti;
      d[o++] = id[i++]!;
    } else {
      t[o] = tj;
      d[o++] = id[j++]!;
    }
  }
  // What is left of the first run goes last (what is left of the second is in place already).
  if (i < b) {
    time.copyWithin(a + o, i, b);
    id.copyWithin(a + o, i, b);
  }
  time.set(t.subarray(0, o), a);
  id.set(d.subarray(0, o), a);
}
