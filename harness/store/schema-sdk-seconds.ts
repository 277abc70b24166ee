// Schema v12: per-second roll-ups for time-span reads (background-access, docs/schema.md
// "event_sdk_seconds"). event_sdk_seconds counts a run's events per (category, SDK, second): the
// whole seconds of a span are summed per (category, SDK) along its key, without a sorter; event_seconds gains the
// id range of each (category, phase, second) stream, so the partial seconds at a span's edges are
// read exactly from those rows of event_rows instead of whole chunks (a chunk spans ~30 s).
export const SDK_SECONDS = `
ALTER TABLE event_seconds ADD COLUMN first_id INTEGER;
ALTER TABLE event_seconds ADD COLUMN last_id INTEGER;
CREATE TABLE event_sdk_seconds (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL,
  sdk_id INTEGER NOT NULL,
  second INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (run_id, category_id, sdk_id, second)
) WITHOUT ROWID;
-- Stored roll-ups lack the new parts: rebuilt by one scan when a run is next read (as v10, v11).
DELETE FROM event_groups;
DELETE FROM event_steps;
DELETE FROM event_seconds;
DELETE FROM run_stacks;
DELETE FROM rollup_runs;
`;
