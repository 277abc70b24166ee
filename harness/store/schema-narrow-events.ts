// Schema v10: the narrow physical events table `event_rows` behind a VIEW named `events` that
// keeps every column and value readers had (docs/schema.md "Narrow events").
//
// What changed per event row, and why (measured with dbstat on the 1M-event realistic trace):
// - time → `offset_ms`: ms since the run's `runs.time_base` (its first event's time, floored).
//   A REAL column still: integral offsets are stored as 1–4-byte integers (a 2.3-hour run fits
//   3 bytes), a fractional time keeps its fraction exactly (time = time_base + offset_ms is
//   exact for doubles). Before: 6 bytes in the row and 6 in the index.
// - value_hash: the agent's 16 lowercase hex characters are stored as an 8-byte BLOB; any other
//   text (an older or foreign writer) is kept as TEXT, so the view returns exactly what was
//   written.
// - roll-up samples (event_groups.sample) are delta-encoded; the stored roll-ups are dropped and
//   rebuilt by one scan when a run is next read.
// - raw values (only with raw values switched on) live in `event_raw`: a column that is almost
//   always NULL still costs every row a header byte.
// - the index is (run_id, category_id, phase_id, offset_ms, sdk_id): offsets shrink it; sdk_id
//   stays at its end (1.7 B/event) so per-SDK readers (periodic collection, rate windows) walk
//   the index alone — without it analyze at 1M went from 1.50× to 1.65× a raw scan.
// Tables whose rows point at events (finding_events, sends, transmissions) are rebuilt to
// reference event_rows(id): a foreign key cannot name a view.
const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${col}) / 1000.0, 'unixepoch')`;

/** The `events` view's value_hash: hex text again, or the text a writer stored. */
export const VALUE_HASH_TEXT = (col: string) =>
  `CASE typeof(${col}) WHEN 'blob' THEN lower(hex(${col})) ELSE ${col} END`;

export const EVENTS_VIEW = `
CREATE VIEW events AS
SELECT e.id AS id, e.run_id AS run_id, r.time_base + e.offset_ms AS time, e.process_id AS process_id,
  e.thread_id AS thread_id, e.api_id AS api_id, e.category_id AS category_id, e.phase_id AS phase_id,
  e.foreground AS foreground, e.step_id AS step_id, e.stack_id AS stack_id, e.sdk_id AS sdk_id,
  e.args_id AS args_id, e.result_id AS result_id, ${VALUE_HASH_TEXT('e.value_hash')} AS value_hash, x.raw AS raw
FROM event_rows e JOIN runs r ON r.id = e.run_id LEFT JOIN event_raw x ON x.event_id = e.id;
`;

export const NARROW_EVENTS = `
DROP VIEW v_events;
DROP VIEW v_category_phase;
DROP VIEW v_first_access;
DROP VIEW v_sdk_accesses;
DROP VIEW v_bundled_vs_ran;
DROP VIEW v_transmissions;
ALTER TABLE runs ADD COLUMN time_base INTEGER;
UPDATE runs SET time_base = (SELECT CAST(floor(min(time)) AS INTEGER) FROM events WHERE events.run_id = runs.id);
CREATE TABLE event_rows (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  offset_ms REAL NOT NULL,
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
  value_hash
);
INSERT INTO event_rows
SELECT e.id, e.run_id, e.time - r.time_base, e.process_id, e.thread_id, e.api_id, e.category_id, e.phase_id,
  e.foreground, e.step_id, e.stack_id, e.sdk_id, e.args_id, e.result_id,
  CASE WHEN typeof(e.value_hash) = 'text' AND length(e.value_hash) = 16 AND e.value_hash NOT GLOB '*[^0-9a-f]*'
       THEN unhex(e.value_hash) ELSE e.value_hash END
FROM events e JOIN runs r ON r.id = e.run_id ORDER BY e.id;
CREATE TABLE event_raw (
  event_id INTEGER PRIMARY KEY REFERENCES event_rows (id) ON DELETE CASCADE,
  raw TEXT NOT NULL
);
INSERT INTO event_raw SELECT id, raw FROM events WHERE raw IS NOT NULL ORDER BY id;
CREATE INDEX event_rows_run_category ON event_rows (run_id, category_id, phase_id, offset_ms, sdk_id);

CREATE TABLE finding_events_v10 (
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL REFERENCES event_rows (id) ON DELETE CASCADE,
  PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;
INSERT INTO finding_events_v10 SELECT finding_id, event_id FROM finding_events;
DROP TABLE finding_events;
ALTER TABLE finding_events_v10 RENAME TO finding_events;

CREATE TABLE sends_v10 (
  event_id INTEGER PRIMARY KEY REFERENCES event_rows (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  host TEXT,
  port INTEGER,
  scheme TEXT,
  sni TEXT,
  bytes INTEGER,
  organisation TEXT,
  endpoint_sdk TEXT
);
INSERT INTO sends_v10 SELECT event_id, run_id, host, port, scheme, sni, bytes, organisation, endpoint_sdk FROM sends;
DROP TABLE sends;
ALTER TABLE sends_v10 RENAME TO sends;
CREATE INDEX sends_run_host ON sends (run_id, host);

CREATE TABLE transmissions_v10 (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  send_event_id INTEGER NOT NULL REFERENCES event_rows (id) ON DELETE CASCADE,
  read_event_id INTEGER REFERENCES event_rows (id) ON DELETE SET NULL,
  encoding TEXT NOT NULL
);
INSERT INTO transmissions_v10 SELECT id, run_id, send_event_id, read_event_id, encoding FROM transmissions;
DROP TABLE transmissions;
ALTER TABLE transmissions_v10 RENAME TO transmissions;
CREATE INDEX transmissions_run ON transmissions (run_id, send_event_id);

DROP TABLE events;
${EVENTS_VIEW}
-- Roll-up samples are delta-encoded since v10 (rollups.ts): stored ones are rebuilt on first read.
DELETE FROM event_groups;
DELETE FROM event_steps;
DELETE FROM event_seconds;
DELETE FROM run_stacks;
DELETE FROM rollup_runs;
CREATE VIEW v_events AS
SELECT e.id AS id, e.run_id AS run, ${iso('r.time_base + e.offset_ms')} AS time, r.time_base + e.offset_ms AS time_ms,
  p.name AS process, p.pid AS pid, t.name AS thread, a.hook AS hook, a.signature AS api,
  c.name AS category, ph.name AS phase, e.foreground AS foreground, st.label AS step,
  sd.name AS sdk, sa.text AS args, sr.text AS result, ${VALUE_HASH_TEXT('e.value_hash')} AS value_hash, x.raw AS raw,
  k.frames AS stack
FROM event_rows e JOIN runs r ON r.id = e.run_id
LEFT JOIN event_raw x ON x.event_id = e.id
JOIN processes p ON p.id = e.process_id
JOIN threads t ON t.id = e.thread_id
JOIN apis a ON a.id = e.api_id
JOIN categories c ON c.id = e.category_id
JOIN phases ph ON ph.id = e.phase_id
LEFT JOIN steps st ON st.id = e.step_id
LEFT JOIN sdks sd ON sd.id = e.sdk_id
LEFT JOIN summaries sa ON sa.id = e.args_id
LEFT JOIN summaries sr ON sr.id = e.result_id
LEFT JOIN stacks k ON k.id = e.stack_id;

CREATE VIEW v_category_phase AS
SELECT g.run_id AS run, c.name AS category, ph.name AS phase, g.accesses AS accesses,
  ${iso('g.first_ms')} AS first_at, ${iso('g.last_ms')} AS last_at
FROM (SELECT e.run_id, e.category_id, e.phase_id, count(*) AS accesses,
        min(e.offset_ms) + r.time_base AS first_ms, max(e.offset_ms) + r.time_base AS last_ms
      FROM event_rows e JOIN runs r ON r.id = e.run_id GROUP BY e.run_id, e.category_id, e.phase_id) g
JOIN categories c ON c.id = g.category_id
JOIN phases ph ON ph.id = g.phase_id;

CREATE VIEW v_first_access AS
SELECT f.run_id AS run, c.name AS category, ${iso('f.first_ms')} AS first_at, f.first_ms AS first_ms,
  a.hook AS hook, a.signature AS api, ph.name AS phase, st.label AS step, sd.name AS sdk, f.event_id AS event_id
FROM (SELECT e.run_id, e.category_id, min(e.offset_ms) + r.time_base AS first_ms, e.id AS event_id, e.api_id,
        e.phase_id, e.step_id, e.sdk_id
      FROM event_rows e JOIN runs r ON r.id = e.run_id GROUP BY e.run_id, e.category_id) f
JOIN categories c ON c.id = f.category_id
JOIN apis a ON a.id = f.api_id
JOIN phases ph ON ph.id = f.phase_id
LEFT JOIN steps st ON st.id = f.step_id
LEFT JOIN sdks sd ON sd.id = f.sdk_id;

CREATE VIEW v_sdk_accesses AS
SELECT g.run_id AS run, sd.name AS sdk, c.name AS category, g.accesses AS accesses
FROM (SELECT run_id, sdk_id, category_id, count(*) AS accesses FROM event_rows GROUP BY run_id, sdk_id, category_id) g
JOIN categories c ON c.id = g.category_id
LEFT JOIN sdks sd ON sd.id = g.sdk_id;

CREATE VIEW v_bundled_vs_ran AS
SELECT s.run_id AS run, s.sdk AS sdk, s.hook AS hook, s.api AS api, s.category AS category,
  s.call_sites AS call_sites,
  EXISTS (SELECT 1 FROM event_rows e JOIN apis a ON a.id = e.api_id LEFT JOIN sdks sd ON sd.id = e.sdk_id
          WHERE e.run_id = s.run_id AND a.hook = s.hook AND coalesce(sd.name, 'app') = s.sdk) AS ran
FROM static_call_sites s;

CREATE VIEW v_transmissions AS
SELECT t.run_id AS run, t.id AS id, t.send_event_id AS send_event, t.read_event_id AS read_event,
  rc.name AS category, ra.hook AS read_hook, ${VALUE_HASH_TEXT('r.value_hash')} AS value_hash, rsd.name AS read_sdk,
  rph.name AS read_phase, ${iso('rr.time_base + r.offset_ms')} AS read_at, t.encoding AS encoding,
  s.host AS host, s.port AS port, s.scheme AS scheme, s.sni AS sni,
  coalesce(s.organisation, s.host) AS organisation, s.endpoint_sdk AS endpoint_sdk,
  ssd.name AS sdk, sph.name AS phase, ${iso('sr.time_base + se.offset_ms')} AS sent_at,
  sr.time_base + se.offset_ms AS sent_ms, sa.hook AS send_hook
FROM transmissions t
JOIN event_rows se ON se.id = t.send_event_id
JOIN runs sr ON sr.id = se.run_id
JOIN apis sa ON sa.id = se.api_id
JOIN phases sph ON sph.id = se.phase_id
LEFT JOIN sdks ssd ON ssd.id = se.sdk_id
LEFT JOIN sends s ON s.event_id = t.send_event_id
LEFT JOIN event_rows r ON r.id = t.read_event_id
LEFT JOIN runs rr ON rr.id = r.run_id
LEFT JOIN categories rc ON rc.id = r.category_id
LEFT JOIN apis ra ON ra.id = r.api_id
LEFT JOIN phases rph ON rph.id = r.phase_id
LEFT JOIN sdks rsd ON rsd.id = r.sdk_id;
`;
