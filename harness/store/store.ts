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
import { StoreError } from '../errors.ts';
import { createLog } from '../log.ts';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema.ts';
import { TraceWriter, type TraceWriterOptions } from './trace-writer.ts';

const log = createLog('store');

export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface OpenStoreOptions {
  /** Apply migrations only up to this version (tests of step-by-step migration). */
  migrateTo?: number;
}

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

function applyPragmas(db: Database.Database): void {
  // First, so the pragmas below wait for another process's lock instead of failing.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

export class Store {
  readonly host = hostname();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Marks `running` runs whose writer process on this host is gone as `interrupted`. */
  recoverInterrupted(): number[] {
    const rows = this.db
      .prepare<[string], { id: number; owner_pid: number }>(
        "SELECT id, owner_pid FROM runs WHERE status = 'running' AND owner_host = ?",
      )
      .all(this.host);
    const dead = rows.filter((r) => !isAlive(r.owner_pid));
    const mark = this.db.prepare(
      "UPDATE runs SET status = 'interrupted', status_reason = ?, ended_at = coalesce(ended_at, ?) WHERE id = ? AND status = 'running'",
    );
    for (const r of dead) {
      const last = this.db
        .prepare<[number], { t: number | null }>('SELECT max(time) AS t FROM events WHERE run_id = ?')
        .get(r.id);
      mark.run(
        `writer process ${r.owner_pid} on ${this.host} ended without closing the run`,
        last?.t ?? null,
        r.id,
      );
      log.warn(`run ${r.id}: writer pid ${r.owner_pid} is gone; marked interrupted`);
    }
    return dead.map((r) => r.id);
  }

  /** Inserts or updates an app (matched on package + version code + APK hash); returns its id. */
  upsertApp(app: AppInfo): number {
    // IMMEDIATE: read-then-write, possibly with other writer processes (see TraceWriter).
    const tx = this.db.transaction(() => {
      const found = this.db
        .prepare<[string, number | null, string | null], { id: number }>(
          'SELECT id FROM apps WHERE package = ? AND version_code IS ? AND apk_sha256 IS ?',
        )
        .get(app.package, app.versionCode ?? null, app.apkSha256 ?? null);
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
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StoreError(`${path}: cannot open database: ${(err as Error).message}`, { cause: err });
  }
  try {
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new StoreError(
        `${path}: schema version ${current} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
      );
    }
    applyPragmas(db);
    migrate(db, path, options.migrateTo);
    const store = new Store(db, path);
    store.recoverInterrupted();
    return store;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(`${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Opens an existing database read-only (never creates or migrates it). */
export function openReadOnly(path: string, label = path): Database.Database {
  if (path !== ':memory:' && !existsSync(path)) throw new StoreError(`${label}: no such database`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError(`${label}: cannot open database: ${(err as Error).message}`, { cause: err });
  }
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new StoreError(
      `${label}: schema version ${version} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
    );
  }
  return db;
}
