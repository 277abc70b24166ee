// A fresh database gets the final schema in one step from harness/store/schema-snapshot.ts
// (fresh-schema.ts); these tests fail when that snapshot differs from replaying the migrations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEmptyDatabase, migrationsFingerprint, snapshotCurrent } from '../harness/store/fresh-schema.ts';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../harness/store/schema.ts';
import { SCHEMA_SNAPSHOT } from '../harness/store/schema-snapshot.ts';
import { REGENERATE_SNAPSHOT, replayedSnapshot } from '../harness/store/schema-snapshot-build.ts';
import { openStore } from '../harness/store/store.ts';

const STALE = `harness/store/schema-snapshot.ts differs from replaying the migrations in schema.ts: run \`${REGENERATE_SNAPSHOT}\``;

const NOT_USED = `a fresh file did not get the schema snapshot in one step (stale? run \`${REGENERATE_SNAPSHOT}\`)`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-snapshot-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Everything that defines a schema: sqlite_schema rows in order, columns, keys, indexes, version. */
function schemaFacts(db: Database.Database) {
  const objects = db
    .prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>(
      'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid',
    )
    .all();
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
  const all = (sql: string, arg: string) => db.prepare(sql).all(arg);
  return {
    userVersion: db.pragma('user_version', { simple: true }),
    objects,
    tables: tables.map((t) => ({
      t,
      columns: all('SELECT * FROM pragma_table_xinfo(?)', t),
      foreignKeys: all('SELECT * FROM pragma_foreign_key_list(?)', t),
      indexes: all('SELECT * FROM pragma_index_list(?)', t).map((i) => ({
        ...(i as { name: string }),
        columns: all('SELECT * FROM pragma_index_xinfo(?)', (i as { name: string }).name),
      })),
    })),
  };
}

/** A database brought to the last version by replaying every migration (as the snapshot is made). */
function replayed(path: string): Database.Database {
  const db = new Database(path);
  migrate(db, path, 1);
  migrate(db, path);
  return db;
}

describe('schema snapshot', () => {
  it('is what replaying the migrations gives (else regenerate it)', () => {
    const replay = replayedSnapshot();
    expect(SCHEMA_SNAPSHOT.version, STALE).toBe(SCHEMA_VERSION);
    expect(SCHEMA_SNAPSHOT.migrations, STALE).toBe(migrationsFingerprint(MIGRATIONS));
    expect(SCHEMA_SNAPSHOT.sql, STALE).toEqual(replay.sql);
    expect(replay.version).toBe(SCHEMA_VERSION);
  });

  it('gives a fresh file the schema a replay gives, in one step', () => {
    const fresh = openStore(join(dir, 'fresh.db'));
    const stepped = replayed(join(dir, 'stepped.db'));
    expect(schemaFacts(fresh.db), STALE).toEqual(schemaFacts(stepped));
    // SQLite's schema cookie counts schema changes: one per snapshot statement, far fewer than
    // the replay's CREATE/DROP/ALTER/RENAME.
    const cookie = (db: Database.Database) => db.pragma('schema_version', { simple: true }) as number;
    expect(cookie(fresh.db), NOT_USED).toBeLessThanOrEqual(SCHEMA_SNAPSHOT.sql.length);
    expect(cookie(fresh.db), NOT_USED).toBeLessThan(cookie(stepped));
    fresh.close();
    stepped.close();
  });

  it('is ignored when the migrations changed or grew (they are replayed instead)', () => {
    expect(snapshotCurrent(SCHEMA_SNAPSHOT, MIGRATIONS)).toBe(true);
    const grown = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, description: 'x', sql: 'CREATE TABLE x (a)' },
    ];
    expect(snapshotCurrent(SCHEMA_SNAPSHOT, grown)).toBe(false);
    const edited = MIGRATIONS.map((m, i) => (i === 2 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(snapshotCurrent(SCHEMA_SNAPSHOT, edited)).toBe(false);
  });

  it('is only for an empty file: an existing database migrates step by step', () => {
    const path = join(dir, 'old.db');
    openStore(path, { migrateTo: SCHEMA_VERSION - 1 }).close();
    const db = new Database(path);
    expect(isEmptyDatabase(db)).toBe(false);
    const before = db.pragma('schema_version', { simple: true }) as number;
    db.close();
    const store = openStore(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const stepped = replayed(join(dir, 'stepped.db'));
    expect(schemaFacts(store.db)).toEqual(schemaFacts(stepped));
    // The last migration ran on top of the old schema (its changes bumped the cookie further).
    expect(store.db.pragma('schema_version', { simple: true })).toBeGreaterThan(before);
    store.close();
    stepped.close();
  });
});
