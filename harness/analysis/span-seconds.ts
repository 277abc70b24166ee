// Events of some categories per (category, SDK) inside time spans, from the per-second roll-up
// (event_seconds, schema v12): the whole seconds of a span are counted per SDK from its rows'
// `sdks`; the two partial seconds at its edges, the exact first/last times and the evidence are
// read from the events of single seconds, found through each (category, phase, second) row's id
// range within that stream's chunks (a chunk spans tens of seconds: a span's chunks hold ~20×
// the rows of its edge seconds). Each second is read once, for all categories. Used by
// background-access.
import type { Statement } from 'better-sqlite3';
import { CHUNK_BITS, CHUNK_MASK, hasEventChunks, timeBase } from '../store/event-rows.ts';
import { rollupStored } from '../store/rollup-read.ts';
import { hasSecondSdks, malformedSdks } from '../store/rollup-statements.ts';
import type { AnalysisContext } from './context.ts';

/** The roll-ups' second of a time in ms (rollups.ts: Math.floor(time / 1000)). Monotone in
 * time, so every event of a second strictly between sec(from) and sec(to) lies in [from, to). */
const sec = (t: number): number => Math.floor(t / 1000);

/** One group's events in one span: the edge seconds' exact counts and times, the whole seconds'. */
interface SpanPart {
  span: number;
  lower: Edge | null;
  /** Events in the whole seconds strictly between the edge seconds, and those seconds in order. */
  whole: number;
  seconds: number[];
  upper: Edge | null;
}

interface Edge {
  n: number;
  first: number;
  last: number;
}

export interface SpanGroup {
  categoryId: number;
  sdkId: number | null;
  n: number;
  /** Exact first and last event time (ms since the epoch). */
  first: number;
  last: number;
  parts: SpanPart[];
}

/**
 * Whether run `runId`'s events can be read by second (span-seconds.ts, window-seconds.ts): v12
 * roll-ups stored, and every event time t (and t + `margin`) within [base / 2, 2 × base] of the
 * run's time base, where `t − base` and `offset + base` are exact (Sterbenz): the roll-up's
 * second of an event, floor(t / 1000), is then floor((offset + base) / 1000), which the second
 * reads below select by, and comparing offsets is comparing times.
 */
export function secondReadsExact(ctx: AnalysisContext, margin = 0): boolean {
  if (!(hasEventChunks(ctx.db) && hasSecondSdks(ctx.db) && rollupStored(ctx.db, ctx.run.id))) return false;
  const base = timeBase(ctx.db, ctx.run.id);
  if (!(base > 0)) return false;
  for (const g of ctx.groups) if (g.first < base / 2 || g.last + margin > 2 * base) return false;
  return true;
}

/** Whether background spans can be counted this way (secondReadsExact). */
export function spanSecondsReady(ctx: AnalysisContext): boolean {
  return secondReadsExact(ctx);
}

/** Rows of event_rows `e` of the (category, phase, second) rows `q`: their id range, read
 * only within the stream's own chunks (a range may straddle other streams' chunks). */
export const SECOND_FROM = `event_seconds q
  CROSS JOIN event_chunks k ON k.chunk BETWEEN q.first_id >> ${CHUNK_BITS} AND q.last_id >> ${CHUNK_BITS}
    AND +k.run_id = q.run_id AND +k.category_id = q.category_id AND +k.phase_id = q.phase_id
  CROSS JOIN event_rows e ON e.id BETWEEN max(q.first_id, k.chunk << ${CHUNK_BITS})
    AND min(q.last_id, (k.chunk << ${CHUNK_BITS}) | ${CHUNK_MASK})`;

/** Windows read by one statement at most. */
const WINDOWS = 500;

/** Spans ending at or after this never end (background-access ends an open one at 1e300). */
const OPEN = 1e299;

/** One event of a second: category, SDK (null: none), id, time offset. */
type SecondRow = [number, number | null, number, number];

/** A read of one second's events inside [lo, hi) (offsets; ±Number.MAX_VALUE: the whole second). */
interface Window {
  second: number;
  lo: number;
  hi: number;
}

/** A (category, SDK) as a number (no string per row), a string beyond the range. */
export const keyOf = (c: number, sdk: number | null): number | string => {
  const s = sdk === null ? 0 : sdk + 1;
  return s < 2_097_152 ? c * 2_097_152 + s : `${c}/${sdk}`;
};

export class SpanSeconds {
  private readonly base: number;
  /** Statements reading n windows at once, by n. */
  private readonly windowStmts = new Map<number, Statement<unknown[], string[]>>();
  private readonly wholeStmt;
  private readonly bySecond = new Map<string, Map<number | string, SecondRow[]>>();

  constructor(
    private readonly ctx: AnalysisContext,
    /** The categories counted. */
    private readonly categories: readonly number[],
  ) {
    const db = ctx.db;
    this.base = timeBase(db, ctx.run.id);
    const inCats = categories.map(() => '?').join(', ');
    // A span's whole seconds: the rows' per-SDK counts, in (category, second) order.
    this.wholeStmt = db
      .prepare<unknown[], string>(
        // One flat JSON array of numbers (parsed natively, no text per row in JS): per row its
        // category, second, number of pairs, then the `sdk:n` pairs (rollups.ts) as numbers.
        `SELECT '[' || group_concat(category_id || ',' || second || ',' || (length(sdks) - length(replace(sdks, ',', '')) + 1)
             || ',' || replace(sdks, ':', ','), ',') || ']'
         FROM (SELECT category_id, second, sdks FROM event_seconds
           WHERE run_id = @run AND category_id IN (${inCats}) AND second > @from AND second < @to
           ORDER BY category_id, second)`,
      )
      .pluck();
  }

  /** The window of second `second` inside [from, to) (the whole second when omitted). */
  private window(second: number, from = -Number.MAX_VALUE, to = Number.MAX_VALUE): Window {
    const lo = from === -Number.MAX_VALUE ? from : from - this.base;
    const hi = to === Number.MAX_VALUE ? to : to - this.base;
    return { second, lo, hi };
  }

  /**
   * Reads the windows not read yet with ONE statement (per window its second's event_seconds
   * rows, their id ranges within the streams' chunks): only the events whose roll-up second is
   * q.second (an id range may hold a neighbour's), inside [lo, hi). The bounds are bound as
   * numbers, not sent as text: the same comparisons as one read per window. As one JSON text per
   * column: better-sqlite3 builds rows value by value (json-rows.ts).
   */
  private load(windows: readonly Window[]): void {
    const todo = new Map<string, Window>();
    for (const w of windows) {
      const key = `${w.second}:${w.lo}:${w.hi}`;
      if (!this.bySecond.has(key)) todo.set(key, w);
    }
    // At most WINDOWS a statement (4 parameters each: far below SQLite's limit).
    const all = [...todo];
    for (let i = 0; i < all.length; i += WINDOWS) this.loadPart(all.slice(i, i + WINDOWS));
  }

  private loadPart(todo: readonly (readonly [string, Window])[]): void {
    if (todo.length === 0) return;
    const n = todo.length;
    let stmt = this.windowStmts.get(n);
    if (!stmt) {
      const inCats = this.categories.map(() => '?').join(', ');
      stmt = this.ctx.db
        .prepare<unknown[], string[]>(
          `WITH w (i, s, lo, hi) AS (VALUES ${new Array(n).fill('(?, ?, ?, ?)').join(', ')})
           SELECT json_group_array(w.i), json_group_array(e.category_id), json_group_array(e.sdk_id),
             json_group_array(e.id), json_group_array(e.offset_ms)
           FROM w CROSS JOIN ${SECOND_FROM}
           WHERE q.run_id = ? AND q.category_id IN (${inCats}) AND q.second = w.s
             AND e.offset_ms >= w.lo AND e.offset_ms < w.hi AND floor((? + e.offset_ms) / 1000) = q.second`,
        )
        .raw(true);
      this.windowStmts.set(n, stmt);
    }
    const maps = todo.map(() => new Map<number | string, SecondRow[]>());
    const params: number[] = [];
    for (const [i, [, w]] of todo.entries()) params.push(i, w.second, w.lo, w.hi);
    const [ws, cs, sdks, ids, offsets] = stmt
      .get(...params, this.ctx.run.id, ...this.categories, this.base)!
      .map((c) => JSON.parse(c ?? '[]')) as [number[], number[], (number | null)[], number[], number[]];
    for (let j = 0; j < ws.length; j++) {
      const m = maps[ws[j]!]!;
      const r: SecondRow = [cs[j]!, sdks[j]!, ids[j]!, offsets[j]!];
      const key = keyOf(r[0], r[1]);
      const list = m.get(key);
      if (list) list.push(r);
      else m.set(key, [r]);
    }
    for (const [i, [k]] of todo.entries()) this.bySecond.set(k, maps[i]!);
  }

  /** The events of a window per (category, SDK) key (keyOf), read when not read yet. */
  private second(second: number, from?: number, to?: number): Map<number | string, SecondRow[]> {
    const w = this.window(second, from, to);
    const key = `${w.second}:${w.lo}:${w.hi}`;
    if (!this.bySecond.has(key)) this.load([w]);
    return this.bySecond.get(key)!;
  }

  /** The group's events of one second inside [from, to). */
  private inSecond(second: number, key: number | string, from: number, to: number): SecondRow[] {
    return this.second(second, from, to).get(key) ?? [];
  }

  /** Count and exact first/last time (ms since the epoch) of rows; null when none. */
  private edge(rows: readonly SecondRow[]): Edge | null {
    if (rows.length === 0) return null;
    let lo = rows[0]![3];
    let hi = lo;
    for (const r of rows) {
      if (r[3] < lo) lo = r[3];
      if (r[3] > hi) hi = r[3];
    }
    // As the reads through chunks computed them: offset + base.
    return { n: rows.length, first: lo + this.base, last: hi + this.base };
  }

  /**
   * Per (category, SDK) with `keepSdk`: events in the spans ([from, to), time order, disjoint),
   * with exact first/last times; ordered by (first, category, SDK with null first), the order
   * of the per-span reads through chunks. `lastOf`: a (category, SDK)'s last event time in the
   * run (the roll-up's groups): its last in an open last span, read from no second.
   */
  groups(
    spans: readonly (readonly [number, number])[],
    keepSdk: (sdk: number | null) => boolean,
    lastOf?: (categoryId: number, sdkId: number | null) => number | undefined,
  ): SpanGroup[] {
    const run = this.ctx.run.id;
    const out = new Map<string, SpanGroup>();
    const part = (c: number, s: number | null, span: number): SpanPart => {
      const key = `${c}/${s}`;
      let g = out.get(key);
      if (!g) {
        g = { categoryId: c, sdkId: s, n: 0, first: 0, last: 0, parts: [] };
        out.set(key, g);
      }
      let p = g.parts[g.parts.length - 1];
      if (p?.span !== span) {
        p = { span, lower: null, whole: 0, seconds: [], upper: null };
        g.parts.push(p);
      }
      return p;
    };
    const edges = (second: number, from: number, to: number, span: number, side: 'lower' | 'upper') => {
      for (const rows of this.second(second, from, to).values()) {
        const r = rows[0]!;
        if (keepSdk(r[1])) part(r[0], r[1], span)[side] = this.edge(rows);
      }
    };
    // Every span's edge seconds with one statement (their windows are known up front).
    const edgeWindows: Window[] = [];
    for (const [from, to] of spans) {
      edgeWindows.push(this.window(sec(from), from, to));
      if (sec(to) > sec(from) && to < OPEN) edgeWindows.push(this.window(sec(to), from, to));
    }
    this.load(edgeWindows);
    // Per span in time order: lower edge, whole seconds, upper edge (parts are appended in order).
    for (const [i, [from, to]] of spans.entries()) {
      const s0 = sec(from);
      const s1 = sec(to);
      edges(s0, from, to, i, 'lower');
      if (s1 - s0 > 1) {
        const text = this.wholeStmt.get({ run, from: s0, to: s1 }, ...this.categories);
        // Per (category, SDK) of this span its part, by a number (no string per pair); null: not kept.
        const parts = new Map<number | string, SpanPart | null>();
        const add = (c: number, sdk: number, n: number, second: number) => {
          const key = sdk < 2_097_152 ? c * 2_097_152 + sdk : `${c}/${sdk}`;
          let p = parts.get(key);
          if (p === undefined) {
            const s = sdk === 0 ? null : sdk;
            p = keepSdk(s) ? part(c, s, i) : null;
            parts.set(key, p);
          }
          if (p === null) return;
          p.whole += n;
          // One row per phase: a second is listed once.
          if (p.seconds[p.seconds.length - 1] !== second) p.seconds.push(second);
        };
        let flat: number[];
        try {
          flat = JSON.parse(text ?? '[]') as number[];
        } catch {
          throw malformedSdks(this.ctx.db, run);
        }
        for (let k = 0; k < flat.length; ) {
          const c = flat[k]!;
          const second = flat[k + 1]!;
          const end = k + 3 + 2 * flat[k + 2]!;
          for (k += 3; k < end; k += 2) add(c, flat[k]!, flat[k + 1]!, second);
        }
      }
      // An open span has no upper edge second with events.
      if (s1 > s0 && to < OPEN) edges(s1, from, to, i, 'upper');
    }
    const groups = [...out.values()];
    // The first and last events: in an edge second, else in the group's first or last whole second.
    const inWhole = (g: SpanGroup, p: SpanPart, fn: 'first' | 'last') => {
      const s = fn === 'first' ? p.seconds[0]! : p.seconds[p.seconds.length - 1]!;
      return this.edge(this.second(s).get(keyOf(g.categoryId, g.sdkId)) ?? [])![fn];
    };
    // Those whole seconds first, with one statement (the conditions of the loop below).
    const wholeSeconds: Window[] = [];
    for (const g of groups) {
      const a = g.parts[0]!;
      if (!a.lower && a.whole > 0) wholeSeconds.push(this.window(a.seconds[0]!));
      const z = g.parts[g.parts.length - 1]!;
      const open = spans[z.span]![1] >= OPEN ? lastOf?.(g.categoryId, g.sdkId) : undefined;
      if (open === undefined && !z.upper && z.whole > 0)
        wholeSeconds.push(this.window(z.seconds[z.seconds.length - 1]!));
    }
    this.load(wholeSeconds);
    for (const g of groups) {
      for (const p of g.parts) g.n += (p.lower?.n ?? 0) + p.whole + (p.upper?.n ?? 0);
      const a = g.parts[0]!;
      g.first = a.lower?.first ?? (a.whole > 0 ? inWhole(g, a, 'first') : a.upper!.first);
      const z = g.parts[g.parts.length - 1]!;
      const open = spans[z.span]![1] >= OPEN ? lastOf?.(g.categoryId, g.sdkId) : undefined;
      g.last = open ?? z.upper?.last ?? (z.whole > 0 ? inWhole(g, z, 'last') : z.lower!.last);
    }
    return groups.sort(
      (a, b) => a.first - b.first || a.categoryId - b.categoryId || (a.sdkId ?? -1) - (b.sdkId ?? -1),
    );
  }

  /**
   * The group's first `limit` events in the spans by (time, id): its seconds in time order (the
   * whole ones the roll-up lists) until `limit` are held.
   */
  evidence(g: SpanGroup, spans: readonly (readonly [number, number])[], limit: number): number[] {
    const key = keyOf(g.categoryId, g.sdkId);
    const rows: SecondRow[] = [];
    for (const p of g.parts) {
      if (rows.length >= limit) break;
      const [from, to] = spans[p.span]!;
      if (p.lower) rows.push(...this.inSecond(sec(from), key, from, to));
      for (const s of p.seconds) {
        if (rows.length >= limit) break;
        rows.push(...(this.second(s).get(key) ?? []));
      }
      if (p.upper && rows.length < limit) rows.push(...this.inSecond(sec(to), key, from, to));
    }
    rows.sort((x, y) => x[3] - y[3] || x[2] - y[2]);
    return rows.slice(0, limit).map((r) => r[2]);
  }
}
