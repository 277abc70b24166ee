// Permission requests and their results, read back from the run's `permission-request` events.
// Requests are summarised by the agent's `permissions` summariser as "perm1,perm2"; results by
// `permission-result` / `permission-result-intent` as "perm1=granted,perm2=denied" (see
// agent/hooks/summarizers.ts). Few events: parsed in JS.
import { CATALOG_BY_ID } from '../../agent/catalog/index.ts';
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

function parse(ctx: AnalysisContext): PermissionEvent[] {
  const rows = ctx.db
    .prepare<
      [number],
      {
        id: number;
        time: number;
        hook: string;
        sdkId: number | null;
        sdk: string | null;
        args: string | null;
      }
    >(
      `SELECT e.id, e.time, a.hook, e.sdk_id AS sdkId, sd.name AS sdk, sa.text AS args
       FROM events e JOIN apis a ON a.id = e.api_id
       LEFT JOIN sdks sd ON sd.id = e.sdk_id LEFT JOIN summaries sa ON sa.id = e.args_id
       WHERE e.run_id = ? AND e.category_id = (SELECT id FROM categories WHERE name = 'permission-request')
       ORDER BY e.time, e.id`,
    )
    .all(ctx.run.id);
  const out: PermissionEvent[] = [];
  for (const r of rows) {
    if (!r.args) continue;
    const summary = CATALOG_BY_ID.get(r.hook)?.summary;
    const isResult = summary ? RESULT_SUMMARIES.has(summary) : /=(granted|denied)\b/.test(r.args);
    const ev: PermissionEvent = {
      id: r.id,
      time: r.time,
      hook: r.hook,
      sdkId: r.sdkId,
      sdk: r.sdk,
      kind: isResult ? 'result' : 'request',
      permissions: [],
      granted: new Map(),
    };
    for (const part of r.args.split(',')) {
      const [name, state] = part.trim().split('=');
      if (!name) continue;
      ev.permissions.push(name);
      if (isResult && (state === 'granted' || state === 'denied')) ev.granted.set(name, state === 'granted');
    }
    out.push(ev);
  }
  return out;
}

export type Span = [number, number];

/** Per permission, the time spans in which its latest result said "denied". */
export function deniedSpans(events: readonly PermissionEvent[]): Map<string, Span[]> {
  const open = new Map<string, number>();
  const spans = new Map<string, Span[]>();
  for (const e of events) {
    if (e.kind !== 'result') continue;
    for (const [p, granted] of e.granted) {
      const start = open.get(p);
      if (!granted && start === undefined) open.set(p, e.time);
      if (granted && start !== undefined) {
        spans.set(p, [...(spans.get(p) ?? []), [start, e.time]]);
        open.delete(p);
      }
    }
  }
  for (const [p, start] of open) spans.set(p, [...(spans.get(p) ?? []), [start, Number.POSITIVE_INFINITY]]);
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
