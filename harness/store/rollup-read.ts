// Reading a run's roll-ups (rollups.ts keeps them while ingesting): the stored rows, or one scan
// of the run's events when a run has none (merged in, older, or re-attributed).
import type Database from 'better-sqlite3';
import { streamRows, timeBase } from './event-rows.ts';
import { jsonRows } from './json-rows.ts';
import {
  RollupAccumulator,
  type RollupGroup,
  type RollupSecond,
  type RollupStep,
  type RunRollup,
} from './rollups.ts';

/** Lookup tables the roll-ups refer to by id. */
export type LookupTable = 'categories' | 'phases' | 'sdks';

/** id → name of one lookup table (roll-up readers name what the roll-ups store as ids). */
export function lookupNames(db: Database.Database, table: LookupTable): Map<number, string> {
  return new Map(
    db
      .prepare<[], { id: number; name: string }>(`SELECT id, name FROM ${table}`)
      .all()
      .map((r) => [r.id, r.name]),
  );
}

/** Whether the database has the roll-up tables (schema v9+). */
export function hasRollupTables(db: Database.Database): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup_runs'").get() !==
    undefined
  );
}

/** Whether run `runId` has complete stored roll-ups. */
export function rollupStored(db: Database.Database, runId: number): boolean {
  return (
    hasRollupTables(db) && db.prepare('SELECT 1 FROM rollup_runs WHERE run_id = ?').get(runId) !== undefined
  );
}

/** Drops run `runId`'s roll-ups (its events changed outside the TraceWriter, e.g. re-attribution). */
export function invalidateRollup(db: Database.Database, runId: number): void {
  if (!hasRollupTables(db)) return;
  db.transaction(() => {
    for (const t of ['rollup_runs', 'event_groups', 'event_steps', 'event_seconds', 'run_stacks'])
      db.prepare(`DELETE FROM ${t} WHERE run_id = ?`).run(runId);
  })();
}

/** Rolls up run `runId` with one scan of its events (stored when `db` may write). */
export function rebuildRollup(db: Database.Database, runId: number): RunRollup {
  const acc = new RollupAccumulator(runId);
  const rows = db
    .prepare<
      [number],
      [number, number, number, number | null, number, number, number, number | null, number | null]
    >(
      `SELECT e.id, e.offset_ms, e.category_id, e.sdk_id, e.phase_id, e.foreground, e.api_id, e.step_id, e.stack_id
       FROM ${streamRows(db)}`,
    )
    .raw(true);
  const base = timeBase(db, runId);
  for (const r of rows.iterate(runId)) acc.add(r[0], r[1] + base, r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
  // Stored only for a finished run: a run still being recorded has a writer keeping its own.
  const status = db.prepare<[number], string>('SELECT status FROM runs WHERE id = ?').pluck().get(runId);
  if (!db.readonly && hasRollupTables(db) && status !== 'running') {
    const result = acc.result();
    db.transaction(() => {
      invalidateRollup(db, runId);
      acc.write(db);
    })();
    return result;
  }
  return acc.result();
}

/**
 * Run `runId`'s roll-ups: the stored rows, or one scan of its events when there are none.
 * `seconds: false` leaves the stored per-second rows out (empty; a reader summing them in SQL).
 */
export function readRollup(
  db: Database.Database,
  runId: number,
  parts: { seconds?: boolean } = {},
): RunRollup {
  if (!rollupStored(db, runId)) return rebuildRollup(db, runId);
  const groups = readStoredGroups(db, runId);
  // Tens of thousands of rows at 1M events: as JSON (json-rows.ts), in primary-key order.
  const steps = jsonRows<RollupStep>(
    db,
    { stepId: 'nullif(step_id, 0)', sdkId: 'nullif(sdk_id, 0)', apiId: 'api_id', n: 'n' },
    'event_steps WHERE run_id = ?',
    [runId],
  );
  const seconds =
    parts.seconds === false
      ? []
      : jsonRows<RollupSecond>(
          db,
          { categoryId: 'category_id', phaseId: 'phase_id', second: 'second', n: 'n' },
          'event_seconds WHERE run_id = ?',
          [runId],
        );
  const stacks = db
    .prepare<[number], number>('SELECT stack_id FROM run_stacks WHERE run_id = ?')
    .pluck()
    .all(runId);
  const events =
    db.prepare<[number], number>('SELECT events FROM rollup_runs WHERE run_id = ?').pluck().get(runId) ?? 0;
  return { groups, steps, seconds, stacks, events };
}

/** Run `runId`'s stored event groups alone (readers that need no other part; rollupStored). */
export function readStoredGroups(db: Database.Database, runId: number): RollupGroup[] {
  return jsonRows<RollupGroup>(
    db,
    {
      categoryId: 'category_id',
      sdkId: 'sdk_id',
      phaseId: 'phase_id',
      foreground: 'foreground',
      apiId: 'api_id',
      n: 'n',
      first: 'first',
      last: 'last',
      sample: 'sample',
    },
    'event_groups WHERE run_id = ?',
    [runId],
  );
}

/** A category's events per bucket of `per` seconds since the epoch (floor(second / per)). */
export interface SecondBucket {
  c: number;
  b: number;
  n: number;
}

/**
 * Run `runId`'s stored per-second counts of `categoryIds` summed into buckets of `per` whole
 * seconds, in (category, bucket) order: SQLite sums the tens of thousands of second rows, JS
 * gets hundreds (rollupStored). Floor division, also for seconds before the epoch.
 */
export function readStoredBuckets(
  db: Database.Database,
  runId: number,
  categoryIds: readonly number[],
  per: number,
): SecondBucket[] {
  if (categoryIds.length === 0) return [];
  return db
    .prepare<unknown[], SecondBucket>(
      `WITH w (per) AS (SELECT CAST(@per AS INTEGER))
       SELECT category_id AS c, (second - ((second % per) + per) % per) / per AS b, sum(n) AS n
       FROM event_seconds, w WHERE run_id = @run AND category_id IN (${categoryIds.map(() => '?').join(', ')})
       GROUP BY c, b ORDER BY c, b`,
    )
    .all({ run: runId, per }, ...categoryIds);
}
