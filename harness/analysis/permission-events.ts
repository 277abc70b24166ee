// Permission requests and their results, read back from the run's `permission-request` events.
// Requests are summarised by the agent's `permissions` summariser as "perm1,perm2"; results by
// `permission-result` / `permission-result-intent` as "perm1=granted,perm2=denied" (see
// agent/hooks/summarizers.ts). Few events: parsed in JS.
import { CATALOG_BY_ID } from '../../agent/catalog/index.ts';
import { streamRows, timeBase } from '../store/event-rows.ts';
import type { AnalysisContext } from './context.ts';

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

const RESULT_SUMMARIES = new Set(['permission-result', 'permission-result-intent']);

const cache = new WeakMap<AnalysisContext, { events: PermissionEvent[]; requested: Map<string, number> }>();

/** The run's permission requests and results in time order (read once per analysis). */
export function readPermissionEvents(ctx: AnalysisContext): PermissionEvent[] {
  return read(ctx).events;
}

/**
 * Per permission, how many request events name it (each time it is named): counted per distinct
 * (API, args) while reading, not by a walk of every event.
 */
export function requestCounts(ctx: AnalysisContext): ReadonlyMap<string, number> {
  return read(ctx).requested;
}

function read(ctx: AnalysisContext): { events: PermissionEvent[]; requested: Map<string, number> } {
  let out = cache.get(ctx);
  if (!out) {
    out = parse(ctx);
    cache.set(ctx, out);
  }
  return out;
}

/** What one (hook, argument summary) says: parsed once, shared by every event that has it. */
interface Parsed {
  kind: 'request' | 'result';
  permissions: string[];
  granted: Map<string, boolean>;
  /** Events that have it. */
  n: number;
}

function parseArgs(hook: string, args: string): Parsed {
  const summary = CATALOG_BY_ID.get(hook)?.summary;
  const isResult = summary ? RESULT_SUMMARIES.has(summary) : /=(granted|denied)\b/.test(args);
  const out: Parsed = { kind: isResult ? 'result' : 'request', permissions: [], granted: new Map(), n: 0 };
  for (const part of args.split(',')) {
    const [name, state] = part.trim().split('=');
    if (!name) continue;
    out.permissions.push(name);
    if (isResult && (state === 'granted' || state === 'denied')) out.granted.set(name, state === 'granted');
  }
  return out;
}

function parse(ctx: AnalysisContext): { events: PermissionEvent[]; requested: Map<string, number> } {
  const db = ctx.db;
  const category = db
    .prepare<[], number>("SELECT id FROM categories WHERE name = 'permission-request'")
    .pluck()
    .get();
  if (category === undefined) return { events: [], requested: new Map() };
  // Raw ids, names from small maps: a run can hold tens of thousands of these events. The
  // physical table: the view would join each row to its run and probe event_raw.
  // As JSON texts, one per column (a JS value per column of each row through better-sqlite3
  // cost twice as much; an array per row is one more object per event for the GC). No ORDER BY:
  // SQLite's sorter over the whole category cost more than the read. The rows come in chunk
  // order, each phase's chunks by first offset (event_chunks_stream), i.e. one sorted run per
  // phase unless messages arrived out of time order; (time, id) order is checked, and made, here.
  const cols = db
    .prepare<[number, number], string[]>(
      `SELECT json_group_array(e.id), json_group_array(e.offset_ms), json_group_array(e.api_id),
         json_group_array(e.sdk_id), json_group_array(e.args_id)
       FROM ${streamRows(db, { category: true })}`,
    )
    .raw(true)
    .get(ctx.run.id, category)!;
  const [ids, offsets, apiIds, sdkIds, argsIds] = cols.map((c) => JSON.parse(c)) as [
    number[],
    number[],
    number[],
    (number | null)[],
    (number | null)[],
  ];
  const order = timeOrder(offsets, ids);
  const base = timeBase(db, ctx.run.id);
  const hooks = new Map<number, string>();
  const hookOf = db.prepare<[number], string>('SELECT hook FROM apis WHERE id = ?').pluck();
  const texts = new Map<number, string | undefined>();
  const textOf = db.prepare<[number], string>('SELECT text FROM summaries WHERE id = ?').pluck();
  const sdkNames = new Map(ctx.groups.map((g) => [g.sdkId, g.sdk]));
  // api id → args id → what they say (a string key per event cost an allocation per event).
  const parsed = new Map<number, Map<number, Parsed>>();
  const out: PermissionEvent[] = [];
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    const argsId = argsIds[i]!;
    if (argsId === null) continue;
    const id = ids[i]!;
    const time = offsets[i]! + base;
    const apiId = apiIds[i]!;
    const sdkId = sdkIds[i]!;
    let args = texts.get(argsId);
    if (!texts.has(argsId)) {
      args = textOf.get(argsId);
      texts.set(argsId, args);
    }
    if (!args) continue;
    let hook = hooks.get(apiId);
    if (hook === undefined) {
      hook = hookOf.get(apiId) ?? '';
      hooks.set(apiId, hook);
    }
    let byArgs = parsed.get(apiId);
    if (!byArgs) {
      byArgs = new Map();
      parsed.set(apiId, byArgs);
    }
    let p = byArgs.get(argsId);
    if (!p) {
      p = parseArgs(hook, args);
      byArgs.set(argsId, p);
    }
    p.n++;
    out.push({
      id,
      time,
      hook,
      sdkId,
      sdk: sdkId === null ? null : (sdkNames.get(sdkId) ?? null),
      kind: p.kind,
      permissions: p.permissions,
      granted: p.granted,
    });
  }
  const requested = new Map<string, number>();
  for (const byArgs of parsed.values())
    for (const p of byArgs.values())
      if (p.kind === 'request')
        for (const name of p.permissions) requested.set(name, (requested.get(name) ?? 0) + p.n);
  return { events: out, requested };
}

/**
 * Positions of rows (offsets[i], ids[i]) in (offset, id) order: 0…n−1 as they are when already
 * so (one pass), else sorted (several sorted runs, e.g. one per phase, merge in few passes).
 */
export function timeOrder(offsets: readonly number[], ids: readonly number[]): number[] {
  const n = offsets.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++)
    sorted = offsets[i - 1]! < offsets[i]! || (offsets[i - 1] === offsets[i] && ids[i - 1]! < ids[i]!);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return sorted ? order : order.sort((a, b) => offsets[a]! - offsets[b]! || ids[a]! - ids[b]!);
}

export type Span = [number, number];

/** Per permission, the time spans in which its latest result said "denied". */
export function deniedSpans(events: readonly PermissionEvent[]): Map<string, Span[]> {
  const open = new Map<string, number>();
  const spans = new Map<string, Span[]>();
  const add = (p: string, span: Span) => {
    const list = spans.get(p);
    if (list) list.push(span);
    else spans.set(p, [span]);
  };
  for (const e of events) {
    if (e.kind !== 'result') continue;
    for (const [p, granted] of e.granted) {
      const start = open.get(p);
      if (!granted && start === undefined) open.set(p, e.time);
      if (granted && start !== undefined) {
        add(p, [start, e.time]);
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
