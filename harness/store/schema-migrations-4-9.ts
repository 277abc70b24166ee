// The SQL of migrations 4–9 (schema.ts lists every migration; docs/schema.md documents the
// tables). A migration's SQL never changes once released: a database records only its version.
// The fresh-database snapshot (fresh-schema.ts) fingerprints this text.

const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${col} / 1000.0, 'unixepoch')`;

export const HOOK_STATUS_NOT_HOOKABLE = `
DROP VIEW v_hook_coverage;
CREATE TABLE hook_status_v5 (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  process_id INTEGER NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
  hook TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('installed', 'pending', 'class-missing', 'method-missing', 'failed', 'not-hookable')),
  detail TEXT,
  overloads INTEGER,
  time REAL NOT NULL,
  PRIMARY KEY (run_id, process_id, hook)
) WITHOUT ROWID;
INSERT INTO hook_status_v5 SELECT run_id, process_id, hook, state, detail, overloads, time FROM hook_status;
DROP TABLE hook_status;
ALTER TABLE hook_status_v5 RENAME TO hook_status;
CREATE VIEW v_hook_coverage AS
SELECT run_id AS run, state, count(*) AS count FROM hook_status GROUP BY run_id, state;
`;

// What the app could call (the DEX scan of its APK, or its app model on the simulator), per SDK,
// so a report can say what was bundled and what ran. `sdk` is 'app' for the app's own code (and
// code no prefix claims), as events store NULL for it. See harness/analysis/bundled-vs-ran.ts.
export const STATIC_CALLS = `
CREATE TABLE static_call_sites (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  sdk TEXT NOT NULL,
  hook TEXT NOT NULL,
  api TEXT NOT NULL,
  category TEXT NOT NULL,
  call_sites INTEGER NOT NULL CHECK (call_sites > 0),
  source TEXT NOT NULL,
  PRIMARY KEY (run_id, sdk, hook)
) WITHOUT ROWID;

CREATE VIEW v_bundled_vs_ran AS
SELECT s.run_id AS run, s.sdk AS sdk, s.hook AS hook, s.api AS api, s.category AS category,
  s.call_sites AS call_sites,
  EXISTS (SELECT 1 FROM events e JOIN apis a ON a.id = e.api_id LEFT JOIN sdks sd ON sd.id = e.sdk_id
          WHERE e.run_id = s.run_id AND a.hook = s.hook AND coalesce(sd.name, 'app') = s.sdk) AS ran
FROM static_call_sites s;
`;

/**
 * What left the device: one `sends` row per network-send event with its destination (and the
 * organisation behind the host, from harness/knowledge/data/endpoints.json at ingest), one
 * `transmissions` row per kept value the send carried, linking it to the read that returned it.
 */
export const TRANSMISSIONS = `
CREATE TABLE sends (
  event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  host TEXT,
  port INTEGER,
  scheme TEXT,
  sni TEXT,
  bytes INTEGER,
  organisation TEXT,
  endpoint_sdk TEXT
);
CREATE INDEX sends_run_host ON sends (run_id, host);
CREATE TABLE transmissions (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  send_event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  read_event_id INTEGER REFERENCES events (id) ON DELETE SET NULL,
  encoding TEXT NOT NULL
);
CREATE INDEX transmissions_run ON transmissions (run_id, send_event_id);
CREATE VIEW v_transmissions AS
SELECT t.run_id AS run, t.id AS id, t.send_event_id AS send_event, t.read_event_id AS read_event,
  rc.name AS category, ra.hook AS read_hook, r.value_hash AS value_hash, rsd.name AS read_sdk,
  rph.name AS read_phase, ${iso('r.time')} AS read_at, t.encoding AS encoding,
  s.host AS host, s.port AS port, s.scheme AS scheme, s.sni AS sni,
  coalesce(s.organisation, s.host) AS organisation, s.endpoint_sdk AS endpoint_sdk,
  ssd.name AS sdk, sph.name AS phase, ${iso('se.time')} AS sent_at, se.time AS sent_ms, sa.hook AS send_hook
FROM transmissions t
JOIN events se ON se.id = t.send_event_id
JOIN apis sa ON sa.id = se.api_id
JOIN phases sph ON sph.id = se.phase_id
LEFT JOIN sdks ssd ON ssd.id = se.sdk_id
LEFT JOIN sends s ON s.event_id = t.send_event_id
LEFT JOIN events r ON r.id = t.read_event_id
LEFT JOIN categories rc ON rc.id = r.category_id
LEFT JOIN apis ra ON ra.id = r.api_id
LEFT JOIN phases rph ON rph.id = r.phase_id
LEFT JOIN sdks rsd ON rsd.id = r.sdk_id;
`;

// The texts on screen when the runner acts (app strings, not personal data: EditText contents
// are never kept), and the MIIT checklist scenario ids of each finding (JSON list).
export const UI_SNAPSHOTS = `
CREATE TABLE ui_snapshots (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  time REAL NOT NULL,
  step_id INTEGER REFERENCES steps (id),
  kind TEXT NOT NULL CHECK (kind IN ('consent', 'tap', 'screen')),
  package TEXT,
  target TEXT CHECK (target IS NULL OR json_valid(target)),
  nodes TEXT NOT NULL CHECK (json_valid(nodes))
);
CREATE INDEX ui_snapshots_run ON ui_snapshots (run_id, time);
CREATE TABLE app_components (
  app_id INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  actions TEXT NOT NULL CHECK (json_valid(actions)),
  PRIMARY KEY (app_id, kind, name)
) WITHOUT ROWID;
ALTER TABLE findings ADD COLUMN scenarios TEXT CHECK (scenarios IS NULL OR json_valid(scenarios));
`;

/**
 * Per-run roll-ups kept while ingesting (harness/store/rollups.ts; docs/schema.md "Roll-ups"),
 * and sdk_id appended to the events index: what still reads events (rate windows, background
 * spans) counts per SDK from the index alone instead of looking up every row.
 */
export const ROLLUPS = `
DROP INDEX events_run_category;
CREATE INDEX events_run_category ON events (run_id, category_id, phase_id, time, sdk_id);
CREATE TABLE event_groups (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL,
  sdk_id INTEGER,
  phase_id INTEGER NOT NULL,
  foreground INTEGER NOT NULL,
  api_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  first REAL NOT NULL,
  last REAL NOT NULL,
  sample TEXT NOT NULL
);
CREATE INDEX event_groups_run ON event_groups (run_id);
CREATE TABLE event_seconds (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL,
  phase_id INTEGER NOT NULL,
  second INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (run_id, category_id, second, phase_id)
) WITHOUT ROWID;
CREATE TABLE event_steps (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step_id INTEGER NOT NULL,
  sdk_id INTEGER NOT NULL,
  api_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (run_id, step_id, sdk_id, api_id)
) WITHOUT ROWID;
CREATE TABLE run_stacks (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stack_id INTEGER NOT NULL,
  PRIMARY KEY (run_id, stack_id)
) WITHOUT ROWID;
CREATE TABLE rollup_runs (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  events INTEGER NOT NULL
);
`;
