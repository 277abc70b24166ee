// background-access over many short background spans: more edge windows (one per span start,
// one per span end in a later second) than one statement reads (span-seconds.ts WINDOWS = 500),
// so they are read in parts. The result must equal the reads through chunks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALISTIC, syntheticRun } from '../bench/synthetic-trace.ts';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext } from '../harness/analysis/context.ts';
import { backgroundAccess } from '../harness/analysis/rules/background-access.ts';
import { spanSecondsReady } from '../harness/analysis/span-seconds.ts';
import type { FindingDraft } from '../harness/analysis/types.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';

const T0 = 1_767_225_600_000;
const PKG = 'com.example.shop';
/** 600 background spans of 13.25 ms every 31.5 ms from T0 + 200 (edges mid-millisecond). */
const SPANS = 600;
const span = (i: number): [number, number] => [200 + i * 31.5, 200 + i * 31.5 + 13.25];

let dir: string;
let path: string;
let runId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-span-windows-'));
  path = join(dir, 'w.db');
  const store = openStore(path);
  const run = syntheticRun(store, T0, { ...REALISTIC, events: 30_000, seed: 5, startTime: T0 + 0.25 });
  runId = run.runId;
  const w = run.w;
  const life = (t: number, kind: 'foreground' | 'background') =>
    w.handle({ v: 1, type: 'lifecycle', pid: 4000, process: PKG, time: T0 + t, kind, detail: `${PKG}.Main` });
  life(100, 'foreground');
  for (let i = 0; i < SPANS; i++) {
    const [a, b] = span(i);
    life(a, 'background');
    life(b, 'foreground');
  }
  w.flush();
  store.endRun(runId, 'completed');
  store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function drafts(db: Database.Database) {
  const ctx = new AnalysisContext(db, runId, resolveLimits(), undefined, undefined);
  return { ready: spanSecondsReady(ctx), drafts: backgroundAccess.run(ctx) as FindingDraft[] };
}

describe('background-access over more span edges than one statement reads', () => {
  it('equals the reads through chunks', () => {
    const rw = openStore(path);
    // Every span starts a window of its own: more than one statement's 500.
    const edgeWindows = new Set(Array.from({ length: SPANS }, (_, i) => span(i).join(':'))).size;
    expect(edgeWindows).toBeGreaterThan(500);
    const fast = drafts(rw.db);
    expect(fast.ready).toBe(true);
    expect(fast.drafts.length).toBeGreaterThan(5);
    expect(fast.drafts.every((d) => d.evidence.length > 0)).toBe(true);
    rw.db.prepare('DELETE FROM rollup_runs WHERE run_id = ?').run(runId);
    rw.close();
    const ro = openReadOnly(path);
    const slow = drafts(ro);
    ro.close();
    expect(slow.ready).toBe(false);
    expect(fast.drafts).toEqual(slow.drafts);
  });
});
