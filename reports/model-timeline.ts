// Timeline buckets: accesses per category over time, with the agent's phases as bands and the
// scenario's steps as markers. Two GROUP BY queries over the run's event chunks (or its
// per-second roll-up) — the cost does not depend on how many buckets are drawn.

import type Database from 'better-sqlite3';
import { BEHAVIOUR_CATEGORIES } from '../harness/knowledge/policy/types.ts';
import { streamRows, timeBase } from '../harness/store/event-rows.ts';
import { lookupNames } from '../harness/store/rollup-read.ts';
import type { RunRollup } from '../harness/store/rollups.ts';
import type { PhaseBand, StepInfo, Timeline } from './model-types.ts';

interface Range {
  start: number;
  end: number;
}

/** The time span to draw: the events' span, widened to the steps when their clock overlaps it. */
export function timelineRange(first: number | null, last: number | null, steps: readonly StepInfo[]): Range {
  const sStart = steps.length > 0 ? Math.min(...steps.map((s) => s.startedAt)) : null;
  const sEnd = steps.length > 0 ? Math.max(...steps.map((s) => s.endedAt ?? s.startedAt)) : null;
  if (first === null || last === null) {
    if (sStart === null || sEnd === null) return { start: 0, end: 1 };
    return { start: sStart, end: Math.max(sEnd, sStart + 1) };
  }
  let start = first;
  let end = last;
  // Steps use harness time; when it does not overlap the agent's clock, draw events only.
  if (sStart !== null && sEnd !== null && sStart <= last && sEnd >= first) {
    start = Math.min(start, sStart);
    end = Math.max(end, sEnd);
  }
  return { start, end: Math.max(end, start + 1) };
}

interface BucketRow {
  category: string;
  b: number;
  phase: string;
  n: number;
}

function eventRows(db: Database.Database, runId: number, start: number, scale: number, buckets: number) {
  const base = timeBase(db, runId);
  return (
    db
      .prepare<number[], BucketRow>(
        `SELECT c.name AS category, g.b AS b, ph.name AS phase, g.n AS n
       FROM (SELECT e.category_id AS category_id, e.phase_id AS phase_id,
               min(CAST((e.offset_ms - ?) * ? AS INTEGER), ?) AS b, count(*) AS n
             FROM ${streamRows(db, { range: true })} AND e.offset_ms >= ?
             GROUP BY e.category_id, e.phase_id, b) g
       JOIN categories c ON c.id = g.category_id
       JOIN phases ph ON ph.id = g.phase_id`,
      )
      // The physical table: offsets from the run's time base.
      .all(start - base, scale, buckets - 1, runId, start - base, Number.MAX_VALUE, start - base)
  );
}

/** Buckets from the per-second roll-up: each second placed by its middle. */
function secondRows(db: Database.Database, rollup: RunRollup, start: number, scale: number, buckets: number) {
  const categories = lookupNames(db, 'categories');
  const phases = lookupNames(db, 'phases');
  const out = new Map<string, BucketRow>();
  for (const s of rollup.seconds) {
    if (s.second * 1000 + 999 < start) continue;
    const b = Math.max(0, Math.min(Math.floor((s.second * 1000 + 500 - start) * scale), buckets - 1));
    const key = `${s.categoryId},${s.phaseId},${b}`;
    const r = out.get(key);
    if (r) r.n += s.n;
    else
      out.set(key, {
        category: categories.get(s.categoryId) ?? '',
        phase: phases.get(s.phaseId) ?? '',
        b,
        n: s.n,
      });
  }
  return [...out.values()];
}

/**
 * secondRows for stored roll-ups, summed by SQLite: hundreds of bucket rows reach JS instead of
 * tens of thousands of seconds. The same arithmetic in the same order (doubles, floor), and the
 * rows in the order secondRows makes them: by each (category, phase, bucket)'s first second in
 * the table's key order (category, second, phase).
 */
function storedSecondRows(
  db: Database.Database,
  runId: number,
  start: number,
  scale: number,
  buckets: number,
) {
  const categories = lookupNames(db, 'categories');
  const phases = lookupNames(db, 'phases');
  return db
    .prepare<number[], [number, number, number, number]>(
      `SELECT category_id, phase_id, max(0, min(floor((second * 1000 + 500 - ?) * ?), ?)) AS b, sum(n)
       FROM event_seconds WHERE run_id = ? AND second * 1000 + 999 >= ?
       GROUP BY category_id, phase_id, b ORDER BY category_id, min(second), phase_id`,
    )
    .raw(true)
    .all(start, scale, buckets - 1, runId, start)
    .map(
      ([c, p, b, n]): BucketRow => ({ category: categories.get(c) ?? '', phase: phases.get(p) ?? '', b, n }),
    );
}

export function buildTimeline(
  db: Database.Database,
  runId: number,
  range: Range,
  steps: readonly StepInfo[],
  buckets: number,
  rollup?: RunRollup,
  /** The run's roll-ups are stored (its seconds are summed in SQL, not read: storedSecondRows). */
  stored = false,
): Timeline {
  const span = range.end - range.start;
  const bucketMs = span / buckets;
  const scale = buckets / span;
  // Buckets of 5 s or more are counted from the per-second roll-up (a second is placed by its
  // middle: at most 10 % of a bucket's width off, at its edges); finer ones from the events.
  const rows =
    rollup && bucketMs >= 5_000
      ? stored
        ? storedSecondRows(db, runId, range.start, scale, buckets)
        : secondRows(db, rollup, range.start, scale, buckets)
      : eventRows(db, runId, range.start, scale, buckets);
  const counts: Record<string, number[]> = {};
  const totals = new Map<string, number>();
  const phaseByBucket: Map<string, number>[] = Array.from({ length: buckets }, () => new Map());
  let maxCount = 0;
  for (const r of rows) {
    const row = counts[r.category] ?? new Array<number>(buckets).fill(0);
    counts[r.category] = row;
    row[r.b] = (row[r.b] ?? 0) + r.n;
    if (row[r.b]! > maxCount) maxCount = row[r.b]!;
    totals.set(r.category, (totals.get(r.category) ?? 0) + r.n);
    const ph = phaseByBucket[r.b]!;
    ph.set(r.phase, (ph.get(r.phase) ?? 0) + r.n);
  }
  // Data categories above behaviours (pop-ups, permission requests, lifecycle), busiest first in each.
  const behaviour = (c: string) =>
    (BEHAVIOUR_CATEGORIES as readonly string[]).includes(c) || c === 'lifecycle';
  const categories = [...totals.entries()]
    .sort(
      (a, b) => Number(behaviour(a[0])) - Number(behaviour(b[0])) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    )
    .map(([c]) => c);
  return {
    start: range.start,
    end: range.end,
    bucketMs,
    buckets,
    categories,
    counts,
    maxCount,
    phases: phaseBands(phaseByBucket, range.start, bucketMs, range.end),
    background: backgroundSpans(db, runId, range.end),
    steps: steps.map((s) => ({
      idx: s.idx,
      label: s.label,
      at: s.startedAt,
      end: s.endedAt,
      outcome: s.outcome,
    })),
  };
}

/** The dominant phase of each bucket, carried over empty buckets, merged into bands. */
function phaseBands(
  perBucket: Map<string, number>[],
  start: number,
  bucketMs: number,
  end: number,
): PhaseBand[] {
  const bands: PhaseBand[] = [];
  let current: string | null = null;
  perBucket.forEach((m, i) => {
    let best: string | null = null;
    let bestN = 0;
    for (const [phase, n] of m) {
      if (n > bestN || (n === bestN && best !== null && phase < best)) {
        best = phase;
        bestN = n;
      }
    }
    const phase = best ?? current;
    if (phase === null) return;
    const at = start + i * bucketMs;
    const last = bands[bands.length - 1];
    if (last && last.phase === phase) last.end = at + bucketMs;
    else {
      if (last) last.end = at;
      bands.push({ phase, start: bands.length === 0 ? start : at, end: at + bucketMs });
    }
    current = phase;
  });
  const last = bands[bands.length - 1];
  if (last) last.end = end;
  return bands;
}

/**
 * When the app was in the background: from a main-process `background` lifecycle row to the
 * next `foreground` (the main process is named like the package, as in background-access).
 */
function backgroundSpans(
  db: Database.Database,
  runId: number,
  end: number,
): { start: number; end: number }[] {
  const rows = db
    .prepare<[number], { time: number; kind: string }>(
      `SELECT l.time, l.kind FROM lifecycle l JOIN processes p ON p.id = l.process_id JOIN runs r ON r.id = l.run_id
       WHERE l.run_id = ? AND p.name = r.package AND l.kind IN ('foreground', 'background') ORDER BY l.time, l.id`,
    )
    .all(runId);
  const spans: { start: number; end: number }[] = [];
  let open: number | null = null;
  for (const r of rows) {
    if (r.kind === 'background' && open === null) open = r.time;
    else if (r.kind === 'foreground' && open !== null) {
      spans.push({ start: open, end: r.time });
      open = null;
    }
  }
  if (open !== null) spans.push({ start: open, end: Math.max(end, open) });
  return spans;
}
