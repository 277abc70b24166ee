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

const cache = new WeakMap<AnalysisContext, PermissionEvent[]>();

/** The run's permission requests and results in time order (read once per analysis). */
export function readPermissionEvents(ctx: AnalysisContext): PermissionEvent[] {
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
}

function parseArgs(hook: string, args: string): Parsed {
  const summary = CATALOG_BY_ID.get(hook)?.summary;
  const isResult = summary ? RESULT_SUMMARIES.has(summary) : /=(granted|denied)\b/.test(args);
  const out: Parsed = { kind: isResult ? 'result' : 'request', permissions: [], granted: new Map() };
  for (const part of args.split(',')) {
    const [name, state] = part.trim().split('=');
    if (!name) continue;
    out.permissions.push(name);
    if (isResult && (state === 'granted' || state === 'denied')) out.granted.set(name, state === 'granted');
  }
  return out;
}

function parse(ctx: AnalysisContext): PermissionEvent[] {
  const db = ctx.db;
  const category = db
    .prepare<[], number>("SELECT id FROM categories WHERE name = 'permission-request'")
    .pluck()
    .get();
  if (category === undefined) return [];
  // Raw ids, names from small maps: a run can hold tens of thousands of these events. The
  // physical table: the view would join each row to its run and probe event_raw.
  // As one JSON text (a JS value per column of each row through better-sqlite3 cost twice as
  // much); the subquery's order is checked, and made, here.
  const text = db
    .prepare<[number, number], string>(
      `SELECT json_group_array(json_array(id, o, api, sdk, args)) FROM (
         SELECT e.id AS id, e.offset_ms AS o, e.api_id AS api, e.sdk_id AS sdk, e.args_id AS args
         FROM ${streamRows(db, { category: true })} ORDER BY e.offset_ms, e.id)`,
    )
    .pluck()
    .get(ctx.run.id, category);
  const rows = JSON.parse(text ?? '[]') as [number, number, number, number | null, number | null][];
  if (
    !rows.every(
      (r, i) => i === 0 || rows[i - 1]![1] < r[1] || (rows[i - 1]![1] === r[1] && rows[i - 1]![0] < r[0]),
    )
  )
    rows.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const base = timeBase(db, ctx.run.id);
  for (const r of rows) r[1] += base;
  const hooks = new Map<number, string>();
  const hookOf = db.prepare<[number], string>('SELECT hook FROM apis WHERE id = ?').pluck();
  const texts = new Map<number, string | undefined>();
  const textOf = db.prepare<[number], string>('SELECT text FROM summaries WHERE id = ?').pluck();
  const sdkNames = new Map(ctx.groups.map((g) => [g.sdkId, g.sdk]));
  // api id → args id → what they say (a string key per event cost an allocation per event).
  const parsed = new Map<number, Map<number, Parsed>>();
  const out: PermissionEvent[] = [];
  for (const [id, time, apiId, sdkId, argsId] of rows) {
    if (argsId === null) continue;
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
  return out;
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
