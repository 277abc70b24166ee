// The roll-up writer's statements (prepared once per connection) and the v12 per-SDK counts
// of `event_seconds` (docs/schema.md "Roll-ups"): written by RollupAccumulator (rollups.ts),
// read by span-seconds.ts.
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';

/** `event_seconds.sdks` (v12): `sdk:n` pairs, comma-separated, sdk 0 for none (secondSdks reads it). */
export function encodeSdks(pairs: readonly number[]): string {
  let text = `${pairs[0]}:${pairs[1]}`;
  for (let i = 2; i < pairs.length; i += 2) text += `,${pairs[i]}:${pairs[i + 1]}`;
  return text;
}

/** One `sdk:n` pair of `event_seconds.sdks`. */
const SDKS_TEXT = /^\d+:\d+(,\d+:\d+)*$/;

/**
 * The per-SDK counts of an `event_seconds.sdks` text, added into `into` (sdk id, null for none →
 * count). A row updated by several writes holds the same SDK more than once: counts add up.
 * Text that is not `sdk:n` pairs (a database edited by hand) throws RollupDataError.
 */
export function secondSdks(text: string, into: Map<number | null, number>): void {
  if (!SDKS_TEXT.test(text))
    throw new RollupDataError(
      `event_seconds.sdks: expected "sdk:n" pairs, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  for (const pair of text.split(',')) {
    const at = pair.indexOf(':');
    const sdk = Number(pair.slice(0, at));
    const key = sdk === 0 ? null : sdk;
    into.set(key, (into.get(key) ?? 0) + Number(pair.slice(at + 1)));
  }
}

/**
 * A stored roll-up that is not what the writer writes (edited by hand): the store's label is
 * added by storeFailure. The roll-ups are derived data: rebuilding them mends it.
 */
export class RollupDataError extends StoreError {}

/** The first `event_seconds` row of run `runId` whose `sdks` is not `sdk:n` pairs, as an error. */
export function malformedSdks(db: Database.Database, runId: number): RollupDataError {
  const rows = db
    .prepare<[number], { category_id: number; phase_id: number; second: number; sdks: string | null }>(
      'SELECT category_id, phase_id, second, sdks FROM event_seconds WHERE run_id = ? ORDER BY category_id, phase_id, second',
    )
    .all(runId);
  const bad = rows.find((r) => r.sdks !== null && !SDKS_TEXT.test(r.sdks));
  const where = bad
    ? `category ${bad.category_id}, phase ${bad.phase_id}, second ${bad.second}: ${JSON.stringify(String(bad.sdks).slice(0, 40))}`
    : 'a row';
  return new RollupDataError(
    `event_seconds.sdks of run ${runId} (${where}) is not "sdk:n" pairs; DELETE FROM rollup_runs WHERE run_id = ${runId} rebuilds the run's roll-ups`,
  );
}

const secondSdksColumn = new WeakMap<Database.Database, boolean>();

/** Whether `event_seconds` has the v12 id ranges and per-SDK counts. */
export function hasSecondSdks(db: Database.Database): boolean {
  let v = secondSdksColumn.get(db);
  if (v === undefined) {
    v =
      db.prepare("SELECT 1 FROM pragma_table_info('event_seconds') WHERE name = 'sdks'").get() !== undefined;
    secondSdksColumn.set(db, v);
  }
  return v;
}

const cache = new WeakMap<Database.Database, ReturnType<typeof prepareAll>>();

function prepareAll(db: Database.Database) {
  // A writable database kept below v12 (tests' migrateTo): the older per-second rows.
  const v12 = hasSecondSdks(db);
  return {
    v12,
    addGroup: db.prepare(
      `INSERT INTO event_groups (run_id, category_id, sdk_id, phase_id, foreground, api_id, n, first, last, sample)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    setGroup: db.prepare('UPDATE event_groups SET n = ?, first = ?, last = ? WHERE rowid = ?'),
    setGroupSample: db.prepare(
      'UPDATE event_groups SET n = ?, first = ?, last = ?, sample = ? WHERE rowid = ?',
    ),
    // A second written again (its events spanned two writes): the id range widens, the SDK
    // counts are appended (readers add them up).
    addSecond: db.prepare(
      v12
        ? `INSERT INTO event_seconds (run_id, category_id, phase_id, second, n, first_id, last_id, sdks)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET n = n + excluded.n, first_id = min(first_id, excluded.first_id),
             last_id = max(last_id, excluded.last_id), sdks = sdks || ',' || excluded.sdks`
        : `INSERT INTO event_seconds (run_id, category_id, phase_id, second, n) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ),
    addStep: db.prepare(
      `INSERT INTO event_steps (run_id, step_id, sdk_id, api_id, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    ),
    addStack: db.prepare('INSERT OR IGNORE INTO run_stacks (run_id, stack_id) VALUES (?, ?)'),
    unmark: db.prepare('DELETE FROM rollup_runs WHERE run_id = ?'),
    mark: db.prepare(
      'INSERT INTO rollup_runs (run_id, events) VALUES (?, ?) ON CONFLICT DO UPDATE SET events = excluded.events',
    ),
  };
}

/** Statements prepared once per connection. */
export function statements(db: Database.Database): ReturnType<typeof prepareAll> {
  let s = cache.get(db);
  if (!s) {
    s = prepareAll(db);
    cache.set(db, s);
  }
  return s;
}
