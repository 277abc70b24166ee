// The per-second roll-up's v12 parts (event_seconds' id ranges and per-SDK counts) equal GROUP BY
// over the events: after ingest with several processes and messages (a second written by
// several writes), after merge, after re-attribution, and after migrating a v11 database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraEvents, REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { attributeRunSdks } from '../harness/analysis/sdk-attribution.ts';
import { mergeDatabases } from '../harness/merge/merge.ts';
import { readRollup, rollupStored } from '../harness/store/rollup-read.ts';
import { secondSdks } from '../harness/store/rollup-statements.ts';
import { schemaVersion } from '../harness/store/schema.ts';
import { openStore, type Store } from '../harness/store/store.ts';

const T0 = 1_767_225_600_000;
const PKG = 'com.example.shop';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-second-sdks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Both roll-ups recomputed from the events (the view's `time`), and as stored. */
function expected(db: Database.Database, runId: number) {
  return {
    sdk: db
      .prepare(
        `SELECT category_id AS c, phase_id AS p, CAST(floor(time / 1000) AS INTEGER) AS sec, sdk_id AS s, count(*) AS n
         FROM events WHERE run_id = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, coalesce(4, 0)`,
      )
      .all(runId),
    ids: db
      .prepare(
        `SELECT category_id AS c, phase_id AS p, CAST(floor(time / 1000) AS INTEGER) AS sec, count(*) AS n,
           min(id) AS lo, max(id) AS hi FROM events WHERE run_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      )
      .all(runId),
  };
}

function stored(db: Database.Database, runId: number) {
  const rows = db
    .prepare(
      'SELECT category_id AS c, phase_id AS p, second AS sec, sdks FROM event_seconds WHERE run_id = ? ORDER BY 1, 2, 3',
    )
    .all(runId) as { c: number; p: number; sec: number; sdks: string }[];
  return {
    sdk: rows.flatMap(({ c, p, sec, sdks }) => {
      const counts = new Map<number | null, number>();
      secondSdks(sdks, counts);
      return [...counts].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)).map(([s, n]) => ({ c, p, sec, s, n }));
    }),
    ids: db
      .prepare(
        `SELECT category_id AS c, phase_id AS p, second AS sec, n, first_id AS lo, last_id AS hi
         FROM event_seconds WHERE run_id = ? ORDER BY 1, 2, 3`,
      )
      .all(runId),
  };
}

function record(store: Store, events: number, seed: number, start = T0): number {
  // Three processes, messages of ~200 events interleaved: ids of a second are not in time order.
  const { runId, w } = syntheticRun(
    store,
    start,
    { ...REALISTIC, events, seed, startTime: start + 0.25 },
    { batchSize: 700 },
  );
  w.flush(); // the roll-ups written: the late message below adds to seconds already stored
  // A late message of earlier events: the counts and id ranges of old seconds grow.
  w.handle(
    extraEvents(
      [999.75, 1000, 5000.5].map((d) => ({
        time: start + d,
        hook: 'device-id.hook-0',
        category: 'device-id',
        api: 'android.example.deviceid.Manager0.get0(java.lang.String,int)',
        thread: 'main',
        foreground: false,
        phase: 'launch',
      })),
    ),
  );
  w.flush();
  store.endRun(runId, 'completed');
  return runId;
}

describe('per-second roll-ups (v12)', () => {
  it('equal GROUP BY over the events after ingest with several processes and messages', () => {
    const store = openStore(join(dir, 'a.db'));
    const runId = record(store, 6000, 1);
    expect(rollupStored(store.db, runId)).toBe(true);
    const want = expected(store.db, runId);
    expect(want.sdk.length).toBeGreaterThan(150);
    // Id ranges hold other seconds' events too (the late message); some second was written by
    // two writes (its SDK counts appended).
    const ranges = want.ids as { n: number; lo: number; hi: number }[];
    expect(ranges.some((r) => r.hi - r.lo + 1 > r.n)).toBe(true);
    const texts = store.db
      .prepare('SELECT sdks FROM event_seconds WHERE run_id = ?')
      .pluck()
      .all(runId) as string[];
    expect(
      texts.some((t) => new Set(t.split(',').map((p) => p.split(':')[0])).size < t.split(',').length),
    ).toBe(true);
    expect(stored(store.db, runId)).toEqual(want);
    store.close();
  });

  it('follow a re-attribution of the run’s SDKs (rebuilt on the next read)', () => {
    const store = openStore(join(dir, 'b.db'));
    const runId = record(store, 4000, 2);
    const before = expected(store.db, runId);
    expect(before.sdk.every((r) => (r as { s: number | null }).s === null)).toBe(true);
    expect(attributeRunSdks(store.db, runId, PKG).changedEvents).toBeGreaterThan(0);
    expect(rollupStored(store.db, runId)).toBe(false);
    readRollup(store.db, runId);
    const want = expected(store.db, runId);
    expect(want.sdk.some((r) => (r as { s: number | null }).s !== null)).toBe(true);
    expect(stored(store.db, runId)).toEqual(want);
    store.close();
  });

  it('are right for merged runs (rolled up on first read of the output)', () => {
    const a = join(dir, 'm1.db');
    const b = join(dir, 'm2.db');
    for (const [file, seed] of [
      [a, 3],
      [b, 4],
    ] as const) {
      const s = openStore(file);
      record(s, 2500, seed);
      s.close();
    }
    const out = join(dir, 'm-out.db');
    mergeDatabases(out, [a, b]);
    const store = openStore(out);
    const runs = store.db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[];
    expect(runs.length).toBe(2);
    for (const runId of runs) {
      readRollup(store.db, runId);
      expect(rollupStored(store.db, runId)).toBe(true);
      const want = expected(store.db, runId);
      expect(want.sdk.length).toBeGreaterThan(50);
      expect(stored(store.db, runId)).toEqual(want);
    }
    store.close();
  });

  it('are built for runs of a migrated v11 database', () => {
    const path = join(dir, 'v11.db');
    const s = openStore(path);
    const runId = record(s, 3000, 5);
    const want = expected(s.db, runId);
    s.close();
    // Back to the v11 shape: event_seconds without the v12 columns, roll-ups kept.
    const raw = new BetterSqlite3(path);
    raw.exec(`ALTER TABLE event_seconds DROP COLUMN first_id; ALTER TABLE event_seconds DROP COLUMN last_id;
      ALTER TABLE event_seconds DROP COLUMN sdks; PRAGMA user_version = 11;`);
    raw.close();
    const store = openStore(path);
    expect(schemaVersion(store.db)).toBe(12);
    // The migration dropped the stored roll-ups: the next read rebuilds every part.
    expect(rollupStored(store.db, runId)).toBe(false);
    readRollup(store.db, runId);
    expect(stored(store.db, runId)).toEqual(want);
    store.close();
  });
});
