// Statements prepared once per connection and SQL text: readers that ask the same question many
// times (per bucket, per window, per read) keep one statement instead of preparing it each time.
import type Database from 'better-sqlite3';

const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, made on the first ask of this connection and kept. */
export function preparedOnce(db: Database.Database, sql: string): Database.Statement {
  let m = prepared.get(db);
  if (!m) {
    m = new Map();
    prepared.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare(sql);
    m.set(sql, s);
  }
  return s;
}
