// Ingest benchmark: `npm run bench:ingest` (or runIngestBench() from bench/run-all.ts).
// A realistic trace (bench/synthetic-trace.ts REALISTIC) ingested by the CLI a user runs,
//   overreach ingest trace.jsonl --db ours.db --package com.example.shop
// (validation, SDK attribution per stack, roll-ups), PAIRED with the anchor: a plain
// better-sqlite3 script doing the same job (bench/plain-ingest.mjs), both fresh processes with
// start-up, each into a fresh database. Then the stored size per event.
// Targets: ingest ≥ 0.95× the plain script's speed; ≤ 50 bytes per event.
// Sizes: BENCH_EVENTS (default 1,000,000; the issue also asks 100k and 10M: BENCH_EVENTS=…).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIN,
  benchEvents,
  benchPairs,
  machine,
  paired,
  print,
  printPaired,
  ROOT,
  runNode,
  verdict,
} from './measure.ts';
import { REALISTIC, writeSyntheticTrace } from './synthetic-trace.ts';

export interface IngestBenchResult {
  events: number;
  speedRatio: number;
  bytesPerEvent: number;
  plainBytesPerEvent: number;
}

const size = (db: string) =>
  [db, `${db}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
const wipe = (db: string) => {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
};

export async function runIngestBench(opts: { events?: number } = {}): Promise<IngestBenchResult> {
  const events = opts.events ?? benchEvents(1_000_000);
  const pairs = benchPairs();
  const dir = mkdtempSync(join(tmpdir(), 'overreach-ingest-bench-'));
  try {
    const trace = join(dir, 'trace.jsonl');
    const t = await writeSyntheticTrace(trace, { ...REALISTIC, events, seed: 42 });
    print(
      `ingest bench: ${events.toLocaleString('en')} events, ${(t.bytes / 1e6).toFixed(0)} MB JSONL (realistic shape), ${machine()}`,
    );
    const ours = join(dir, 'ours.db');
    const plain = join(dir, 'plain.db');
    const p = paired(
      () => runNode([BIN, 'ingest', trace, '--db', ours, '--package', 'com.example.shop']),
      () => runNode([join(ROOT, 'bench', 'plain-ingest.mjs'), trace, plain]),
      pairs,
      { ours: () => wipe(ours), anchor: () => wipe(plain) },
    );
    printPaired('overreach ingest', 'plain script', p);
    const speedRatio = p.anchor.median / p.ours.median;
    verdict('ingest speed ÷ plain script (medians)', speedRatio.toFixed(2), '≥ 0.95', speedRatio >= 0.95);
    const bytesPerEvent = size(ours) / events;
    const plainBytesPerEvent = size(plain) / events;
    // The target is the per-event cost of a recording of 1M events or more; below that the
    // run's fixed stores (its ~2,000 stacks, ~1.2 MB, and the schema) dominate the file.
    verdict(
      events >= 1_000_000 ? 'stored bytes per event' : 'stored bytes per event (fixed costs dominate < 1M)',
      `${bytesPerEvent.toFixed(1)} (plain rows ${plainBytesPerEvent.toFixed(1)})`,
      '≤ 50 at ≥ 1M',
      events >= 1_000_000 ? bytesPerEvent <= 50 : null,
    );
    // Wall time is the verdict (what a user waits); CPU time beside it, because on a loaded
    // machine the scheduler shares the cores unevenly between a process that computes in long
    // runs and one that sleeps often, which wall time alone would mistake for speed.
    if (p.oursCpu && p.anchorCpu)
      verdict(
        'ingest CPU time: plain ÷ ours (medians)',
        `${(p.anchorCpu.median / p.oursCpu.median).toFixed(2)} (${(p.oursCpu.median / 1000).toFixed(2)} vs ${(p.anchorCpu.median / 1000).toFixed(2)} s)`,
        'measured',
        null,
      );
    if (p.oursRss)
      verdict('ingest peak memory (median)', `${(p.oursRss.median / 1024).toFixed(0)} MiB`, 'bounded', null);
    return { events, speedRatio, bytesPerEvent, plainBytesPerEvent };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runIngestBench(n ? { events: n } : {});
}
