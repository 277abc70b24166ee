// The trace store schema as an ORDERED list of migrations. Migration N brings a database from
// user_version N-1 to N; all pending ones run in one immediate transaction (see migrate).
// Never edit a released migration: append a new one.
// docs/schema.md documents every table and view; keep them in step.
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { applySnapshot, isEmptyDatabase, snapshotCurrent } from './fresh-schema.ts';
import { EVENT_CHUNKS } from './schema-event-chunks.ts';
import {
  HOOK_STATUS_NOT_HOOKABLE,
  ROLLUPS,
  STATIC_CALLS,
  TRANSMISSIONS,
  UI_SNAPSHOTS,
} from './schema-migrations-4-9.ts';
import { NARROW_EVENTS } from './schema-narrow-events.ts';
import { SECOND_SDKS } from './schema-second-sdks.ts';
import { SCHEMA_SNAPSHOT } from './schema-snapshot.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Milliseconds since the epoch → ISO 8601 text (UTC, ms precision), used by the views. */
const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${col} / 1000.0, 'unixepoch')`;

const CORE = `
CREATE TABLE apps (
  id INTEGER PRIMARY KEY,
  package TEXT NOT NULL,
  label TEXT,
  version_code INTEGER,
  version_name TEXT,
  min_sdk INTEGER,
  target_sdk INTEGER,
  apk_sha256 TEXT
);
CREATE INDEX apps_package ON apps (package);
CREATE TABLE app_permissions (
  app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  max_sdk INTEGER,
  PRIMARY KEY (app_id, name)
) WITHOUT ROWID;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  app_id INTEGER REFERENCES apps (id),
  package TEXT NOT NULL,
  device TEXT NOT NULL,
  scenario TEXT NOT NULL,
  started_at REAL NOT NULL,
  ended_at REAL,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  status_reason TEXT,
  tool_version TEXT NOT NULL,
  agent_version TEXT,
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  owner_host TEXT NOT NULL,
  owner_pid INTEGER NOT NULL,
  events_dropped INTEGER NOT NULL DEFAULT 0,
  batches_lost INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_status ON runs (status);
CREATE TABLE threads (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE phases (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE categories (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE sdks (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE summaries (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE apis (
  id INTEGER PRIMARY KEY,
  hook TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories (id),
  signature TEXT NOT NULL,
  UNIQUE (hook, signature)
);
CREATE TABLE stacks (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  frames TEXT NOT NULL,
  frame_count INTEGER NOT NULL,
  native INTEGER NOT NULL DEFAULT 0 CHECK (native IN (0, 1)),
  sdk_id INTEGER REFERENCES sdks (id)
);
CREATE TABLE processes (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  pid INTEGER NOT NULL,
  name TEXT NOT NULL,
  agent_version TEXT,
  api_level INTEGER,
  hello_at REAL,
  UNIQUE (run_id, pid)
);
CREATE TABLE steps (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  phase TEXT,
  started_at REAL NOT NULL,
  ended_at REAL,
  outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('ok', 'failed', 'skipped', 'running')),
  detail TEXT,
  UNIQUE (run_id, idx)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  time REAL NOT NULL,
  process_id INTEGER NOT NULL,
  thread_id INTEGER NOT NULL,
  api_id INTEGER NOT NULL,
  category_id INTEGER NOT NULL,
  phase_id INTEGER NOT NULL,
  foreground INTEGER NOT NULL,
  step_id INTEGER,
  stack_id INTEGER,
  sdk_id INTEGER,
  args_id INTEGER,
  result_id INTEGER,
  value_hash TEXT,
  raw TEXT
);
CREATE INDEX events_run_category ON events (run_id, category_id, phase_id, time);
CREATE TABLE hook_status (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  process_id INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
  hook TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('installed', 'pending', 'class-missing', 'method-missing', 'failed')),
  detail TEXT,
  overloads INTEGER,
  time REAL NOT NULL,
  PRIMARY KEY (run_id, process_id, hook)
) WITHOUT ROWID;
CREATE TABLE lifecycle (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  process_id INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
  time REAL NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX lifecycle_run_time ON lifecycle (run_id, time);
CREATE TABLE agent_errors (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  process_id INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
  time REAL NOT NULL,
  hook TEXT,
  message TEXT NOT NULL
);
`;

const ANALYSIS = `
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  category TEXT,
  sdk TEXT,
  detail TEXT NOT NULL,
  created_at REAL NOT NULL
);
CREATE INDEX findings_run ON findings (run_id, rule);
CREATE TABLE finding_events (
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;
CREATE TABLE appops (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  "when" TEXT NOT NULL CHECK ("when" IN ('before', 'after')),
  op TEXT NOT NULL,
  mode TEXT,
  last_access TEXT,
  raw_line TEXT NOT NULL
);
CREATE INDEX appops_run ON appops (run_id, op);
CREATE TABLE device_logs (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  time REAL NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('crash', 'anr', 'detach')),
  process TEXT,
  detail TEXT
);
CREATE INDEX device_logs_run ON device_logs (run_id, time);
`;

/**
 * Joins that resolve an `events e` row's ids to names (process, thread, API, category, phase,
 * step, SDK, argument/result summaries): shared by v_events and the report's evidence query.
 */
export const EVENT_JOINS = `JOIN processes p ON p.id = e.process_id
JOIN threads t ON t.id = e.thread_id
JOIN apis a ON a.id = e.api_id
JOIN categories c ON c.id = e.category_id
JOIN phases ph ON ph.id = e.phase_id
LEFT JOIN steps st ON st.id = e.step_id
LEFT JOIN sdks sd ON sd.id = e.sdk_id
LEFT JOIN summaries sa ON sa.id = e.args_id
LEFT JOIN summaries sr ON sr.id = e.result_id`;

const VIEWS = `
CREATE VIEW v_events AS
SELECT e.id AS id, e.run_id AS run, ${iso('e.time')} AS time, e.time AS time_ms,
  p.name AS process, p.pid AS pid, t.name AS thread, a.hook AS hook, a.signature AS api,
  c.name AS category, ph.name AS phase, e.foreground AS foreground, st.label AS step,
  sd.name AS sdk, sa.text AS args, sr.text AS result, e.value_hash AS value_hash, e.raw AS raw,
  k.frames AS stack
FROM events e
${EVENT_JOINS}
LEFT JOIN stacks k ON k.id = e.stack_id;

CREATE VIEW v_category_phase AS
SELECT g.run_id AS run, c.name AS category, ph.name AS phase, g.accesses AS accesses,
  ${iso('g.first_ms')} AS first_at, ${iso('g.last_ms')} AS last_at
FROM (SELECT run_id, category_id, phase_id, count(*) AS accesses, min(time) AS first_ms, max(time) AS last_ms
      FROM events GROUP BY run_id, category_id, phase_id) g
JOIN categories c ON c.id = g.category_id
JOIN phases ph ON ph.id = g.phase_id;

CREATE VIEW v_first_access AS
SELECT f.run_id AS run, c.name AS category, ${iso('f.first_ms')} AS first_at, f.first_ms AS first_ms,
  a.hook AS hook, a.signature AS api, ph.name AS phase, st.label AS step, sd.name AS sdk, f.event_id AS event_id
FROM (SELECT run_id, category_id, min(time) AS first_ms, id AS event_id, api_id, phase_id, step_id, sdk_id
      FROM events GROUP BY run_id, category_id) f
JOIN categories c ON c.id = f.category_id
JOIN apis a ON a.id = f.api_id
JOIN phases ph ON ph.id = f.phase_id
LEFT JOIN steps st ON st.id = f.step_id
LEFT JOIN sdks sd ON sd.id = f.sdk_id;

CREATE VIEW v_sdk_accesses AS
SELECT g.run_id AS run, sd.name AS sdk, c.name AS category, g.accesses AS accesses
FROM (SELECT run_id, sdk_id, category_id, count(*) AS accesses FROM events GROUP BY run_id, sdk_id, category_id) g
JOIN categories c ON c.id = g.category_id
LEFT JOIN sdks sd ON sd.id = g.sdk_id;

CREATE VIEW v_hook_coverage AS
SELECT run_id AS run, state, count(*) AS count FROM hook_status GROUP BY run_id, state;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'runs, apps, lookup tables, stacks, events, hook status, lifecycle', sql: CORE },
  { version: 2, description: 'findings, appops, device logs', sql: ANALYSIS },
  { version: 3, description: 'views for common questions', sql: VIEWS },
  {
    version: 4,
    description: 'finding titles and total evidence counts as columns',
    // Before v4 the analysis packed "title\ndetail\nevidence: K of N events" into detail.
    sql: 'ALTER TABLE findings ADD COLUMN title TEXT; ALTER TABLE findings ADD COLUMN event_count INTEGER;',
  },
  {
    version: 5,
    description: "hook state 'not-hookable' (abstract and interface methods)",
    // SQLite cannot alter a CHECK: rebuild the table (the view over it is dropped and recreated).
    sql: HOOK_STATUS_NOT_HOOKABLE,
  },
  {
    version: 6,
    description: 'bundled vs ran: the sensitive call sites the app could make',
    sql: STATIC_CALLS,
  },
  {
    version: 7,
    description: 'sends, transmissions and v_transmissions (what left the device)',
    sql: TRANSMISSIONS,
  },
  {
    version: 8,
    description: 'UI snapshots (consent dialog, taps), manifest components, finding scenario ids',
    sql: UI_SNAPSHOTS,
  },
  {
    version: 9,
    description:
      'per-run roll-ups kept while ingesting (event_groups, event_steps, event_seconds, run_stacks, rollup_runs)',
    // Runs recorded before v9 have no rollup_runs row: they are rolled up on first read.
    sql: ROLLUPS,
  },
  {
    version: 10,
    description:
      'narrow events: event_rows (time as an offset from runs.time_base, value hash as 8 bytes) behind the view events',
    sql: NARROW_EVENTS,
  },
  {
    version: 11,
    description:
      'event chunks: event rows clustered in id blocks per (run, category, phase) with event_chunks; the events index dropped',
    sql: EVENT_CHUNKS,
  },
  {
    version: 12,
    description: 'per-second roll-ups for time spans: event_seconds id ranges and per-SDK counts',
    sql: SECOND_SDKS,
  },
];

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations up to `upTo` (default: all) in ONE immediate transaction that
 * first reads user_version: processes opening a fresh database at once wait for each other
 * (busy timeout) instead of each creating the tables. Refuses a database stamped by a newer
 * overreach. Returns the resulting version.
 */
export function migrate(db: BetterSqlite3.Database, label: string, upTo = SCHEMA_VERSION): number {
  const newer = (current: number) =>
    new StoreError(
      `${label}: schema version ${current} is newer than this overreach (${SCHEMA_VERSION}); upgrade overreach`,
    );
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw newer(current);
  if (current >= upTo) return current;
  let failed: unknown;
  const version = db
    .transaction(() => {
      // Read again under the write lock: another process may have migrated meanwhile.
      const now = schemaVersion(db);
      if (now > SCHEMA_VERSION) throw newer(now);
      // An empty file: the final schema in one step (fresh-schema.ts); others step by step.
      if (
        now === 0 &&
        upTo === SCHEMA_VERSION &&
        snapshotCurrent(SCHEMA_SNAPSHOT, MIGRATIONS) &&
        isEmptyDatabase(db)
      )
        return applySnapshot(db, SCHEMA_SNAPSHOT);
      for (const m of MIGRATIONS) {
        if (m.version <= now || m.version > upTo) continue;
        try {
          // Each migration in its own savepoint: a failing one is undone whole, earlier ones kept.
          db.transaction(() => {
            db.exec(m.sql);
            db.pragma(`user_version = ${m.version}`);
          })();
        } catch (err) {
          failed = err;
          break;
        }
      }
      return schemaVersion(db);
    })
    .immediate();
  if (failed !== undefined) throw failed;
  return version;
}
