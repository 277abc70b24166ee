import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../harness/errors.ts';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../harness/store/schema.ts';
import { openStore } from '../harness/store/store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-schema-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function schemaOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare<[], { type: string; name: string; sql: string | null }>(
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all();
  db.close();
  return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}`);
}

describe('migrations', () => {
  it('has at least two ordered migrations ending at SCHEMA_VERSION', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('gives the same schema fresh and step by step', () => {
    const fresh = join(dir, 'fresh.db');
    openStore(fresh).close();

    const stepped = join(dir, 'stepped.db');
    const s1 = openStore(stepped, { migrateTo: 1 });
    expect(s1.db.pragma('user_version', { simple: true })).toBe(1);
    expect(s1.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'findings'").get()).toEqual({
      n: 0,
    });
    s1.close();
    const s2 = openStore(stepped);
    expect(s2.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    s2.close();

    const a = schemaOf(fresh);
    expect(a.length).toBeGreaterThan(20);
    expect(schemaOf(stepped)).toEqual(a);
  });

  it('uses WAL, foreign keys and synchronous=NORMAL', () => {
    const store = openStore(join(dir, 'p.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    store.close();
  });

  it('refuses a database from a newer overreach', () => {
    const path = join(dir, 'overreach.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 4}`);
    db.close();
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(
      `${path}: schema version ${SCHEMA_VERSION + 4} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
    );
    // The refused database is left untouched.
    const again = new Database(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 4);
    expect(again.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toEqual({ n: 0 });
    again.close();
    expect(() => migrate(new Database(':memory:'), 'x', SCHEMA_VERSION)).not.toThrow();
  });

  it('rolls a failing migration back as a whole', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE findings (x)'); // collides with migration 2
    expect(() => migrate(db, 'mem')).toThrow(/already exists/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'appops'").get()).toEqual({
      n: 0,
    });
    db.close();
  });
});

describe('run ownership', () => {
  it('marks a running run whose writer process is gone as interrupted on open', () => {
    const path = join(dir, 'o.db');
    const store = openStore(path);
    const dead = store.createRun({ package: 'p', device: 'd', scenario: 's', toolVersion: 't' });
    const alive = store.createRun({ package: 'p', device: 'd', scenario: 's', toolVersion: 't' });
    // A pid far above pid_max cannot be alive.
    store.db.prepare('UPDATE runs SET owner_pid = 99999999 WHERE id = ?').run(dead);
    store.close();
    const reopened = openStore(path);
    const dr = reopened.getRun(dead)!;
    expect(dr.status).toBe('interrupted');
    expect(dr.status_reason).toMatch(/writer process 99999999 .* ended without closing the run/);
    expect(reopened.getRun(alive)!.status).toBe('running');
    reopened.endRun(alive, 'completed');
    expect(reopened.getRun(alive)!.status).toBe('completed');
    expect(() => reopened.endRun(12345, 'failed')).toThrow(StoreError);
    reopened.close();
  });

  it('rejects an unknown run status', () => {
    const store = openStore(join(dir, 'c.db'));
    const id = store.createRun({ package: 'p', device: 'd', scenario: 's', toolVersion: 't' });
    expect(() => store.db.prepare("UPDATE runs SET status = 'paused' WHERE id = ?").run(id)).toThrow(/CHECK/);
    store.close();
  });

  it('stores apps with their permissions', () => {
    const store = openStore(join(dir, 'a.db'));
    const perms = [
      { name: 'android.permission.CAMERA' },
      { name: 'android.permission.READ_PHONE_STATE', maxSdk: 28 },
    ];
    const id = store.upsertApp({ package: 'com.x', versionCode: 3, apkSha256: 'ab', permissions: perms });
    expect(store.upsertApp({ package: 'com.x', versionCode: 3, apkSha256: 'ab', label: 'X' })).toBe(id);
    expect(store.upsertApp({ package: 'com.x', versionCode: 4, apkSha256: 'cd' })).not.toBe(id);
    const rows = store.db
      .prepare('SELECT name, max_sdk FROM app_permissions WHERE app_id = ? ORDER BY name')
      .all(id);
    expect(rows).toEqual([
      { name: 'android.permission.CAMERA', max_sdk: null },
      { name: 'android.permission.READ_PHONE_STATE', max_sdk: 28 },
    ]);
    expect(store.db.prepare('SELECT label FROM apps WHERE id = ?').get(id)).toEqual({ label: 'X' });
    store.close();
  });
});
