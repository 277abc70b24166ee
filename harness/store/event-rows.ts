// The physical events table (schema v10, schema-narrow-events.ts): readers that need its index
// for time ranges read `event_rows` with times shifted by the run's `runs.time_base`
// (events.time = time_base + event_rows.offset_ms); everything else reads the view `events`.
import type Database from 'better-sqlite3';

const stmts = new WeakMap<Database.Database, Database.Statement<[number], number | null>>();

/** The run's time base in ms since the epoch (0 when the run has no events yet). */
export function timeBase(db: Database.Database, runId: number): number {
  let s = stmts.get(db);
  if (!s) {
    // Before v10 (read-only, see PRE_V10_SHIMS) there is no time_base: offsets are absolute times.
    const v10 = db.prepare("SELECT 1 FROM pragma_table_info('runs') WHERE name = 'time_base'").get();
    s = db
      .prepare<[number], number | null>(
        v10 ? 'SELECT time_base FROM runs WHERE id = ?' : 'SELECT 0 WHERE ? > 0',
      )
      .pluck();
    stmts.set(db, s);
  }
  return s.get(runId) ?? 0;
}

/**
 * A database older than v10 opened read-only (never migrated): temp views give it the v10
 * names, with time_base 0 and absolute times as offsets, so v10 readers work on it unchanged.
 */
export const PRE_V10_SHIMS = `
CREATE TEMP VIEW event_rows AS
SELECT id, run_id, time AS offset_ms, process_id, thread_id, api_id, category_id, phase_id, foreground,
  step_id, stack_id, sdk_id, args_id, result_id, value_hash FROM main.events;
`;

const HASH_HEX = /^[0-9a-f]{16}$/;

/**
 * The agent's value hash (16 lowercase hex chars) as 8 bytes; anything else stays text so the
 * `events` view gives back exactly what was written (schema-narrow-events.ts).
 */
export function packHash(hash: string): Buffer | string {
  if (!HASH_HEX.test(hash)) return hash;
  // One reused buffer: better-sqlite3 binds blobs SQLITE_TRANSIENT (SQLite copies them).
  HASH_BYTES.write(hash, 0, 'hex');
  return HASH_BYTES;
}
const HASH_BYTES = Buffer.alloc(8);
