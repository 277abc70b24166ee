// Schema v11: event rows clustered in id blocks ("chunks") per stream (run, category, phase),
// and the events index dropped (docs/schema.md "Event chunks").
//
// Chunk c owns the event ids [c << CHUNK_BITS, (c << CHUNK_BITS) | CHUNK_MASK]; every row of a
// chunk belongs to the chunk's stream. `event_chunks` holds one row per chunk with the min/max
// offset_ms and the number of its rows, so a category/phase/time read finds its chunks in a
// small index and reads their rows as rowid ranges of event_rows. Measured at 1M events: the
// index (run_id, category_id, phase_id, offset_ms, sdk_id) was 20.5 MB (≈ 20 B/event); the
// chunk table is ≈ 0.1 MB. event_rows keeps every column, so any SQL over it stays correct.
// Rows inside a chunk are in arrival order (not time order); across streams id order is not
// arrival order.
import { CHUNK_BITS, CHUNK_MASK, EVENT_CHUNK_ON } from './event-rows.ts';
import { VALUE_HASH_TEXT } from './schema-narrow-events.ts';

const iso = (col: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${col}) / 1000.0, 'unixepoch')`;

/** The views over event rows: read through chunks, so run/category/phase filters use its index. */
export const CHUNKED_VIEWS = `
CREATE VIEW events AS
SELECT e.id AS id, k.run_id AS run_id, r.time_base + e.offset_ms AS time, e.process_id AS process_id,
  e.thread_id AS thread_id, e.api_id AS api_id, k.category_id AS category_id, k.phase_id AS phase_id,
  e.foreground AS foreground, e.step_id AS step_id, e.stack_id AS stack_id, e.sdk_id AS sdk_id,
  e.args_id AS args_id, e.result_id AS result_id, ${VALUE_HASH_TEXT('e.value_hash')} AS value_hash, x.raw AS raw
FROM event_chunks k JOIN event_rows e ON ${EVENT_CHUNK_ON} JOIN runs r ON r.id = k.run_id
LEFT JOIN event_raw x ON x.event_id = e.id;

CREATE VIEW v_events AS
SELECT e.id AS id, k.run_id AS run, ${iso('r.time_base + e.offset_ms')} AS time, r.time_base + e.offset_ms AS time_ms,
  p.name AS process, p.pid AS pid, t.name AS thread, a.hook AS hook, a.signature AS api,
  c.name AS category, ph.name AS phase, e.foreground AS foreground, st.label AS step,
  sd.name AS sdk, sa.text AS args, sr.text AS result, ${VALUE_HASH_TEXT('e.value_hash')} AS value_hash, x.raw AS raw,
  s.frames AS stack
FROM event_chunks k JOIN event_rows e ON ${EVENT_CHUNK_ON} JOIN runs r ON r.id = k.run_id
LEFT JOIN event_raw x ON x.event_id = e.id
JOIN processes p ON p.id = e.process_id
JOIN threads t ON t.id = e.thread_id
JOIN apis a ON a.id = e.api_id
JOIN categories c ON c.id = k.category_id
JOIN phases ph ON ph.id = k.phase_id
LEFT JOIN steps st ON st.id = e.step_id
LEFT JOIN sdks sd ON sd.id = e.sdk_id
LEFT JOIN summaries sa ON sa.id = e.args_id
LEFT JOIN summaries sr ON sr.id = e.result_id
LEFT JOIN stacks s ON s.id = e.stack_id;

CREATE VIEW v_category_phase AS
SELECT g.run_id AS run, c.name AS category, ph.name AS phase, g.accesses AS accesses,
  ${iso('g.first_ms')} AS first_at, ${iso('g.last_ms')} AS last_at
FROM (SELECT k.run_id, k.category_id, k.phase_id, sum(k.events) AS accesses,
        min(k.first_ms) + r.time_base AS first_ms, max(k.last_ms) + r.time_base AS last_ms
      FROM event_chunks k JOIN runs r ON r.id = k.run_id GROUP BY k.run_id, k.category_id, k.phase_id) g
JOIN categories c ON c.id = g.category_id
JOIN phases ph ON ph.id = g.phase_id;

CREATE VIEW v_first_access AS
SELECT f.run_id AS run, c.name AS category, ${iso('f.first_ms')} AS first_at, f.first_ms AS first_ms,
  a.hook AS hook, a.signature AS api, ph.name AS phase, st.label AS step, sd.name AS sdk, f.event_id AS event_id
FROM (SELECT k.run_id, k.category_id, min(e.offset_ms) + r.time_base AS first_ms, e.id AS event_id, e.api_id,
        k.phase_id, e.step_id, e.sdk_id
      FROM event_chunks k CROSS JOIN event_rows e ON ${EVENT_CHUNK_ON} JOIN runs r ON r.id = k.run_id
      WHERE k.first_ms = (SELECT min(k2.first_ms) FROM event_chunks k2
                          WHERE k2.run_id = k.run_id AND k2.category_id = k.category_id)
      GROUP BY k.run_id, k.category_id) f
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

const EVENT_COLS = `run_id, offset_ms, process_id, thread_id, api_id, category_id, phase_id, foreground,
  step_id, stack_id, sdk_id, args_id, result_id, value_hash`;

// Children are rebuilt pointing at event_rows_v11 and the parent renamed last: RENAME rewrites
// their REFERENCES, and dropping the old parent then cascades to nothing.
export const EVENT_CHUNKS = `
DROP VIEW events;
DROP VIEW v_events;
DROP VIEW v_category_phase;
DROP VIEW v_first_access;
DROP VIEW v_sdk_accesses;
DROP VIEW v_bundled_vs_ran;
DROP VIEW v_transmissions;

-- New ids: streams ordered by (run, category, phase) take consecutive chunks from chunk 1 (no id
-- 0); rows of a stream keep their id order.
CREATE TEMP TABLE v11_streams AS
SELECT run_id, category_id, phase_id, count(*) AS n FROM event_rows GROUP BY run_id, category_id, phase_id;
CREATE TEMP TABLE v11_base AS
SELECT run_id, category_id, phase_id, 1 + coalesce(sum((n + ${CHUNK_MASK}) >> ${CHUNK_BITS}) OVER (
    ORDER BY run_id, category_id, phase_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
FROM v11_streams;
CREATE TEMP TABLE v11_map (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO v11_map
SELECT e.id, ((b.base + ((e.rn - 1) >> ${CHUNK_BITS})) << ${CHUNK_BITS}) | ((e.rn - 1) & ${CHUNK_MASK})
FROM (SELECT id, run_id, category_id, phase_id,
        row_number() OVER (PARTITION BY run_id, category_id, phase_id ORDER BY id) AS rn FROM event_rows) e
JOIN v11_base b ON b.run_id = e.run_id AND b.category_id = e.category_id AND b.phase_id = e.phase_id;

CREATE TABLE event_rows_v11 (
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
INSERT INTO event_rows_v11 (id, ${EVENT_COLS})
SELECT m.new, ${EVENT_COLS} FROM event_rows e JOIN v11_map m ON m.old = e.id ORDER BY m.new;

CREATE TABLE event_chunks (
  chunk INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id),
  category_id INTEGER NOT NULL,
  phase_id INTEGER NOT NULL,
  first_ms REAL NOT NULL,
  last_ms REAL NOT NULL,
  events INTEGER NOT NULL
);
INSERT INTO event_chunks
SELECT id >> ${CHUNK_BITS}, run_id, category_id, phase_id, min(offset_ms), max(offset_ms), count(*)
FROM event_rows_v11 GROUP BY id >> ${CHUNK_BITS};
CREATE INDEX event_chunks_stream ON event_chunks (run_id, category_id, phase_id, first_ms);

CREATE TABLE event_raw_v11 (
  event_id INTEGER PRIMARY KEY REFERENCES event_rows_v11 (id) ON DELETE CASCADE,
  raw TEXT NOT NULL
);
INSERT INTO event_raw_v11 SELECT m.new, x.raw FROM event_raw x JOIN v11_map m ON m.old = x.event_id ORDER BY m.new;
DROP TABLE event_raw;
ALTER TABLE event_raw_v11 RENAME TO event_raw;

CREATE TABLE finding_events_v11 (
  finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL REFERENCES event_rows_v11 (id) ON DELETE CASCADE,
  PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;
INSERT INTO finding_events_v11 SELECT f.finding_id, m.new FROM finding_events f JOIN v11_map m ON m.old = f.event_id;
DROP TABLE finding_events;
ALTER TABLE finding_events_v11 RENAME TO finding_events;

CREATE TABLE sends_v11 (
  event_id INTEGER PRIMARY KEY REFERENCES event_rows_v11 (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  host TEXT,
  port INTEGER,
  scheme TEXT,
  sni TEXT,
  bytes INTEGER,
  organisation TEXT,
  endpoint_sdk TEXT
);
INSERT INTO sends_v11 SELECT m.new, s.run_id, s.host, s.port, s.scheme, s.sni, s.bytes, s.organisation, s.endpoint_sdk
FROM sends s JOIN v11_map m ON m.old = s.event_id ORDER BY m.new;
DROP TABLE sends;
ALTER TABLE sends_v11 RENAME TO sends;
CREATE INDEX sends_run_host ON sends (run_id, host);

CREATE TABLE transmissions_v11 (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  send_event_id INTEGER NOT NULL REFERENCES event_rows_v11 (id) ON DELETE CASCADE,
  read_event_id INTEGER REFERENCES event_rows_v11 (id) ON DELETE SET NULL,
  encoding TEXT NOT NULL
);
INSERT INTO transmissions_v11
SELECT t.id, t.run_id, ms.new, mr.new, t.encoding FROM transmissions t JOIN v11_map ms ON ms.old = t.send_event_id
LEFT JOIN v11_map mr ON mr.old = t.read_event_id ORDER BY t.id;
DROP TABLE transmissions;
ALTER TABLE transmissions_v11 RENAME TO transmissions;
CREATE INDEX transmissions_run ON transmissions (run_id, send_event_id);

DROP TABLE event_rows;
ALTER TABLE event_rows_v11 RENAME TO event_rows;
DROP TABLE temp.v11_map;
DROP TABLE temp.v11_base;
DROP TABLE temp.v11_streams;
${CHUNKED_VIEWS}
-- Roll-up samples hold event ids: rebuilt by one scan when a run is next read.
DELETE FROM event_groups;
DELETE FROM event_steps;
DELETE FROM event_seconds;
DELETE FROM run_stacks;
DELETE FROM rollup_runs;
`;
