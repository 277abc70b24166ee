// periodic-collection's reads (harness/analysis/periodic-reads.ts, periodic-order.ts): laid out
// per (SDK, background or not), phases merged into (time, id) order, each phase's first reads
// found through one read of its category's chunks. Each case is one a shortcut could get wrong.
import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../harness/analysis/engine.ts';
import { invalidateRollup } from '../harness/store/rollup-read.ts';
import type { Store } from '../harness/store/store.ts';
import { IRREGULAR, ingestReads } from './fixtures/analysis/device-id-reads.ts';
import { T0 } from './fixtures/analysis/trace-builder.ts';

const ingest = ingestReads;

const periodic = (store: Store, runId: number) =>
  analyzeRun(store, runId, { only: ['periodic-collection'] }).map((f) => [f.title, f.count, f.evidence]);

/** The run's event ids in (time, id) order, as SQLite computes the time (time_base + offset). */
const byTime = (store: Store, runId: number): number[] =>
  store.db.prepare('SELECT id FROM events WHERE run_id = ? ORDER BY time, id').pluck().all(runId) as number[];

describe('periodic-collection reads', () => {
  it('merges the reads of two phases that interleave in time', () => {
    // A 2-s timer whose reads alternate between two foreground phases, each phase's reads sent
    // in a message of its own: concatenated phase by phase, the times read every 4 s twice.
    const times = Array.from({ length: 20 }, (_, i) => 10 + 2 * i);
    const { store, runId, cleanup } = ingest([
      { times: times.filter((_, i) => i % 2 === 0), phase: 'launch' },
      { times: times.filter((_, i) => i % 2 === 1), phase: 'browse' },
    ]);
    try {
      expect(periodic(store, runId)).toEqual([
        ['device-id read every 2.0 s by the app itself (20 reads)', 20, byTime(store, runId)],
      ]);
    } finally {
      cleanup();
    }
  });

  it('splits a phase whose reads are both in the background and not by each read’s flag', () => {
    // One phase, one SDK (the app), a 3-s background timer and a 5-s foreground one interleaved.
    const bg = Array.from({ length: 10 }, (_, i) => 0.5 + 3 * i);
    const fg = Array.from({ length: 10 }, (_, i) => 1 + 5 * i);
    const inBackground = new Set(bg);
    const { store, runId, cleanup } = ingest([
      { times: [...bg, ...fg].sort((a, b) => a - b), foreground: (t) => !inBackground.has(t) },
    ]);
    try {
      const ids = byTime(store, runId);
      const flags = store.db
        .prepare('SELECT foreground FROM events WHERE run_id = ? ORDER BY time, id')
        .pluck()
        .all(runId) as number[];
      expect(periodic(store, runId)).toEqual([
        [
          'device-id read every 3.0 s by the app itself (10 reads, in the background)',
          10,
          ids.filter((_, i) => flags[i] === 0),
        ],
        ['device-id read every 5.0 s by the app itself (10 reads)', 10, ids.filter((_, i) => flags[i] === 1)],
      ]);
    } finally {
      cleanup();
    }
  });

  it('keeps fractional offsets: a read 1,200.4 ms after a 1-s run breaks it at ±20%', () => {
    // Rounded to whole ms the last interval would be 1,200 ms, within ±20% of 1,000: 7 reads.
    const { store, runId, cleanup } = ingest([{ times: [0, 1, 2, 3, 4, 5, 6.2004] }]);
    try {
      const offsets = store.db.prepare('SELECT offset_ms FROM event_rows').pluck().all() as number[];
      expect(offsets.some((o) => !Number.isInteger(o))).toBe(true);
      expect(periodic(store, runId)).toEqual([
        ['device-id read every 1.0 s by the app itself (6 reads)', 6, byTime(store, runId).slice(0, 6)],
      ]);
    } finally {
      cleanup();
    }
  });

  it('orders two offsets that the time base rounds to one time by id, as SQL does', () => {
    // A 2-s timer and one more read sent later (a larger id); their offsets set so that the later
    // read's offset is the smaller one, both giving one time once the base is added: by
    // (offset, id) the later read comes first, by (time, id) — the order of every read — last.
    const { store, runId, cleanup } = ingest([
      { times: Array.from({ length: 8 }, (_, i) => 2 * i) },
      { times: [6] },
    ]);
    try {
      const at6 = store.db
        .prepare('SELECT id FROM event_rows WHERE offset_ms = 6000 ORDER BY id')
        .pluck()
        .all() as number[];
      expect(at6).toHaveLength(2);
      const set = store.db.prepare('UPDATE event_rows SET offset_ms = ? WHERE id = ?');
      set.run(6000.00002, at6[0]);
      set.run(6000.00001, at6[1]);
      // The precondition: one time from two offsets (else this test proves nothing).
      expect(T0 + 6000.00001).toBe(T0 + 6000.00002);
      const ids = byTime(store, runId);
      expect(ids.indexOf(at6[0]!)).toBeLessThan(ids.indexOf(at6[1]!));
      expect(periodic(store, runId)).toEqual([
        ['device-id read every 2.0 s by the app itself (9 reads)', 9, ids],
      ]);
    } finally {
      cleanup();
    }
  });

  it('reads every chunk that may hold a phase’s first reads, not only those up to the count', () => {
    // Chunk 1 (first in the chunk index) holds a read at 0 s and 255 far later; the next 19
    // chunks 4,864 irregular reads; the last one a 2-s timer. By time the first 5,000 reads are
    // the one at 0 s, the irregular ones and the timer's first 135: the count is reached within
    // the first 20 chunks, but the timer's chunk must be read too (chunk 1 ends after it).
    const irregular: number[] = [];
    let s = 1;
    for (let i = 0; i < 4_864; i++) {
      irregular.push(s);
      s += IRREGULAR[i % IRREGULAR.length]!;
    }
    const timer = Array.from({ length: 256 }, (_, i) => 30_000 + 2 * i);
    let late = 100_000;
    const first = [0];
    for (let i = 0; i < 255; i++) {
      late += IRREGULAR[i % IRREGULAR.length]!;
      first.push(late);
    }
    expect(s).toBeLessThan(timer[0]!);
    const { store, runId, cleanup } = ingest([{ times: first }, { times: irregular }, { times: timer }]);
    try {
      const chunks = store.db
        .prepare('SELECT first_ms, last_ms, events FROM event_chunks ORDER BY first_ms')
        .raw()
        .all() as [number, number, number][];
      expect(chunks).toHaveLength(21);
      expect(chunks[0]![2]).toBe(256);
      expect(chunks[0]![1]).toBeGreaterThan(chunks[20]![1]);
      const timerIds = byTime(store, runId).slice(4_865, 4_865 + 20);
      expect(periodic(store, runId)).toEqual([
        ['device-id read every 2.0 s by the app itself (135 reads)', 135, timerIds],
      ]);
    } finally {
      cleanup();
    }
  });

  it('with many SDKs in a category, counts each SDK’s reads first and finds every timer', () => {
    // 12 SDKs, each a 2-s timer of 10 reads, 0.1 s apart from the next SDK's: rooms of the whole
    // phase per SDK would be 12 times the reads, so the reads are counted into rooms first.
    const times = Array.from({ length: 120 }, (_, i) => 10 + 2 * Math.floor(i / 12) + 0.1 * (i % 12));
    const { store, runId, cleanup } = ingest([{ times }]);
    try {
      const ids = byTime(store, runId);
      const sdk = store.db.prepare('INSERT INTO sdks (name) VALUES (?) RETURNING id').pluck();
      const sdkIds = Array.from({ length: 12 }, (_, j) => sdk.get(`timer-sdk-${j + 1}`) as number);
      const set = store.db.prepare('UPDATE event_rows SET sdk_id = ? WHERE id = ?');
      for (const [i, id] of ids.entries()) set.run(sdkIds[i % 12], id);
      // SDK ids edited outside the writer: the roll-ups are rebuilt from the events.
      invalidateRollup(store.db, runId);
      // (In the order of the rebuilt roll-up's groups: compared by title.)
      const byTitle = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
      expect(periodic(store, runId).sort(byTitle)).toEqual(
        sdkIds
          .map((_, j) => [
            `device-id read every 2.0 s by timer-sdk-${j + 1} (10 reads)`,
            10,
            ids.filter((_, i) => i % 12 === j),
          ])
          .sort(byTitle),
      );
    } finally {
      cleanup();
    }
  });
});
