// The ingest benchmark's anchor: what a plain better-sqlite3 script doing the same job looks
// like — read the JSONL trace, JSON.parse each line, intern strings in Maps, store each distinct
// stack once, insert one row per event with a prepared statement, 5,000 events per transaction,
// the same events table and index as overreach's. No validation, no steps, no SDK attribution,
// no roll-ups. Run as `node bench/plain-ingest.mjs trace.jsonl out.db` (start-up included).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';

const [trace, out] = process.argv.slice(2);
const db = new Database(out);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stacks (id INTEGER PRIMARY KEY, frames TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, time REAL NOT NULL, process_id INTEGER NOT NULL,
  thread_id INTEGER NOT NULL, api_id INTEGER NOT NULL, category_id INTEGER NOT NULL,
  phase_id INTEGER NOT NULL, foreground INTEGER NOT NULL, step_id INTEGER, stack_id INTEGER,
  sdk_id INTEGER, args_id INTEGER, result_id INTEGER, value_hash TEXT, raw TEXT);
CREATE INDEX IF NOT EXISTS events_run_category ON events (run_id, category_id, phase_id, time);
`);
const addName = db.prepare('INSERT INTO names (kind, name) VALUES (?, ?)');
const addStack = db.prepare('INSERT INTO stacks (frames) VALUES (?)');
const insert = db.prepare(
  'INSERT INTO events (run_id, time, process_id, thread_id, api_id, category_id, phase_id, foreground, step_id, stack_id, sdk_id, args_id, result_id, value_hash, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?)',
);
const maps = new Map();
const id = (kind, name) => {
  let m = maps.get(kind);
  if (!m) {
    m = new Map();
    maps.set(kind, m);
  }
  let v = m.get(name);
  if (v === undefined) {
    v = Number(addName.run(kind, name).lastInsertRowid);
    m.set(name, v);
  }
  return v;
};
const stackIds = new Map();
let queue = [];
let queued = 0;
const write = db.transaction((msgs) => {
  for (const msg of msgs) {
    const pid = id('process', `${msg.pid}`);
    for (const s of msg.stacks)
      stackIds.set(`${msg.pid}/${s.id}`, Number(addStack.run(s.frames.join('\n')).lastInsertRowid));
    for (const e of msg.events)
      insert.run(
        1,
        e.time,
        pid,
        id('thread', e.thread),
        id('api', `${e.hook}\n${e.api}`),
        id('category', e.category),
        id('phase', e.phase),
        e.foreground ? 1 : 0,
        e.stack === undefined ? null : stackIds.get(`${msg.pid}/${e.stack}`),
        e.args === undefined ? null : id('summary', e.args),
        e.result === undefined ? null : id('summary', e.result),
        e.valueHash ?? null,
        e.raw ?? null,
      );
  }
});
for await (const line of createInterface({ input: createReadStream(trace), crlfDelay: Infinity })) {
  if (!line) continue;
  const msg = JSON.parse(line);
  if (msg.type !== 'events') continue;
  queue.push(msg);
  queued += msg.events.length;
  if (queued >= 5000) {
    write(queue);
    queue = [];
    queued = 0;
  }
}
if (queue.length) write(queue);
db.close();
