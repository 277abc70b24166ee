// Ingest benchmark: `npm run bench:ingest` (or runIngestBench() from bench/run-all.ts).
// 1. writes a synthetic 1M-event trace as JSONL to a temp dir;
// 2. times the real `ingest` code path (ingestFile → TraceWriter) in this process;
// 3. times a plain better-sqlite3 insert of the very same event rows (single-row prepared
//    statement, one transaction per 5,000) into a second database with the same schema;
// 4. prints events/s for both, the ratio, bytes/event after a checkpoint, and view timings.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ingestFile } from '../harness/store/ingest.ts';
import { openStore } from '../harness/store/store.ts';
import { writeSyntheticTrace } from './synthetic-trace.ts';

export interface IngestBenchResult {
  events: number;
  traceBytes: number;
  ingestSeconds: number;
  ingestEventsPerSec: number;
  plainSeconds: number;
  plainEventsPerSec: number;
  ratio: number;
  bytesPerEvent: number;
  viewMs: Record<string, number>;
  targetsMet: boolean;
}

const LOOKUPS = [
  'threads',
  'phases',
  'categories',
  'sdks',
  'summaries',
  'apis',
  'stacks',
  'runs',
  'processes',
  'steps',
];

function plainInsert(srcPath: string, destPath: string): { seconds: number; events: number } {
  const dest = openStore(destPath);
  dest.db.exec(`ATTACH DATABASE '${srcPath.replace(/'/g, "''")}' AS src`);
  dest.db.transaction(() => {
    for (const t of LOOKUPS) dest.db.exec(`INSERT INTO main.${t} SELECT * FROM src.${t}`);
  })();
  dest.db.exec('DETACH DATABASE src');
  const src = new Database(srcPath, { readonly: true });
  const cols =
    'run_id, time, process_id, thread_id, api_id, category_id, phase_id, foreground, step_id, stack_id, sdk_id, args_id, result_id, value_hash, raw';
  const read = src.prepare(`SELECT ${cols} FROM events ORDER BY id`).raw(true);
  const insert = dest.db.prepare(
    `INSERT INTO events (${cols}) VALUES (${cols.split(',').fill('?').join(', ')})`,
  );
  const insertBatch = dest.db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });
  let seconds = 0;
  let events = 0;
  let rows: unknown[][] = [];
  const run = () => {
    const t0 = process.hrtime.bigint();
    insertBatch(rows);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    events += rows.length;
    rows = [];
  };
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    rows.push(row);
    if (rows.length === 5000) run();
  }
  if (rows.length > 0) run();
  src.close();
  dest.close();
  return { seconds, events };
}

function timeView(db: Database.Database, sql: string): number {
  const t0 = process.hrtime.bigint();
  db.prepare(sql).all();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function runIngestBench(
  opts: { events?: number; print?: (line: string) => void } = {},
): Promise<IngestBenchResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const events = opts.events ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'overreach-ingest-bench-'));
  try {
    const tracePath = join(dir, 'trace.jsonl');
    const trace = await writeSyntheticTrace(tracePath, { events, stacks: 300, hooks: 60, seed: 42 });
    print(
      `ingest bench: ${events.toLocaleString('en')} events, trace ${(trace.bytes / 1e6).toFixed(1)} MB JSONL`,
    );

    const dbPath = join(dir, 'ingest.db');
    const store = openStore(dbPath);
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'bench',
      scenario: 'bench',
      toolVersion: 'bench',
    });
    const writer = store.traceWriter(runId);
    const t0 = process.hrtime.bigint();
    const result = await ingestFile(tracePath, writer);
    const ingestSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    store.endRun(runId, 'completed');
    if (result.malformed > 0 || result.events !== events) {
      throw new Error(
        `bench trace did not ingest cleanly: ${result.errors[0]?.message ?? `${result.events} events`}`,
      );
    }
    store.checkpoint();
    const bytesPerEvent = statSync(dbPath).size / events;
    const viewMs: Record<string, number> = {};
    for (const view of ['v_category_phase', 'v_first_access', 'v_sdk_accesses']) {
      viewMs[view] = timeView(store.db, `SELECT * FROM ${view} WHERE run = ${runId}`);
    }
    viewMs['v_events (1,000 rows of one category)'] = timeView(
      store.db,
      `SELECT * FROM v_events WHERE run = ${runId} AND category = 'location' LIMIT 1000`,
    );
    store.close();

    const plain = plainInsert(dbPath, join(dir, 'plain.db'));
    const ingestRate = events / ingestSeconds;
    const plainRate = plain.events / plain.seconds;
    const ratio = ingestRate / plainRate;
    const targetsMet =
      ratio >= 0.5 && ingestRate >= 200_000 && bytesPerEvent <= 100 && viewMs['v_category_phase']! <= 1000;
    print(
      `ingest (JSONL → store):   ${Math.round(ingestRate).toLocaleString('en')} events/s (${ingestSeconds.toFixed(2)} s)`,
    );
    print(
      `plain better-sqlite3:     ${Math.round(plainRate).toLocaleString('en')} events/s (${plain.seconds.toFixed(2)} s)`,
    );
    print(`ratio ingest/plain:       ${(ratio * 100).toFixed(0)}%   (target ≥ 50%, ≥ 200,000 events/s)`);
    print(`database size:            ${bytesPerEvent.toFixed(1)} bytes/event   (target ≤ 100)`);
    for (const [view, ms] of Object.entries(viewMs)) print(`query ${view}: ${ms.toFixed(0)} ms`);
    print(`targets ${targetsMet ? 'met' : 'NOT met'}`);
    return {
      events,
      traceBytes: trace.bytes,
      ingestSeconds,
      ingestEventsPerSec: ingestRate,
      plainSeconds: plain.seconds,
      plainEventsPerSec: plainRate,
      ratio,
      bytesPerEvent,
      viewMs,
      targetsMet,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runIngestBench(n ? { events: n } : {});
}
