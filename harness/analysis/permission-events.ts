// Permission requests and their results, read back from the run's `permission-request` events.
// Requests are summarised by the agent's `permissions` summariser as "perm1,perm2"; results by
// `permission-result` / `permission-result-intent` as "perm1=granted,perm2=denied" (see
// agent/hooks/summarizers.ts). Few events: parsed in JS.
import { CATALOG_BY_ID } from '../../agent/catalog/index.ts';
import { streamRows, timeBase } from '../store/event-rows.ts';
import type { AnalysisContext } from './context.ts';
import { timeOrder } from './row-order.ts';

/** One permission request or result, materialised (for findings and tests). */
export interface PermissionEvent {
  id: number;
  time: number;
  hook: string;
  sdkId: number | null;
  sdk: string | null;
  kind: 'request' | 'result';
  /** Requested names, or name → granted for results. */
  permissions: string[];
  granted: Map<string, boolean>;
}

/** What one (hook, argument summary) says: parsed once, shared by every event that has it. */
export interface PermissionInfo {
  hook: string;
  kind: 'request' | 'result';
  permissions: string[];
  granted: Map<string, boolean>;
}

/**
 * A run's permission requests and results in (time, id) order, as columns: event i is
 * (id[i], time[i], info[i], its SDK). A run can hold tens of thousands of them; an object per
 * event cost ~0.3 µs each to build in code that runs cold, and GC copies of them all.
 */
export class PermissionEvents {
  constructor(
    readonly length: number,
    readonly id: Float64Array,
    readonly time: Float64Array,
    readonly info: readonly PermissionInfo[],
    private readonly sdkIds: Int32Array,
    private readonly sdkNames: ReadonlyMap<number, string | null>,
  ) {}

  sdkId(i: number): number | null {
    const s = this.sdkIds[i]!;
    return s < 0 ? null : s;
  }

  sdk(i: number): string | null {
    const s = this.sdkIds[i]!;
    return s < 0 ? null : (this.sdkNames.get(s) ?? null);
  }

  /** Event i as an object. */
  at(i: number): PermissionEvent {
    const p = this.info[i]!;
    const { hook, kind, permissions, granted } = p;
    return {
      id: this.id[i]!,
      time: this.time[i]!,
      hook,
      sdkId: this.sdkId(i),
      sdk: this.sdk(i),
      kind,
      permissions,
      granted,
    };
  }

  /** Every event as an object (tests, small runs). */
  all(): PermissionEvent[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
}

const RESULT_SUMMARIES = new Set(['permission-result', 'permission-result-intent']);

const cache = new WeakMap<AnalysisContext, { events: PermissionEvents; requested: Map<string, number> }>();

/** The run's permission requests and results in time order (read once per analysis). */
export function readPermissionEvents(ctx: AnalysisContext): PermissionEvents {
  return read(ctx).events;
}

/**
 * Per permission, how many request events name it (each time it is named): counted per distinct
 * (API, args) while reading, not by a walk of every event.
 */
export function requestCounts(ctx: AnalysisContext): ReadonlyMap<string, number> {
  return read(ctx).requested;
}

function read(ctx: AnalysisContext): { events: PermissionEvents; requested: Map<string, number> } {
  let out = cache.get(ctx);
  if (!out) {
    out = parse(ctx);
    cache.set(ctx, out);
  }
  return out;
}

function parseArgs(hook: string, args: string): PermissionInfo {
  const summary = CATALOG_BY_ID.get(hook)?.summary;
  const isResult = summary ? RESULT_SUMMARIES.has(summary) : /=(granted|denied)\b/.test(args);
  const out: PermissionInfo = {
    hook,
    kind: isResult ? 'result' : 'request',
    permissions: [],
    granted: new Map(),
  };
  for (const part of args.split(',')) {
    const [name, state] = part.trim().split('=');
    if (!name) continue;
    out.permissions.push(name);
    if (isResult && (state === 'granted' || state === 'denied')) out.granted.set(name, state === 'granted');
  }
  return out;
}

/** Packed (API, arguments) keys stay below this: small integers (V8 Smis), cheap Map keys. */
const KEY_LIMIT = 2 ** 30;

/** What one (API, arguments) says and how many events have it; null: no summary (left out). */
type Slot = { p: PermissionInfo; n: number } | null;

/**
 * The events in `order` (null: as they are) as columns, each looked up once in `slots` by its
 * key (a function of its own: the loop is then compiled early, not interpreted in parse()).
 */
function layOut(
  ids: readonly number[],
  offsets: readonly number[],
  keys: readonly (number | string)[],
  sdkIds: readonly number[],
  order: readonly number[] | null,
  base: number,
  slotOf: (key: number | string) => Slot,
): { n: number; id: Float64Array; time: Float64Array; info: PermissionInfo[]; sdk: Int32Array } {
  const total = ids.length;
  const id = new Float64Array(total);
  const time = new Float64Array(total);
  const info = new Array<PermissionInfo>(total);
  const sdk = new Int32Array(total);
  const slots = new Map<number | string, Slot>();
  let n = 0;
  for (let j = 0; j < total; j++) {
    const i = order === null ? j : order[j]!;
    const key = keys[i]!;
    let x = slots.get(key);
    if (x === undefined) {
      x = slotOf(key);
      slots.set(key, x);
    }
    if (x === null) continue;
    x.n++;
    id[n] = ids[i]!;
    time[n] = offsets[i]! + base;
    info[n] = x.p;
    sdk[n] = sdkIds[i]!;
    n++;
  }
  info.length = n;
  return { n, id: id.subarray(0, n), time: time.subarray(0, n), info, sdk: sdk.subarray(0, n) };
}

function parse(ctx: AnalysisContext): { events: PermissionEvents; requested: Map<string, number> } {
  const db = ctx.db;
  const sdkNames = new Map<number, string | null>();
  for (const g of ctx.groups) if (g.sdkId !== null) sdkNames.set(g.sdkId, g.sdk);
  const none = () => ({
    events: new PermissionEvents(
      0,
      new Float64Array(0),
      new Float64Array(0),
      [],
      new Int32Array(0),
      sdkNames,
    ),
    requested: new Map<string, number>(),
  });
  const category = db
    .prepare<[], number>("SELECT id FROM categories WHERE name = 'permission-request'")
    .pluck()
    .get();
  if (category === undefined) return none();
  // Raw ids, names from small maps: a run can hold tens of thousands of these events. The
  // physical table: the view would join each row to its run and probe event_raw.
  // As JSON texts, one per column (a JS value per column of each row through better-sqlite3
  // cost twice as much; an array per row is one more object per event for the GC). No ORDER BY:
  // SQLite's sorter over the whole category cost more than the read. The rows come in chunk
  // order, each phase's chunks by first offset (event_chunks_stream), i.e. one sorted run per
  // phase unless messages arrived out of time order; (time, id) order is checked, and made, here.
  // Events without an argument summary say nothing and are left out here.
  const maxIds = db
    .prepare<[], [number | null, number | null]>(
      'SELECT (SELECT max(id) FROM apis), (SELECT max(id) FROM summaries)',
    )
    .raw(true)
    .get()!;
  // args id × span + api id, span = max api id + 1: a small integer while the product stays
  // below KEY_LIMIT, else "api:args" text.
  const span = (maxIds[0] ?? 0) + 1;
  const packed = ((maxIds[1] ?? 0) + 1) * span < KEY_LIMIT;
  const cols = db
    .prepare<[number, number], string[]>(
      `SELECT json_group_array(e.id), json_group_array(e.offset_ms),
         ${packed ? `json_group_array(e.args_id * ${span} + e.api_id)` : "json_group_array(e.api_id || ':' || e.args_id)"},
         json_group_array(ifnull(e.sdk_id, -1))
       FROM ${streamRows(db, { category: true })} AND e.args_id IS NOT NULL`,
    )
    .raw(true)
    .get(ctx.run.id, category)!;
  const [ids, offsets, keys, sdkIds] = cols.map((c) => JSON.parse(c)) as [
    number[],
    number[],
    (number | string)[],
    number[],
  ];
  const hookOf = db.prepare<[number], string>('SELECT hook FROM apis WHERE id = ?').pluck();
  const textOf = db.prepare<[number], string>('SELECT text FROM summaries WHERE id = ?').pluck();
  // (API, args) → what they say, or null for an empty summary (such events are left out), with
  // how many events have it.
  const parsed: Slot[] = [];
  const slotOf = (key: number | string): Slot => {
    const [apiId, argsId] =
      typeof key === 'number' ? [key % span, Math.floor(key / span)] : key.split(':').map(Number);
    const args = textOf.get(argsId!);
    const x = args ? { p: parseArgs(hookOf.get(apiId!) ?? '', args), n: 0 } : null;
    parsed.push(x);
    return x;
  };
  const cols2 = layOut(ids, offsets, keys, sdkIds, timeOrder(offsets, ids), timeBase(db, ctx.run.id), slotOf);
  const requested = new Map<string, number>();
  for (const x of parsed)
    if (x?.p.kind === 'request')
      for (const name of x.p.permissions) requested.set(name, (requested.get(name) ?? 0) + x.n);
  const events = new PermissionEvents(cols2.n, cols2.id, cols2.time, cols2.info, cols2.sdk, sdkNames);
  return { events, requested };
}

export type Span = [number, number];

/** Per permission, the time spans in which its latest result said "denied". */
export function deniedSpans(events: PermissionEvents): Map<string, Span[]> {
  const open = new Map<string, number>();
  const spans = new Map<string, Span[]>();
  const add = (p: string, span: Span) => {
    const list = spans.get(p);
    if (list) list.push(span);
    else spans.set(p, [span]);
  };
  for (let i = 0; i < events.length; i++) {
    const e = events.info[i]!;
    if (e.kind !== 'result') continue;
    const time = events.time[i]!;
    for (const [p, granted] of e.granted) {
      const start = open.get(p);
      if (!granted && start === undefined) open.set(p, time);
      if (granted && start !== undefined) {
        add(p, [start, time]);
        open.delete(p);
      }
    }
  }
  for (const [p, start] of open) add(p, [start, Number.POSITIVE_INFINITY]);
  return spans;
}

/** Intersection of two sorted span lists. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [s1, e1] of a) {
    for (const [s2, e2] of b) {
      const s = Math.max(s1, s2);
      const e = Math.min(e1, e2);
      if (s < e) out.push([s, e]);
    }
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** "CAMERA" for "android.permission.CAMERA". */
export function shortPermission(name: string): string {
  return name.startsWith('android.permission.') ? name.slice('android.permission.'.length) : name;
}
