// The reads periodic-collection (rules/periodic-collection.ts) judges: per category the first
// reads of each phase (bounded), laid out per (SDK, background or not) in (time, id) order in
// two typed columns (periodic-order.ts orders them and finds periods).
// Most of this runs cold (~90,000 reads in all on a 1M-event run, each loop once per phase or
// category): few passes, no object or closure per read, typed arrays reused across categories.
import { hasEventChunks, streamRows, timeBase } from '../store/event-rows.ts';
import type { AnalysisContext } from './context.ts';
import { inOrder, inTimeOrder } from './periodic-order.ts';

/**
 * One category's reads. Slot 2j holds SDK j's reads in the background, slot 2j + 1 its other
 * reads (foreground or not known), each in (time, id) order: [start[s], end[s]).
 */
export interface CategoryReads {
  time: Float64Array;
  id: Float64Array;
  start: Int32Array;
  end: Int32Array;
  /** SDK id → j. */
  sdkIndex: Map<number | null, number>;
}

/**
 * One phase's first reads as columns: offsets, keys, foreground flags when mixed. A key is
 * id × span + SDK code (SDK id + 1, 0 for none) when `ids` is absent, else the SDK code (the
 * judged SDKs' index + 1, 0 for others) with the ids apart (SDK or event ids too large to pack).
 */
interface PhaseCols {
  n: number;
  o: ArrayLike<number>;
  key: ArrayLike<number>;
  ids: ArrayLike<number> | undefined;
  f: ArrayLike<number> | undefined;
  /** SDK → its one foreground flag in the phase (−1: both occur; then `f` is read). */
  fgOf: Map<number | null, number>;
}

/**
 * Reads examined per category (all SDKs, shared among its phases, at least 200 per phase): a
 * timer shows within the first few thousand reads of its category. Bounds the rule on
 * million-event runs (bench/analysis-bench.ts).
 */
const MAX_READS = 5_000;
const MIN_PER_PHASE = 200;
/** Packed SDK codes index a table up to this size; above it (or ids too large), rows. */
const CODE_TABLE = 2 ** 16;
/** Rooms of whole phases up to this many places per read (else counted: see rooms). */
const ROOMS_PER_READ = 8;

/** A reader of categories' reads for one analysis: `read(category, SDKs to judge)`. */
export function categoryReader(
  ctx: AnalysisContext,
): (categoryId: number, sdks: readonly (number | null)[]) => CategoryReads {
  const { db } = ctx;
  const base = timeBase(db, ctx.run.id);
  const maxSdk = db.prepare<[], number | null>('SELECT max(id) FROM sdks').pluck().get() ?? 0;
  const maxId = db.prepare<[], number | null>('SELECT max(id) FROM event_rows').pluck().get() ?? 0;
  // The smallest power of two above every SDK code: keys stay small integers (V8 Smis).
  const span = 2 ** Math.ceil(Math.log2(maxSdk + 2));
  // SDK code → slot + 1 in the phase at hand (0: not judged); reset after each phase.
  const byCode = span <= CODE_TABLE && (maxId + 1) * span <= 2 ** 53 ? new Int32Array(span) : null;
  const chunked = hasEventChunks(db);
  const from = streamRows(db, { category: true, phase: true, range: true });
  // One statement per phase returns its reads as JSON arrays, one per column: better-sqlite3
  // makes a JS value per column of each row through the V8 API (~0.2 µs each), JSON.parse a
  // whole array at once. With chunks, no ORDER BY … LIMIT: the chunks up to the cut (cutsOf) hold
  // every read of the stream at or before it, so the first `limit` of them by (offset, id)
  // are the first `limit` of the stream; they come in chunk order, already in order unless
  // messages arrived out of time order (inOrder sorts them then; SQLite's sorter over the same
  // rows cost more than the whole read). Whole offsets come as integers: SQLite prints a REAL
  // with 17 digits ("1234.0"), which costs more to write and to parse (same value in JS).
  const offset = 'iif(e.offset_ms = CAST(e.offset_ms AS INTEGER), CAST(e.offset_ms AS INTEGER), e.offset_ms)';
  const walk = (flags: boolean) =>
    db
      .prepare<number[], string[]>(
        `SELECT json_group_array(o), json_group_array(k)${flags ? ', json_group_array(f)' : ''} FROM (
           SELECT ${offset} AS o, e.id * ${span} + ifnull(e.sdk_id + 1, 0) AS k, e.foreground AS f
           FROM ${from}${chunked ? '' : ' ORDER BY e.offset_ms, e.id LIMIT ?'})`,
      )
      .raw(true);
  const walks: [ReturnType<typeof walk>?, ReturnType<typeof walk>?] = [];
  const walkOf = (mixed: boolean) => {
    const w = walks[mixed ? 1 : 0] ?? walk(mixed);
    walks[mixed ? 1 : 0] = w;
    return w;
  };
  const rowsOf = byCode
    ? null
    : db
        .prepare<number[], [number, number, number, number | null]>(
          `SELECT e.offset_ms, e.id, e.foreground, e.sdk_id FROM ${from} ORDER BY e.offset_ms, e.id LIMIT ?`,
        )
        .raw(true);
  const chunksOf = chunked
    ? db
        .prepare<[number, number], string[]>(
          `SELECT json_group_array(phase_id), json_group_array(last_ms), json_group_array(events) FROM (
             SELECT phase_id, last_ms, events FROM event_chunks WHERE run_id = ? AND category_id = ?
             ORDER BY phase_id, first_ms)`,
        )
        .raw(true)
    : null;
  const snapshot = db.transaction((read: () => void) => read());
  // Reused from category to category (a category's reads are judged before the next is read).
  const out = { time: new Float64Array(0), id: new Float64Array(0) };
  return (categoryId, sdks) => {
    const sdkIndex = new Map<number | null, number>();
    for (const s of sdks) if (!sdkIndex.has(s)) sdkIndex.set(s, sdkIndex.size);
    // phase → SDK → its one foreground flag (-1: both occur, read it per event).
    const flags = new Map<number, Map<number | null, number>>();
    for (const x of ctx.inCategory(categoryId)) {
      let m = flags.get(x.phaseId);
      if (!m) {
        m = new Map();
        flags.set(x.phaseId, m);
      }
      const fg = x.foreground ? 1 : 0;
      const had = m.get(x.sdkId);
      m.set(x.sdkId, had === undefined || had === fg ? fg : -1);
    }
    const limit = Math.max(MIN_PER_PHASE, Math.floor(MAX_READS / flags.size));
    const phases: PhaseCols[] = [];
    // The walks of one phase read one snapshot (a writer may be appending to the run).
    snapshot(() => {
      const cuts = chunksOf ? cutsOf(chunksOf.get(ctx.run.id, categoryId)!, limit) : null;
      for (const [ph, fgOf] of flags) {
        const mixed = [...fgOf.values()].includes(-1);
        // Only the chunks that can hold the phase's first `limit` reads.
        const params = [
          ctx.run.id,
          categoryId,
          ph,
          -Number.MAX_VALUE,
          cuts?.get(ph) ?? Number.MAX_VALUE,
          limit,
        ];
        if (!rowsOf) {
          const json = walkOf(mixed).get(...(chunked ? params.slice(0, -1) : params))!;
          const [o, key, f] = inOrder(json.map((a) => JSON.parse(a) as number[]));
          phases.push({ n: Math.min(o!.length, limit), o: o!, key: key!, ids: undefined, f, fgOf });
        } else phases.push(fromRows(rowsOf.all(...params), mixed, sdkIndex, fgOf));
      }
    });
    const codes = byCode ?? new Int32Array(sdkIndex.size + 1);
    const codeOf = (s: number | null) => (byCode ? (s === null ? 0 : s + 1) : sdkIndex.get(s)! + 1);
    const np = phases.length;
    const slotsIn = (x: PhaseCols, on: boolean) => {
      // Per SDK its slot + 1 here: by its one flag, or (f read: a mixed phase) by each read's.
      for (const [s, j] of sdkIndex)
        codes[codeOf(s)] = on ? 2 * j + 1 + (x.f || x.fgOf.get(s) === 0 ? 0 : 1) : 0;
    };
    let { at, size } = rooms(phases, sdkIndex, null);
    // A whole phase's room per SDK is many times the reads when many SDKs are judged: then the
    // reads of each (slot, phase) are counted first (one more pass) for rooms of their size.
    if (size > ROOMS_PER_READ * phases.reduce((n, x) => n + x.n, 0)) {
      const count = new Int32Array(at.length);
      for (let p = 0; p < np; p++) {
        slotsIn(phases[p]!, true);
        countSlots(phases[p]!, span, p, np, codes, count);
        slotsIn(phases[p]!, false);
      }
      ({ at, size } = rooms(phases, sdkIndex, count));
    }
    if (out.time.length < size) {
      out.time = new Float64Array(Math.max(size, 2 * out.time.length));
      out.id = new Float64Array(out.time.length);
    }
    const room = at.slice();
    let collapsed = false;
    for (let p = 0; p < np; p++) {
      const x = phases[p]!;
      slotsIn(x, true);
      if (x.ids) collapsed = scatterCols(x, x.ids, p, np, codes, at, base, out.time, out.id) || collapsed;
      else collapsed = scatterPacked(x, span, p, np, codes, at, base, out.time, out.id) || collapsed;
      slotsIn(x, false);
    }
    return { ...closeUp(out.time, out.id, room, at, np, collapsed), time: out.time, id: out.id, sdkIndex };
  };
}

/**
 * Room for each (slot, phase) the phase uses: its `count`, or else all of the phase's reads (an
 * SDK's share is not known before reading), slot after slot, each slot's phases in order:
 * `at[slot × phases + phase]` is the room's first place. One pass then puts every read in place
 * (scatter*), and closeUp makes each slot one range.
 */
function rooms(
  phases: readonly PhaseCols[],
  sdkIndex: Map<number | null, number>,
  count: Int32Array | null,
): { at: Int32Array; size: number } {
  const np = phases.length;
  const at = new Int32Array(2 * sdkIndex.size * np);
  let next = 0;
  for (const [s, j] of sdkIndex) {
    for (let bg = 0; bg < 2; bg++) {
      for (let p = 0; p < np; p++) {
        const { n, f, fgOf } = phases[p]!;
        const r = (2 * j + 1 - bg) * np + p;
        at[r] = next;
        if (count) next += count[r]!;
        else if (f || (fgOf.get(s) === 0) === (bg === 1)) next += n;
      }
    }
  }
  return { at, size: next };
}

/** Adds phase p's reads per slot to `count[slot × phases + p]` (codes as for scatter*). */
function countSlots(
  x: PhaseCols,
  span: number,
  p: number,
  np: number,
  codes: Int32Array,
  count: Int32Array,
): void {
  const { n, key, ids, f } = x;
  for (let i = 0; i < n; i++) {
    const k = key[i]!;
    const v = codes[ids ? k : k % span]! | 0;
    if (v !== 0) count[(f === undefined ? v - 1 : v - 1 + (f[i] === 0 ? 0 : 1)) * np + p]!++;
  }
}

/** Phase p's reads (packed keys) to their rooms; `codes`: SDK code → slot + 1 (0: skip). */
function scatterPacked(
  x: PhaseCols,
  span: number,
  p: number,
  np: number,
  codes: Int32Array,
  at: Int32Array,
  base: number,
  time: Float64Array,
  id: Float64Array,
): boolean {
  const { n, o, key, f } = x;
  // Whether two different offsets in a row gave one time (the rows are in (offset, key) order).
  let collapsed = false;
  let lastO = Number.NaN;
  let lastT = Number.NaN;
  for (let i = 0; i < n; i++) {
    const oi = o[i]!;
    const t = oi + base;
    if (t === lastT && oi !== lastO) collapsed = true;
    lastO = oi;
    lastT = t;
    const k = key[i]!;
    const c = k % span;
    // | 0: a code past the table (an SDK added since max(id) was read) is 0, not judged.
    const v = codes[c]! | 0;
    if (v === 0) continue;
    const to = at[(f === undefined ? v - 1 : v - 1 + (f[i] === 0 ? 0 : 1)) * np + p]!++;
    time[to] = t;
    id[to] = (k - c) / span;
  }
  return collapsed;
}

/**
 * scatterPacked for columns with the ids apart (rows). Two loops, not one with a branch per
 * read: each stays small and monomorphic, so the JIT compiles it early.
 */
function scatterCols(
  x: PhaseCols,
  ids: ArrayLike<number>,
  p: number,
  np: number,
  codes: Int32Array,
  at: Int32Array,
  base: number,
  time: Float64Array,
  id: Float64Array,
): boolean {
  const { n, o, key, f } = x;
  let collapsed = false;
  let lastO = Number.NaN;
  let lastT = Number.NaN;
  for (let i = 0; i < n; i++) {
    const oi = o[i]!;
    const t = oi + base;
    if (t === lastT && oi !== lastO) collapsed = true;
    lastO = oi;
    lastT = t;
    const v = codes[key[i]!]! | 0;
    if (v === 0) continue;
    const to = at[(f === undefined ? v - 1 : v - 1 + (f[i] === 0 ? 0 : 1)) * np + p]!++;
    time[to] = t;
    id[to] = ids[i]!;
  }
  return collapsed;
}

/** Each slot's segments (rooms [room, at)) closed up from its first room on, in (time, id) order. */
function closeUp(
  time: Float64Array,
  id: Float64Array,
  room: Int32Array,
  at: Int32Array,
  np: number,
  collapsed: boolean,
): { start: Int32Array; end: Int32Array } {
  const slots = np === 0 ? 0 : room.length / np;
  const start = new Int32Array(slots);
  const end = new Int32Array(slots);
  const ends: number[] = [];
  for (let s = 0; s < slots; s++) {
    ends.length = 0;
    let to = room[s * np]!;
    start[s] = to;
    for (let p = 0; p < np; p++) {
      const a = room[s * np + p]!;
      const b = at[s * np + p]!;
      if (a === b) continue;
      if (a !== to) {
        time.copyWithin(to, a, b);
        id.copyWithin(to, a, b);
      }
      to += b - a;
      ends.push(to);
    }
    end[s] = to;
    inTimeOrder(time, id, start[s]!, ends, collapsed);
  }
  return { start, end };
}

/**
 * Per phase an offset at or before which its first `limit` reads lie: its chunks by first
 * offset until they hold `limit` reads, the largest last offset among them (they hold at least
 * `limit` reads, none after it). Phases with fewer reads have none (read all their chunks).
 * From one statement per category ([phases, last offsets, counts] as JSON, in (phase, first
 * offset) order), not a window query per phase (3 ms at 1M events).
 */
function cutsOf(json: string[], limit: number): Map<number, number> {
  const [phase, last, events] = json.map((a) => JSON.parse(a) as number[]) as [number[], number[], number[]];
  const cuts = new Map<number, number>();
  let seen = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < phase.length; i++) {
    if (i > 0 && phase[i] !== phase[i - 1]) {
      seen = 0;
      max = Number.NEGATIVE_INFINITY;
    }
    if (seen >= limit) continue;
    seen += events[i]!;
    if (last[i]! > max) max = last[i]!;
    if (seen >= limit) cuts.set(phase[i]!, max);
  }
  return cuts;
}

/** Rows (offset, id, flag, SDK) as columns; keys are the judged SDKs' index + 1, else 0. */
function fromRows(
  rows: [number, number, number, number | null][],
  mixed: boolean,
  sdkIndex: Map<number | null, number>,
  fgOf: Map<number | null, number>,
): PhaseCols {
  const n = rows.length;
  const o = new Float64Array(n);
  const ids = new Float64Array(n);
  const key = new Int32Array(n);
  const f = mixed ? new Int8Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const [off, eid, fg, sdk] = rows[i]!;
    o[i] = off;
    ids[i] = eid;
    key[i] = (sdkIndex.get(sdk) ?? -1) + 1;
    if (f) f[i] = fg;
  }
  return { n, o, key, ids, f, fgOf };
}
