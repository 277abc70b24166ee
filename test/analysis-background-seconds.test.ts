// background-access over lifecycle spans through the per-second roll-ups (span-seconds.ts) gives
// what the reads through chunks gave and what SQL over the events gives: spans that start and end
// mid-second, on a second boundary, inside one second, an open last span, events exactly at span
// edges ([start, end)); and it reads event rows only of single seconds, never whole chunks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraEvents, REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext, isPersonal } from '../harness/analysis/context.ts';
import { backgroundAccess } from '../harness/analysis/rules/background-access.ts';
import { attributeRunSdks } from '../harness/analysis/sdk-attribution.ts';
import { spanSecondsReady } from '../harness/analysis/span-seconds.ts';
import type { FindingDraft } from '../harness/analysis/types.ts';
import { FRAMEWORK_SDK } from '../harness/knowledge/sdks.ts';
import { readRollup } from '../harness/store/rollup-read.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';

const T0 = 1_767_225_600_000;
const PKG = 'com.example.shop';
/** Main-process lifecycle (ms after T0): background spans [2345.5, 4999.75), [7000, 7000.5),
 * [7000.875, 11000), [15500.125, end). */
const LIFECYCLE: [number, 'foreground' | 'background'][] = [
  [100, 'foreground'],
  [2345.5, 'background'],
  [4999.75, 'foreground'],
  [7000, 'background'],
  [7000.5, 'foreground'],
  [7000.875, 'background'],
  [11000, 'foreground'],
  [15500.125, 'background'],
];
/** Events exactly at the spans' edges (in at a start, out at an end), two sharing a time. */
const EDGE_TIMES = [2345.5, 2345.5, 4999.75, 7000, 7000.5, 7000.875, 11000, 15500.125];

let dir: string;
let path: string;
let runId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-bg-seconds-'));
  path = join(dir, 'bg.db');
  const store = openStore(path);
  // Times T0 + k + 0.25: every span edge falls mid-second or between events.
  const run = syntheticRun(store, T0, { ...REALISTIC, events: 20_000, seed: 11, startTime: T0 + 0.25 });
  runId = run.runId;
  const w = run.w;
  for (const [t, kind] of LIFECYCLE)
    w.handle({ v: 1, type: 'lifecycle', pid: 4000, process: PKG, time: T0 + t, kind, detail: `${PKG}.Main` });
  const edges = extraEvents(
    EDGE_TIMES.map((t) => ({
      time: T0 + t,
      hook: 'device-id.hook-0',
      category: 'device-id',
      api: 'android.example.deviceid.Manager0.get0(java.lang.String,int)',
      thread: 'main',
      foreground: true,
      // The phase the synthetic events have then: written last, these widen their streams'
      // id ranges of these seconds over the later seconds' events.
      phase: t < 6475 ? 'consent' : 'checkout',
    })),
  );
  w.handle(edges);
  w.flush();
  store.endRun(runId, 'completed');
  attributeRunSdks(store.db, runId, PKG);
  readRollup(store.db, runId); // re-attribution dropped the roll-ups: stored again
  store.close();
});

afterAll(() => (process.env.KEEP ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

function drafts(db: Database.Database, evidence?: number) {
  const ctx = new AnalysisContext(
    db,
    runId,
    resolveLimits(evidence === undefined ? {} : { evidence }),
    undefined,
    undefined,
  );
  return { ready: spanSecondsReady(ctx), drafts: backgroundAccess.run(ctx) as FindingDraft[] };
}

/** SQL over the events: per (category, SDK) in the spans, count, first, last, first ids. */
function fromSql(db: Database.Database, limit: number) {
  const spans: [number, number][] = [];
  for (let i = 1; i < LIFECYCLE.length; i += 2)
    spans.push([T0 + LIFECYCLE[i]![0], i + 1 < LIFECYCLE.length ? T0 + LIFECYCLE[i + 1]![0] : 1e300]);
  const inSpans = spans.map(([a, b]) => `(e.time >= ${a} AND e.time < ${b})`).join(' OR ');
  const rows = db
    .prepare(
      `SELECT c.name AS category, sd.name AS sdk, count(*) AS n, min(e.time) AS first, max(e.time) AS last,
         e.category_id AS cid, e.sdk_id AS sid
       FROM events e JOIN categories c ON c.id = e.category_id LEFT JOIN sdks sd ON sd.id = e.sdk_id
       WHERE e.run_id = ? AND (${inSpans}) AND (sd.name IS NULL OR sd.name <> ?)
       GROUP BY e.category_id, e.sdk_id ORDER BY first, e.category_id`,
    )
    .all(runId, FRAMEWORK_SDK) as {
    category: string;
    sdk: string | null;
    n: number;
    first: number;
    last: number;
    cid: number;
    sid: number | null;
  }[];
  const ids = db
    .prepare(
      `SELECT id FROM events e WHERE run_id = ? AND category_id = ? AND sdk_id IS ? AND (${inSpans})
       ORDER BY time, id LIMIT ?`,
    )
    .pluck();
  return rows
    .filter((r) => isPersonal(r.category))
    .map((r) => ({
      category: r.category,
      sdk: r.sdk,
      count: r.n,
      evidence: ids.all(runId, r.cid, r.sid, limit),
    }));
}

describe('background-access through the per-second roll-ups', () => {
  it('equals the reads through chunks and SQL over the events, edges included', () => {
    const rw = openStore(path);
    const fast = drafts(rw.db);
    const fast3 = drafts(rw.db, 3);
    expect(fast.ready).toBe(true);
    const want = fromSql(rw.db, resolveLimits().evidence);
    expect(want.length).toBeGreaterThan(20);
    expect(
      fast.drafts.map((d) => ({ category: d.category, sdk: d.sdk, count: d.count, evidence: d.evidence })),
    ).toEqual(want);
    // The edge events: in at a span's start, out at its end.
    const edgeIds = rw.db
      .prepare(
        'SELECT id, time - ? AS t FROM events WHERE run_id = ? AND api_id = (SELECT id FROM apis WHERE hook = ?) AND stack_id IS NULL',
      )
      .all(T0, runId, 'device-id.hook-0') as { id: number; t: number }[];
    expect(edgeIds.length).toBeGreaterThanOrEqual(EDGE_TIMES.length);
    // Without the v12 roll-ups (a read-only connection, the run's mark dropped): the chunk reads.
    rw.db.prepare('DELETE FROM rollup_runs WHERE run_id = ?').run(runId);
    rw.close();
    const ro = openReadOnly(path);
    const slow = drafts(ro);
    const slow3 = drafts(ro, 3);
    ro.close();
    expect(slow.ready).toBe(false);
    expect(fast.drafts).toEqual(slow.drafts);
    expect(fast3.drafts).toEqual(slow3.drafts);
    expect(fast3.drafts.every((d) => d.evidence.length <= 3)).toBe(true);
    // Titles and details carry the counts and the exact "Last at" times.
    expect(fast.drafts.some((d) => /Last at \+\d+\.\d{3} s/.test(d.detail))).toBe(true);
    const rw2 = openStore(path);
    readRollup(rw2.db, runId);
    rw2.close();
  });

  it('reads event rows only of single seconds: the spans’ edges and the groups’ own seconds', () => {
    const store = openStore(path);
    const db = store.db;
    const executed: { sql: string; args: unknown[] }[] = [];
    const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
    const names = ['all', 'get', 'iterate', 'run'] as const;
    const saved = names.map((n) => proto[n] as (...a: unknown[]) => unknown);
    names.forEach((n, i) => {
      proto[n] = function (this: Database.Statement, ...args: unknown[]) {
        executed.push({ sql: this.source, args });
        return saved[i]!.apply(this, args);
      };
    });
    let run: ReturnType<typeof drafts>;
    const ctx = new AnalysisContext(db, runId, resolveLimits({ evidence: 0 }), undefined, undefined);
    try {
      executed.length = 0;
      run = { ready: spanSecondsReady(ctx), drafts: backgroundAccess.run(ctx) as FindingDraft[] };
    } finally {
      names.forEach((n, i) => {
        proto[n] = saved[i];
      });
    }
    expect(run.ready).toBe(true);
    expect(run.drafts.length).toBeGreaterThan(20);
    const rowReads = executed.filter((e) => /event_rows/.test(e.sql));
    expect(rowReads.length).toBeGreaterThan(0);
    // Never a stream's chunks by time range; always single seconds of event_seconds' id ranges,
    // bound as (index, second, lo, hi) per window, several windows per statement.
    for (const r of rowReads) expect(r.sql).toMatch(/q\.second = w\.s/);
    const windows = rowReads.map((r) => (r.sql.match(/\(\?, \?, \?, \?\)/g) ?? []).length);
    expect(windows.every((n) => n > 0)).toBe(true);
    // The spans' edge seconds in one statement, not one each.
    expect(Math.max(...windows)).toBeGreaterThan(2);
    expect(rowReads.length).toBeLessThan(windows.reduce((a, b) => a + b, 0));
    const secondsRead = new Set(
      rowReads.flatMap((r, i) => Array.from({ length: windows[i]! }, (_, k) => r.args[4 * k + 1] as number)),
    );
    // Allowed: each span's two edge seconds, and (first/last times) a group's first or last
    // whole second inside a span by the roll-up.
    const sec = (t: number) => Math.floor((T0 + t) / 1000);
    const allowed = new Set<number>();
    const personal = [...new Set(ctx.groups.filter((g) => isPersonal(g.category)).map((g) => g.categoryId))];
    for (let i = 1; i < LIFECYCLE.length; i += 2) {
      const s0 = sec(LIFECYCLE[i]![0]);
      const s1 = i + 1 < LIFECYCLE.length ? sec(LIFECYCLE[i + 1]![0]) : 1e15;
      allowed.add(s0).add(s1);
      for (const r of db
        .prepare(
          `SELECT min(s) AS f, max(s) AS l FROM (SELECT category_id, sdk_id, CAST(floor(time / 1000) AS INTEGER) AS s
             FROM events WHERE run_id = ? AND category_id IN (${personal.join(', ')})) WHERE s > ? AND s < ?
           GROUP BY category_id, sdk_id`,
        )
        .all(runId, s0, s1) as { f: number; l: number }[])
        allowed.add(r.f).add(r.l);
    }
    expect([...secondsRead].filter((s) => !allowed.has(s))).toEqual([]);
    // Far fewer seconds than the spans hold.
    expect(secondsRead.size).toBeLessThan(12);
    store.close();
  });
});
