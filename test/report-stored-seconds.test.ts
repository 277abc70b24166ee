// A report of a run with stored roll-ups sums its per-second rows into timeline buckets in SQL
// (reports/model-timeline.ts storedSecondRows); a run without them sums the seconds of its
// rebuilt roll-up in JS (secondRows). Both must give the same timeline, to the row order, and
// the stored case must not read the seconds one by one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';
import { buildReportModel } from '../reports/model.ts';

const T0 = 1_767_225_600_000;
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-seconds-'));
  db = join(dir, 's.db');
  const store = openStore(db);
  // ~1 event per ms over 40 s, started mid-second: bucket edges fall inside seconds.
  const { runId, w } = syntheticRun(store, T0, {
    ...REALISTIC,
    events: 40_000,
    seed: 5,
    startTime: T0 + 437.5,
  });
  w.flush();
  store.endRun(runId, 'completed', undefined, T0 + 41_000);
  store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** SQL of the statements `fn` runs on `conn`. */
function statements(conn: Database.Database, fn: () => void): string[] {
  const proto = Object.getPrototypeOf(conn.prepare('SELECT 1')) as Record<string, unknown>;
  const names = ['all', 'get', 'iterate'] as const;
  const saved = names.map((n) => proto[n] as (...a: unknown[]) => unknown);
  const seen: string[] = [];
  names.forEach((n, i) => {
    proto[n] = function (this: Database.Statement, ...args: unknown[]) {
      seen.push(this.source);
      return saved[i]!.apply(this, args);
    };
  });
  try {
    fn();
  } finally {
    names.forEach((n, i) => {
      proto[n] = saved[i];
    });
  }
  return seen;
}

describe('timeline from stored per-second roll-ups', () => {
  for (const buckets of [4, 7]) {
    it(`matches the JS sums of the same seconds (${buckets} buckets of ≥ 5 s)`, () => {
      const ro = openReadOnly(db);
      try {
        let stored: ReturnType<typeof buildReportModel> | undefined;
        const sql = statements(ro, () => {
          stored = buildReportModel(ro, 1, { buckets, now: 0 });
        });
        expect(stored!.timeline.bucketMs).toBeGreaterThanOrEqual(5_000);
        const seconds = sql.filter((s) => /FROM event_seconds/.test(s));
        expect(seconds.length).toBeGreaterThan(0);
        expect(seconds.every((s) => /GROUP BY/.test(s))).toBe(true);
        // The same run without stored roll-ups: rebuilt in memory (read-only), seconds summed in JS.
        const rw = openStore(db);
        rw.db.prepare('DELETE FROM rollup_runs WHERE run_id = 1').run();
        rw.close();
        const ro2 = openReadOnly(db);
        try {
          const rebuilt = buildReportModel(ro2, 1, { buckets, now: 0 });
          expect(stored!.timeline.counts).toEqual(rebuilt.timeline.counts);
          expect(Object.keys(stored!.timeline.counts)).toEqual(Object.keys(rebuilt.timeline.counts));
          expect(stored!.timeline.categories).toEqual(rebuilt.timeline.categories);
          expect(stored!.timeline.phases).toEqual(rebuilt.timeline.phases);
        } finally {
          ro2.close();
        }
      } finally {
        ro.close();
        // Stored again for the next case (a writer's read rebuilds and stores them).
        const rw = openStore(db);
        buildReportModel(rw.db, 1, { buckets, now: 0 });
        rw.close();
      }
    });
  }
});
