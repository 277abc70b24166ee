// AnalysisContext.groups from the stored roll-up (event-groups.ts): sorted in SQL, merged in JS.
// Checked against the in-memory path (loadGroups over readStoredGroups' rows), on a store whose
// event_groups hold what the writer never makes itself: a key split over several rows (their
// samples in rowid order), a framework SDK's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext, type EventGroup } from '../harness/analysis/context.ts';
import { loadGroups } from '../harness/analysis/event-groups.ts';
import { FRAMEWORK_SDK } from '../harness/knowledge/sdks.ts';
import { readStoredGroups } from '../harness/store/rollup-read.ts';
import { decodeSample } from '../harness/store/rollups.ts';
import { openStore, type Store } from '../harness/store/store.ts';

const T0 = 1_767_225_600_000;
let store: Store;
let runId: number;

const plain = (g: EventGroup) => ({
  categoryId: g.categoryId,
  category: g.category,
  sdkId: g.sdkId,
  sdk: g.sdk,
  phaseId: g.phaseId,
  phase: g.phase,
  foreground: g.foreground,
  apiId: g.apiId,
  hook: g.hook,
  n: g.n,
  first: g.first,
  last: g.last,
  samples: g.samples,
});

beforeAll(() => {
  store = openStore(':memory:');
  const run = syntheticRun(store, T0, {
    ...REALISTIC,
    events: 6_000,
    seed: 3,
    startTime: T0,
    batchSize: 200,
  });
  runId = run.runId;
  const w = run.w;
  w.flush();
  store.endRun(runId, 'completed', undefined, T0 + 100_000);
  const db = store.db;
  // Attribution to an SDK (the synthetic trace has none): the events of every other API, in both
  // the events and their roll-up groups.
  const sdk = Number(db.prepare("INSERT INTO sdks (name) VALUES ('umeng-analytics')").run().lastInsertRowid);
  db.prepare('UPDATE event_rows SET sdk_id = ? WHERE run_id = ? AND api_id % 2 = 0').run(sdk, runId);
  db.prepare('UPDATE event_groups SET sdk_id = ? WHERE run_id = ? AND api_id % 2 = 0').run(sdk, runId);
  // Split the largest group with a null SDK and the largest with an SDK in two rows each: the later
  // events' sample in the row with the SMALLER rowid (so rowid order is not time order).
  for (const nullSdk of [true, false]) {
    const g = db
      .prepare<[number], { rowid: number; n: number; first: number; last: number; sample: string }>(
        `SELECT rowid, n, first, last, sample FROM event_groups WHERE run_id = ? AND sdk_id IS ${nullSdk ? '' : 'NOT'} NULL
         ORDER BY n DESC LIMIT 1`,
      )
      .get(runId)!;
    const pairs = decodeSample(g.sample);
    expect(pairs.length).toBeGreaterThan(4);
    const encode = (xs: [number, number][]) =>
      xs
        .map(([id, t], i) => (i === 0 ? `${id}@${t}` : `${id - xs[i - 1]![0]}@${t - xs[i - 1]![1]}`))
        .join(',');
    db.prepare('UPDATE event_groups SET n = 3, first = ?, sample = ? WHERE rowid = ?').run(
      pairs[3]![1],
      encode(pairs.slice(3)),
      g.rowid,
    );
    db.prepare(
      `INSERT INTO event_groups (run_id, category_id, sdk_id, phase_id, foreground, api_id, n, first, last, sample)
       SELECT run_id, category_id, sdk_id, phase_id, foreground, api_id, ?, ?, ?, ? FROM event_groups WHERE rowid = ?`,
    ).run(g.n - 3, g.first, pairs[2]![1], encode(pairs.slice(0, 3)), g.rowid);
  }
  // A framework SDK's group: stored, never counted by the rules.
  db.prepare('INSERT OR IGNORE INTO sdks (name) VALUES (?)').run(FRAMEWORK_SDK);
  db.prepare(
    `INSERT INTO event_groups (run_id, category_id, sdk_id, phase_id, foreground, api_id, n, first, last, sample)
     SELECT run_id, category_id, (SELECT id FROM sdks WHERE name = ?), phase_id, foreground, api_id, n, first, last, sample
     FROM event_groups WHERE run_id = ? LIMIT 1`,
  ).run(FRAMEWORK_SDK, runId);
});

afterAll(() => store.close());

describe('stored event groups', () => {
  it('are the in-memory merge of the stored rows: order, merged counts, names, samples in rowid order', () => {
    const want = loadGroups(store.db, readStoredGroups(store.db, runId)).map(plain);
    const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
    expect(ctx.groups.map(plain)).toEqual(want);
    // The split groups are there, merged, their two samples in rowid order (later events first).
    const split = ctx.groups.filter((g) => g.samples.length === 2);
    expect(split.map((g) => g.sdkId === null).sort()).toEqual([false, true]);
    for (const g of split) expect(decodeSample(g.samples[0]!)[0]![1]).toBeGreaterThan(g.first);
    expect(ctx.groups.some((g) => g.sdk === FRAMEWORK_SDK)).toBe(false);
    // Null SDK first within a category, as a GROUP BY gave.
    const first = ctx.groups.findIndex((g) => g.sdkId === null);
    expect(ctx.groups[first - 1]?.categoryId).not.toBe(ctx.groups[first]!.categoryId);
  });

  it('give evidence from the split groups’ samples in (time, id) order', () => {
    const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
    for (const g of ctx.groups.filter((x) => x.samples.length === 2)) {
      const same = (x: EventGroup) => x === g;
      const ids = store.db
        .prepare<[number, number, number | null, number, number, number], number>(
          `SELECT id FROM events WHERE run_id = ? AND category_id = ? AND sdk_id IS ? AND phase_id = ?
           AND foreground = ? AND api_id = ? ORDER BY time, id LIMIT 5`,
        )
        .pluck()
        .all(runId, g.categoryId, g.sdkId, g.phaseId, Number(g.foreground), g.apiId);
      expect(ctx.evidence(g.categoryId, '1', [], same, 5)).toEqual(ids);
    }
  });

  it('give a (category, SDK)’s evidence from its own groups: the first events by (time, id)', () => {
    const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
    const merged = ctx.byCategorySdk(() => true);
    expect(new Set(merged.map((g) => g.sdkId)).size).toBeGreaterThan(1);
    const first = store.db
      .prepare<[number, number, number | null, number], number>(
        `SELECT e.id FROM events e JOIN phases p ON p.id = e.phase_id WHERE e.run_id = ? AND e.category_id = ?
         AND e.sdk_id IS ? AND (? = 0 OR p.name = 'launch') ORDER BY e.time, e.id LIMIT 20`,
      )
      .pluck();
    for (const g of merged) {
      expect(ctx.groupEvidence(g)).toEqual(first.all(runId, g.categoryId, g.sdkId, 0));
      expect(ctx.groupEvidence(g, '1', [], (x) => x.phase === 'launch')).toEqual(
        first.all(runId, g.categoryId, g.sdkId, 1),
      );
    }
  });

  it('read an event once per id: each id its own event', () => {
    const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
    const ids = store.db
      .prepare<[number], number>('SELECT id FROM events WHERE run_id = ? ORDER BY id LIMIT 3')
      .pluck()
      .all(runId);
    const time = store.db.prepare<[number], number>('SELECT time FROM events WHERE id = ?').pluck();
    for (const id of [...ids, ...ids]) {
      expect(ctx.event(id).id).toBe(id);
      expect(ctx.event(id).time).toBe(time.get(id));
    }
    expect(ctx.event(ids[0]!)).toBe(ctx.event(ids[0]!));
    expect(ctx.event(ids[1]!)).not.toBe(ctx.event(ids[0]!));
  });
});
