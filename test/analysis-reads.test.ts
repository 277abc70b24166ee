// What the analysis and the report READ, not how fast they are (speed is bench/analysis-bench.ts):
// the behaviours that keep `analyze` near one raw scan at a million events, each checked on the
// statements actually executed (a spy on better-sqlite3's Statement) or on SQLite's query plan,
// so a change that brings back a read of every row fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extraEvents, REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext } from '../harness/analysis/context.ts';
import { analyzeRun } from '../harness/analysis/engine.ts';
import { PopupIndex, popupTexts } from '../harness/analysis/popup-texts.ts';
import { openStore, type Store } from '../harness/store/store.ts';
import { buildReportModel } from '../reports/model.ts';

const T0 = 1_767_225_600_000;
let dir: string;
let store: Store;
let runId: number;

/** SQL of every statement executed (all / get / iterate / run) while `spying` is on. */
const executed: string[] = [];
let spying = false;
let restore: (() => void) | undefined;

function spyOn(db: Database.Database): void {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, unknown>;
  const names = ['all', 'get', 'iterate', 'run'] as const;
  const saved = names.map((n) => proto[n] as (...a: unknown[]) => unknown);
  names.forEach((n, i) => {
    proto[n] = function (this: Database.Statement, ...args: unknown[]) {
      if (spying) executed.push(this.source);
      return saved[i]!.apply(this, args);
    };
  });
  restore = () => {
    names.forEach((n, i) => {
      proto[n] = saved[i];
    });
  };
}

function reads(fn: () => void): string[] {
  executed.length = 0;
  spying = true;
  try {
    fn();
  } finally {
    spying = false;
  }
  return [...executed];
}

const popupArgs = (i: number) => `title="offer ${i % 7}" text="tap to claim ${i % 5}" id=${i}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-reads-'));
  store = openStore(join(dir, 'reads.db'));
  const run = syntheticRun(store, T0, {
    ...REALISTIC,
    events: 20_000,
    seed: 7,
    startTime: T0,
    batchSize: 200,
  });
  runId = run.runId;
  const w = run.w;
  // Popups with texts over ~100 s, some sharing a millisecond (ties broken by id).
  const popups = extraEvents(
    Array.from({ length: 600 }, (_, i) => ({
      time: T0 + Math.floor(i * 170.5) - (i % 3 === 0 ? 0 : 1),
      hook: `popup.hook-${i % 3}`,
      category: (['notification', 'toast', 'dialog'] as const)[i % 3]!,
      api: `android.example.Popup${i % 3}.show()`,
      args: i % 4 === 3 ? 'id=0' : popupArgs(i),
      thread: 'main',
      foreground: true,
      phase: i < 300 ? 'launch' : 'browse',
    })),
  );
  w.handle(popups);
  w.flush();
  store.endRun(runId, 'completed', undefined, T0 + 200_000);
  spyOn(store.db);
});

afterEach(() => {
  spying = false;
});

afterAll(() => {
  restore?.();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const PERMISSIONS = ['android.permission.READ_PHONE_STATE', 'android.permission.ACCESS_FINE_LOCATION'];

describe('what analysis reads', () => {
  it('reads the roll-up’s groups and its per-second rows as aggregates or second ranges, never its step or stack parts', () => {
    const sql = reads(() => analyzeRun(store, runId, { permissions: PERMISSIONS }));
    expect(sql.some((s) => /FROM event_groups/.test(s))).toBe(true);
    expect(sql.filter((s) => /event_steps|run_stacks/.test(s))).toEqual([]);
    const seconds = sql.filter((s) => /FROM event_seconds/.test(s));
    expect(seconds.length).toBeGreaterThan(0);
    // Summed in SQL, or one JSON text of many rows (window-seconds.ts), or a few seconds' rows.
    expect(seconds.filter((s) => !/GROUP BY|json_group_array|group_concat|second [<>]/.test(s))).toEqual([]);
  });

  it('deceptive-download reads no event when no tap was recorded', () => {
    const prompts = store.db
      .prepare(
        "SELECT count(*) FROM events WHERE run_id = ? AND category_id = (SELECT id FROM categories WHERE name = 'install-prompt')",
      )
      .pluck()
      .get(runId) as number;
    expect(prompts).toBeGreaterThan(0);
    const sql = reads(() =>
      analyzeRun(store, runId, { permissions: PERMISSIONS, only: ['deceptive-download'] }),
    );
    expect(sql.some((s) => /ui_snapshots/.test(s))).toBe(true);
    expect(sql.filter((s) => /FROM (events|event_rows)\b/.test(s))).toEqual([]);
  });

  it('periodic-collection reads its streams through their chunks, never a scan of the events', () => {
    const sql = reads(() =>
      analyzeRun(store, runId, { permissions: PERMISSIONS, only: ['periodic-collection'] }),
    );
    expect(sql.filter((s) => /FROM (events|event_rows) WHERE run_id/.test(s))).toEqual([]);
    const onEvents = [...new Set(sql.filter((s) => /FROM event_chunks k CROSS JOIN event_rows e/.test(s)))];
    expect(onEvents.length).toBeGreaterThan(0);
    for (const s of onEvents) {
      const plan = store.db
        .prepare(`EXPLAIN QUERY PLAN ${s}`)
        .all(...Array.from({ length: (s.match(/\?/g) ?? []).length }, () => 1)) as { detail: string }[];
      const text = plan.map((p) => p.detail).join('; ');
      // The chunk index by stream and start (skipping chunks after the cut), then id ranges.
      expect(text, s).toMatch(
        /SEARCH k USING (COVERING )?INDEX event_chunks_stream \(run_id=\? AND category_id=\? AND phase_id=\? AND first_ms<\?\)/,
      );
      expect(text, s).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(text, s).not.toMatch(/SCAN (e|event_rows)\b/);
    }
  });

  it('the report’s checklist asks whether the run has events, it does not count them', () => {
    const sql = reads(() => buildReportModel(store.db, runId));
    expect(sql.some((s) => /EXISTS \(SELECT 1 FROM events WHERE run_id = \?\)/.test(s))).toBe(true);
    expect(
      sql.filter((s) => /count\(\*\) FROM (events|event_rows) WHERE run_id = \?$/.test(s.trim())),
    ).toEqual([]);
  });
});

describe('evidence of a time range', () => {
  it('reads the chunks overlapping the range and returns what a filter on the view’s time returns', () => {
    const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
    const g = ctx.groups.find((x) => x.n > 50)!;
    const from = g.first + (g.last - g.first) / 3;
    const to = g.first + (2 * (g.last - g.first)) / 3;
    const range = ctx.timeRange(from, to);
    const sql = reads(() => {
      const ids = ctx.evidence(g.categoryId, range.where, range.params, () => true, 1_000);
      // The same events as a filter on the view's computed time (every row of the partition).
      const want = store.db
        .prepare<[number, number, number, number], number>(
          'SELECT id FROM events WHERE run_id = ? AND category_id = ? AND time >= ? AND time < ? ORDER BY time, id',
        )
        .pluck()
        .all(runId, g.categoryId, from, to);
      expect(want.length).toBeGreaterThan(0);
      expect(ids).toEqual(want.slice(0, 1_000));
    });
    const walk = sql.find(
      (s) => /FROM event_chunks k CROSS JOIN event_rows e/.test(s) && /offset_ms >= \?/.test(s),
    )!;
    const plan = (
      store.db
        .prepare(`EXPLAIN QUERY PLAN ${walk}`)
        .all(...Array.from({ length: (walk.match(/\?/g) ?? []).length }, () => 1)) as {
        detail: string;
      }[]
    )
      .map((p) => p.detail)
      .join('; ');
    // Only the stream's chunks starting before the range's end, each an id range of event_rows.
    expect(plan).toMatch(
      /SEARCH k USING (COVERING )?INDEX event_chunks_stream \(run_id=\? AND category_id=\? AND phase_id=\? AND first_ms<\?\)/,
    );
    expect(plan).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
  });
});

describe('PopupIndex', () => {
  /** Every popup with texts, (time, id) order: what between() must agree with. */
  function all(db: Database.Database): { id: number; time: number; texts: string }[] {
    return (
      db
        .prepare(
          `SELECT e.id, e.time, sa.text AS args FROM events e JOIN categories c ON c.id = e.category_id
           JOIN summaries sa ON sa.id = e.args_id
           WHERE e.run_id = ? AND c.name IN ('notification', 'toast', 'dialog') ORDER BY e.time, e.id`,
        )
        .all(runId) as { id: number; time: number; args: string }[]
    )
      .map((r) => ({ id: r.id, time: r.time, texts: popupTexts(r.args) }))
      .filter((r) => r.texts !== '');
  }

  it('gives what one read of every popup gives, for windows across its 10-s slices', () => {
    const every = all(store.db);
    expect(every.length).toBeGreaterThan(300);
    const index = new PopupIndex(store.db, runId);
    const windows: [number, number, number][] = [
      [T0 - 60_000, T0 - 1, 4], // before any popup
      [T0 - 30_000, T0 + 1, 4],
      [T0 + 9_999, T0 + 10_000, 9], // a slice boundary
      [T0 + 25_000, T0 + 55_000, 4],
      [T0 + 25_000, T0 + 55_000, 1_000], // the whole window, across slices
      [T0 + 90_000, T0 + 120_001, 3],
      [T0 + 50_000, T0 + 40_000, 4], // empty: from after to
      [T0 + 200_000, T0 + 500_000, 4], // after the last popup
    ];
    for (const [from, to, limit] of windows) {
      const want = every
        .filter((p) => p.time >= from && p.time <= to)
        .reverse()
        .slice(0, limit)
        .map((p) => `${p.id}@${p.time} ${p.texts}`);
      const got = index.between(from, to, limit).map((p) => `${p.id}@${p.time} ${p.texts}`);
      expect(got, `${from - T0}..${to - T0}`).toEqual(want);
    }
  });

  it('reads only the slices a window touches', () => {
    const index = new PopupIndex(store.db, runId);
    const sql = reads(() => index.between(T0 + 25_000, T0 + 35_000, 4));
    const slices = sql.filter(
      (s) => /FROM event_chunks k CROSS JOIN event_rows e/.test(s) && /offset_ms >= \?/.test(s),
    );
    // At most four slices (three touched, one below for rounding) of the ~11 the popups span,
    // each one query per popup kind and phase.
    const phases = store.db.prepare('SELECT count(*) FROM phases').pluck().get() as number;
    expect(slices.length).toBeGreaterThan(0);
    expect(slices.length).toBeLessThanOrEqual(4 * 3 * phases);
  });
});
