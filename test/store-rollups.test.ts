// The per-run roll-ups (harness/store/rollups.ts) equal what GROUP BY over the events gives,
// stay right when a run is appended to, re-attributed or read without them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMessages } from '../bench/synthetic-trace.ts';
import { attributeRunSdks } from '../harness/analysis/sdk-attribution.ts';
import { readRollup, rollupStored } from '../harness/store/rollup-read.ts';
import { decodeSample, SAMPLE_LIMIT } from '../harness/store/rollups.ts';
import { openReadOnly, openStore, type Store } from '../harness/store/store.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-rollups-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The roll-up recomputed from the events with SQL: what the stored one must equal. */
function expected(db: Database.Database, runId: number) {
  const groups = db
    .prepare(
      `SELECT category_id AS c, sdk_id AS s, phase_id AS p, foreground AS f, api_id AS a,
         count(*) AS n, min(time) AS first, max(time) AS last,
         (SELECT group_concat(id) FROM (SELECT id FROM events e2 WHERE e2.run_id = e.run_id
            AND e2.category_id = e.category_id AND e2.sdk_id IS e.sdk_id AND e2.phase_id = e.phase_id
            AND e2.foreground = e.foreground AND e2.api_id = e.api_id
            ORDER BY time, id LIMIT ${SAMPLE_LIMIT})) AS sample
       FROM events e WHERE run_id = ? GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    )
    .all(runId);
  const seconds = db
    .prepare(
      `SELECT category_id AS c, phase_id AS p, CAST(floor(time / 1000) AS INTEGER) AS sec, count(*) AS n
       FROM events WHERE run_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all(runId);
  const steps = db
    .prepare(
      `SELECT step_id AS st, sdk_id AS s, api_id AS a, count(*) AS n
       FROM events WHERE run_id = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all(runId);
  const stacks = db
    .prepare('SELECT DISTINCT stack_id FROM events WHERE run_id = ? AND stack_id IS NOT NULL ORDER BY 1')
    .pluck()
    .all(runId);
  return { groups, seconds, steps, stacks };
}

function actual(db: Database.Database, runId: number) {
  const r = readRollup(db, runId);
  const key = (x: number | null) => x ?? -1;
  return {
    groups: r.groups
      .map((g) => ({
        c: g.categoryId,
        s: g.sdkId,
        p: g.phaseId,
        f: g.foreground,
        a: g.apiId,
        n: g.n,
        first: g.first,
        last: g.last,
        sample: decodeSample(g.sample)
          .map(([id]) => id)
          .join(','),
      }))
      .sort((x, y) => x.c - y.c || key(x.s) - key(y.s) || x.p - y.p || x.f - y.f || x.a - y.a),
    seconds: r.seconds
      .map((s) => ({ c: s.categoryId, p: s.phaseId, sec: s.second, n: s.n }))
      .sort((x, y) => x.c - y.c || x.p - y.p || x.sec - y.sec),
    steps: r.steps
      .map((t) => ({ st: t.stepId, s: t.sdkId, a: t.apiId, n: t.n }))
      .sort((x, y) => key(x.st) - key(y.st) || key(x.s) - key(y.s) || x.a - y.a),
    stacks: [...r.stacks].sort((a, b) => a - b),
  };
}

function record(store: Store, runId: number, events: number, seed: number, startTime: number): void {
  const w = store.traceWriter(runId, { batchSize: 700 });
  const t0 = startTime;
  const step = w.beginStep({ kind: 'tap', label: 'a', time: t0 + 500 });
  w.endStep(step, 'ok', undefined, t0 + 2500);
  for (const m of syntheticMessages({ events, seed, startTime, batchSize: 150, stacks: 80, hooks: 30 }))
    w.handle(m);
  // A late batch whose events are EARLIER than everything so far: samples must re-sort.
  w.handle({
    v: 1,
    type: 'events',
    pid: 4000,
    process: 'com.example.shop',
    seq: 10_000,
    stacks: [],
    dropped: 0,
    events: [3, 1, 2].map((d) => ({
      time: startTime - d,
      hook: 'device-id.hook-0',
      category: 'device-id',
      api: 'android.example.deviceid.Manager0.get0(java.lang.String,int)',
      thread: 'main',
      foreground: true,
      phase: 'launch',
    })),
  });
  w.flush();
}

describe('roll-ups', () => {
  it('equal GROUP BY over the events, also after appending to the run', () => {
    const store = openStore(join(dir, 'a.db'));
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
    });
    record(store, runId, 3000, 1, 1_767_225_600_000);
    expect(rollupStored(store.db, runId)).toBe(true);
    expect(actual(store.db, runId)).toEqual(expected(store.db, runId));
    record(store, runId, 2000, 2, 1_767_225_601_000);
    const want = expected(store.db, runId);
    expect(want.groups.length).toBeGreaterThan(50);
    expect(actual(store.db, runId)).toEqual(want);
    expect(readRollup(store.db, runId).events).toBe(5006);
    store.close();
  });

  it('are rebuilt by one scan when missing: stored on a writable connection, in memory on a read-only one', () => {
    const path = join(dir, 'b.db');
    const store = openStore(path);
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
    });
    record(store, runId, 2000, 3, 1_767_225_600_000);
    store.endRun(runId, 'completed');
    const want = expected(store.db, runId);
    store.db.prepare('DELETE FROM rollup_runs WHERE run_id = ?').run(runId);
    store.db.prepare('DELETE FROM event_groups WHERE run_id = ?').run(runId);
    store.close();
    const ro = openReadOnly(path);
    expect(actual(ro, runId)).toEqual(want);
    expect(rollupStored(ro, runId)).toBe(false);
    ro.close();
    const rw = openStore(path);
    expect(actual(rw.db, runId)).toEqual(want);
    expect(rollupStored(rw.db, runId)).toBe(true);
    rw.close();
  });

  it('follow a re-attribution of the run’s SDKs', () => {
    const store = openStore(join(dir, 'c.db'));
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
    });
    record(store, runId, 2000, 4, 1_767_225_600_000);
    expect(readRollup(store.db, runId).groups.every((g) => g.sdkId === null)).toBe(true);
    const stats = attributeRunSdks(store.db, runId, 'com.example.shop');
    expect(stats.changedEvents).toBeGreaterThan(0);
    // The run's stacks came from run_stacks, the same set a DISTINCT over its events gives.
    expect(stats.stacks).toBe(expected(store.db, runId).stacks.length);
    expect(actual(store.db, runId)).toEqual(expected(store.db, runId));
    expect(readRollup(store.db, runId).groups.some((g) => g.sdkId !== null)).toBe(true);
    store.close();
  });
});
