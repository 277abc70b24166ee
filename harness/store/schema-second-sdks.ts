// Schema v12: per-second roll-ups for time spans (background-access, docs/schema.md
// "Per-second roll-ups for spans"). Each event_seconds row (category, phase, second) gains the
// id range of its events, so one second of a stream is read exactly from those rows of
// event_rows instead of whole chunks (a chunk spans tens of seconds), and its per-SDK counts,
// so the whole seconds of a span are counted per SDK from the roll-up: no new rows to write.
export const SECOND_SDKS = `
ALTER TABLE event_seconds ADD COLUMN first_id INTEGER;
ALTER TABLE event_seconds ADD COLUMN last_id INTEGER;
ALTER TABLE event_seconds ADD COLUMN sdks TEXT;
-- Stored roll-ups lack the new parts: rebuilt by one scan when a run is next read (as v10, v11).
DELETE FROM event_groups;
DELETE FROM event_steps;
DELETE FROM event_seconds;
DELETE FROM run_stacks;
DELETE FROM rollup_runs;
`;
