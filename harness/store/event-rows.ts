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

/** Chunk c owns the event ids [c << CHUNK_BITS, (c << CHUNK_BITS) | CHUNK_MASK] (schema v11). */
export const CHUNK_BITS = 8;
export const CHUNK_SIZE = 1 << CHUNK_BITS;
export const CHUNK_MASK = CHUNK_SIZE - 1;

/**
 * The join of an event row `e` to its chunk `k`: the id range lets k drive (run/category
 * filters, through the chunk index), `k.chunk = e.id >> CHUNK_BITS` lets e drive (`id = ?`).
 */
export const EVENT_CHUNK_ON = `e.id BETWEEN k.chunk << ${CHUNK_BITS} AND (k.chunk << ${CHUNK_BITS}) | ${CHUNK_MASK} AND k.chunk = e.id >> ${CHUNK_BITS}`;

export interface StreamRead {
  /** Filter on one category: one `?` after the run. */
  category?: boolean;
  /** Filter on one phase (true: one `?`) or on a list of n phases (n `?`). */
  phase?: boolean | number;
  /** Keep only chunks that may hold offsets in [lo, hi]: two `?` (lo, hi) last. The caller still
   * filters e.offset_ms itself (exclusive or inclusive bounds as it needs). */
  range?: boolean;
}

const chunked = new WeakMap<Database.Database, boolean>();

/** Whether `db` stores event rows in chunks (schema v11; older read-only databases do not). */
export function hasEventChunks(db: Database.Database): boolean {
  let v = chunked.get(db);
  if (v === undefined) {
    v =
      db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'event_chunks'").get() !==
      undefined;
    chunked.set(db, v);
  }
  return v;
}

/**
 * `FROM … WHERE …` reading one run's event rows as `e` by stream (and time): through
 * event_chunks (its index, then each chunk's id range of event_rows) in a v11 database, through
 * the old events index before v11. Parameters in order: run, [category], [phases…], [lo, hi].
 * Rows come in chunk order, NOT time order: ORDER BY what you need. Callers append `AND …`.
 */
export function streamRows(db: Database.Database, read: StreamRead = {}): string {
  const phases = read.phase === true ? 1 : typeof read.phase === 'number' ? read.phase : 0;
  const phaseSql = (col: string) =>
    phases === 0
      ? ''
      : phases === 1
        ? ` AND ${col} = ?`
        : ` AND ${col} IN (${new Array(phases).fill('?').join(', ')})`;
  if (!hasEventChunks(db)) {
    return `event_rows e WHERE e.run_id = ?${read.category ? ' AND e.category_id = ?' : ''}${phaseSql('e.phase_id')}${
      read.range ? ' AND e.offset_ms >= ? AND e.offset_ms <= ?' : ''
    }`;
  }
  return `event_chunks k CROSS JOIN event_rows e ON e.id BETWEEN k.chunk << ${CHUNK_BITS} AND (k.chunk << ${CHUNK_BITS}) | ${CHUNK_MASK}
    WHERE k.run_id = ?${read.category ? ' AND k.category_id = ?' : ''}${phaseSql('k.phase_id')}${
      read.range ? ' AND k.last_ms >= ? AND k.first_ms <= ?' : ''
    }`;
}

/** `SELECT min|max offset of one stream (run, category, phase)`: from its chunks when there are. */
export function streamEndSql(db: Database.Database, fn: 'min' | 'max'): string {
  if (!hasEventChunks(db))
    return `SELECT ${fn}(offset_ms) FROM event_rows WHERE run_id = ? AND category_id = ? AND phase_id = ?`;
  return `SELECT ${fn}(${fn === 'min' ? 'first_ms' : 'last_ms'}) FROM event_chunks WHERE run_id = ? AND category_id = ? AND phase_id = ?`;
}
