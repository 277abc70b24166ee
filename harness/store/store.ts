// The SQLite trace store: one file per project (default ./overreach.db).
//
// Writer API used by the rest of the harness:
//   const store = openStore(path)                      // migrates, marks dead writers' runs interrupted
//   const appId = store.upsertApp({ package, versionCode, ..., permissions })
//   const runId = store.createRun({ package, device, scenario, config, toolVersion, appId? })
//   const writer = store.traceWriter(runId, { attributeSdk })   // see trace-writer.ts
//   writer.handle(parseAgentMessage(json)); writer.beginStep(...); writer.endStep(...)
//   writer.flush(); store.endRun(runId, 'completed'); store.close()
// Readers: openReadOnly(path) (used by `overreach query`) or `store.db` for analysis code.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { InputError, StoreError } from '../errors.ts';
import { createLog } from '../log.ts';
import { PRE_V10_SHIMS } from './event-rows.ts';
import { RollupDataError } from './rollup-statements.ts';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.ts';
import { TraceWriter, type TraceWriterOptions } from './trace-writer.ts';

const log = createLog('store');

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface OpenStoreOptions {
  /** Apply migrations only up to this version (tests of step-by-step migration). */
  migrateTo?: number;
  /** The name errors use for the file (default: the path), e.g. the --db the user typed. */
  label?: string;
  /**
   * Read pages through a memory map (`PRAGMA mmap_size`, up to MAPPED_BYTES): analysis and
   * reports read tens of thousands of scattered rows, each page read is then a memory access
   * instead of a read() and a copy (~5 % of `analyze` at 1M events). Writes still go through the
   * WAL. Costs resident memory for the pages touched.
   */
  mapped?: boolean;
}

/** How much of a database file `mapped` readers map. */
export const MAPPED_BYTES = 256 * 2 ** 20;

export interface AppInfo {
  package: string;
  label?: string | null;
  versionCode?: number | null;
  versionName?: string | null;
  minSdk?: number | null;
  targetSdk?: number | null;
  apkSha256?: string | null;
  /** Declared permissions; when given they replace the app's stored set. */
  permissions?: { name: string; maxSdk?: number | null }[];
  /** Manifest components with their intent-filter actions; when given they replace the stored set. */
  components?: { kind: string; name: string; actions: string[] }[];
}

export interface NewRun {
  package: string;
  device: string;
  scenario: string;
  config?: unknown;
  toolVersion: string;
  agentVersion?: string;
  appId?: number;
  /** ms since the epoch; default now. */
  startedAt?: number;
}

export interface RunRow {
  id: number;
  package: string;
  device: string;
  scenario: string;
  status: RunStatus;
  status_reason: string | null;
  started_at: number;
  ended_at: number | null;
  owner_host: string;
  owner_pid: number;
  events_dropped: number;
  batches_lost: number;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * How long a connection waits for another process's write lock before "database is locked".
 * Every write transaction starts as a writer (BEGIN IMMEDIATE), so this wait always applies:
 * farms with many writers on one file queue up instead of failing (docs/schema.md).
 */
export const BUSY_TIMEOUT_MS = 60_000;

function applyPragmas(db: Database.Database): void {
  // The busy timeout first: switching a fresh file to WAL needs a lock another opener may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // SQLite can answer SQLITE_BUSY to the WAL switch without calling the busy handler (openers
  // racing on a fresh file): retry it for as long as the busy timeout would have waited.
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (err) {
      if (!(err instanceof Database.SqliteError) || err.code !== 'SQLITE_BUSY' || Date.now() >= deadline)
        throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

/**
 * An SQLite failure as a one-line StoreError naming the database (SqliteError messages such as
 * "database is locked" or "file is not a database" do not say which file); other errors as is.
 */
export function storeFailure(label: string, err: unknown): unknown {
  if (err instanceof RollupDataError) return new StoreError(`${label}: ${err.message}`, { cause: err });
  if (!(err instanceof Database.SqliteError)) return err;
  const notDb = err.code === 'SQLITE_NOTADB';
  const message = notDb ? 'not an SQLite database (file is not a database)' : err.message;
  return notDb
    ? new InputError(`${label}: ${message}`, { cause: err })
    : new StoreError(`${label}: ${message}`, { cause: err });
}

export class Store {
  readonly host = hostname();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  /**
   * Marks `running` runs whose writer process on this host is gone as `interrupted`, and closes
   * their steps left `running` (outcome failed, detail "interrupted: …", ended at the run's end).
   */
  recoverInterrupted(): number[] {
    // Read first: the write lock (waiting for other writers) only when there is work.
    if (this.deadRuns().length === 0) return [];
    return this.db.transaction(() => this.recoverDead()).immediate();
  }

  private deadRuns(): { id: number; owner_pid: number }[] {
    return this.db
      .prepare<[string], { id: number; owner_pid: number }>(
        "SELECT id, owner_pid FROM runs WHERE status = 'running' AND owner_host = ?",
      )
      .all(this.host)
      .filter((r) => !isAlive(r.owner_pid));
  }

  private recoverDead(): number[] {
    const dead = this.deadRuns();
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'interrupted', status_reason = ?, ended_at = coalesce(ended_at, ?) WHERE id = ? AND status = 'running'",
    );
    const closeSteps = this.db.prepare(
      `UPDATE steps SET outcome = 'failed', detail = ?,
         ended_at = max(started_at, coalesce((SELECT ended_at FROM runs WHERE id = ?), started_at))
       WHERE run_id = ? AND outcome = 'running'`,
    );
    for (const r of dead) {
      const last = this.db
        .prepare<[number], { t: number | null }>('SELECT max(time) AS t FROM events WHERE run_id = ?')
        .get(r.id);
      const why = `writer process ${r.owner_pid} on ${this.host} ended without closing the run`;
      mark.run(why, last?.t ?? null, r.id);
      closeSteps.run(`interrupted: ${why}`, r.id, r.id);
      log.warn(`run ${r.id}: writer pid ${r.owner_pid} is gone; marked interrupted`);
    }
    return dead.map((r) => r.id);
  }

  /**
   * Inserts or updates an app, matched on package + version code + version name + APK hash (two
   * versions of one package are two rows, even without a version code); returns its id.
   */
  upsertApp(app: AppInfo): number {
    // Immediate: it reads before it writes, so it must hold the write lock from the start.
    const tx = this.db.transaction(() => {
      const found = this.db
        .prepare<[string, number | null, string | null, string | null], { id: number }>(
          'SELECT id FROM apps WHERE package = ? AND version_code IS ? AND version_name IS ? AND apk_sha256 IS ?',
        )
        .get(app.package, app.versionCode ?? null, app.versionName ?? null, app.apkSha256 ?? null);
      const values = [
        app.label ?? null,
        app.versionName ?? null,
        app.minSdk ?? null,
        app.targetSdk ?? null,
        app.package,
        app.versionCode ?? null,
        app.apkSha256 ?? null,
      ];
      let id: number;
      if (found) {
        id = found.id;
        this.db
          .prepare(
            'UPDATE apps SET label = coalesce(?, label), version_name = coalesce(?, version_name), min_sdk = coalesce(?, min_sdk), target_sdk = coalesce(?, target_sdk) WHERE id = ?',
          )
          .run(...values.slice(0, 4), id);
      } else {
        const r = this.db
          .prepare(
            'INSERT INTO apps (label, version_name, min_sdk, target_sdk, package, version_code, apk_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(...values);
        id = Number(r.lastInsertRowid);
      }
      if (app.permissions) {
        this.db.prepare('DELETE FROM app_permissions WHERE app_id = ?').run(id);
        const ins = this.db.prepare(
          'INSERT INTO app_permissions (app_id, name, max_sdk) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET max_sdk = excluded.max_sdk',
        );
        for (const p of app.permissions) ins.run(id, p.name, p.maxSdk ?? null);
      }
      if (app.components) {
        this.db.prepare('DELETE FROM app_components WHERE app_id = ?').run(id);
        const ins = this.db.prepare(
          'INSERT OR REPLACE INTO app_components (app_id, kind, name, actions) VALUES (?, ?, ?, ?)',
        );
        for (const c of app.components) ins.run(id, c.kind, c.name, JSON.stringify(c.actions));
      }
      return id;
    });
    return tx.immediate();
  }

  /** Creates a `running` run owned by this process; returns its id. */
  createRun(run: NewRun): number {
    const r = this.db
      .prepare(
        `INSERT INTO runs (app_id, package, device, scenario, started_at, tool_version, agent_version, config, owner_host, owner_pid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.appId ?? null,
        run.package,
        run.device,
        run.scenario,
        run.startedAt ?? Date.now(),
        run.toolVersion,
        run.agentVersion ?? null,
        JSON.stringify(run.config ?? {}),
        this.host,
        process.pid,
      );
    return Number(r.lastInsertRowid);
  }

  getRun(runId: number): RunRow | undefined {
    return this.db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(runId);
  }

  /** Ends a run. Flush its TraceWriter first so every buffered event is committed. */
  endRun(runId: number, status: Exclude<RunStatus, 'running'>, reason?: string, endedAt = Date.now()): void {
    const r = this.db
      .prepare('UPDATE runs SET status = ?, status_reason = ?, ended_at = ? WHERE id = ?')
      .run(status, reason ?? null, endedAt, runId);
    if (r.changes === 0) throw new StoreError(`${this.path}: no run ${runId}`);
  }

  /** A writer that records agent messages and scenario steps into run `runId`. */
  traceWriter(runId: number, options: TraceWriterOptions = {}): TraceWriter {
    if (!this.getRun(runId)) throw new StoreError(`${this.path}: no run ${runId}`);
    return new TraceWriter(this.db, runId, options);
  }

  /** Folds the WAL into the main file (before measuring its size or copying it). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) and migrates a read-write store. */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const label = options.label ?? path;
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StoreError(`${label}: cannot open database: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new StoreError(
        `${label}: schema version ${current} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
      );
    }
    applyPragmas(db);
    if (options.mapped) db.pragma(`mmap_size = ${MAPPED_BYTES}`);
    migrate(db, label, options.migrateTo);
    const store = new Store(db, path);
    store.recoverInterrupted();
    return store;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    const failure = storeFailure(label, err);
    if (failure !== err) throw failure;
    throw new StoreError(`${label}: ${(err as Error).message}`, { cause: err });
  }
}

/** Opens an existing database read-only (never creates or migrates it); `mapped` as openStore's. */
export function openReadOnly(
  path: string,
  label = path,
  options: { mapped?: boolean } = {},
): Database.Database {
  if (path !== ':memory:' && !existsSync(path)) throw new InputError(`${label}: no such database`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError(`${label}: cannot open database: ${(err as Error).message}`, { cause: err });
  }
  let version: number;
  try {
    // Reading the header is where a file that is not SQLite fails.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    version = schemaVersion(db);
  } catch (err) {
    db.close();
    throw storeFailure(label, err);
  }
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(
      `${label}: schema version ${version} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
    );
  }
  if (version >= 1 && version < 10) db.exec(PRE_V10_SHIMS);
  if (options.mapped) db.pragma(`mmap_size = ${MAPPED_BYTES}`);
  return db;
}
