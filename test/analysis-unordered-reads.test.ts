// Reads that take a stream's rows in chunk order (no ORDER BY in SQL) and put them in (time, id)
// order in JS: on traces whose ids are NOT in time order (messages of two processes arriving out
// of time order, fractional-time ties) they must give exactly what an ordered read gives.
import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext } from '../harness/analysis/context.ts';
import { analyzeRun } from '../harness/analysis/engine.ts';
import { readPermissionEvents, requestCounts } from '../harness/analysis/permission-events.ts';
import { exceedingWindows } from '../harness/analysis/windows.ts';
import { decodeSample } from '../harness/store/rollup-parts.ts';
import type { Store } from '../harness/store/store.ts';
import { IRREGULAR, ingestReads } from './fixtures/analysis/device-id-reads.ts';
import { analyzeTrace, P, T0, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

/** device-id reads, batches of [pid, times (s after T0), phase]. */
const ingest = (batches: [number, number[], string?][]) =>
  ingestReads(batches.map(([pid, times, phase]) => ({ pid, times, ...(phase ? { phase } : {}) })));

describe('reads in chunk order, ordered in JS', () => {
  it('periodic-collection takes the first reads by time, not the first in chunk order', () => {
    // One phase: the rule examines the first 5,000 reads of the stream. The first chunk (first in
    // the chunk index: it starts at t=0) holds one read at t=0 and 255 reads after everything
    // else (a second process's late messages); the next chunks hold 4,744 irregular reads and then
    // a 5-s timer of 56 reads. By time the timer is within the first 5,000 reads; in chunk order
    // it is past them.
    const irregular: number[] = [];
    let s = 1;
    for (let i = 0; i < 4_744; i++) {
      irregular.push(s);
      s += IRREGULAR[i % IRREGULAR.length]!;
    }
    const timer = Array.from({ length: 56 }, (_, i) => s + 40 + 5 * i);
    let after = timer.at(-1)! + 50;
    const late = Array.from({ length: 255 }, (_, i) => {
      const x = after;
      after += IRREGULAR[i % IRREGULAR.length]!;
      return x;
    });
    const { store, runId, cleanup } = ingest([
      [1, [0]],
      [2, late],
      [1, irregular],
      [1, timer],
    ]);
    try {
      // The chunk order really differs from time order here (else this test proves nothing).
      const inChunkOrder = store.db
        .prepare(
          `SELECT e.offset_ms FROM event_chunks k CROSS JOIN event_rows e
             ON e.id BETWEEN k.chunk << 8 AND (k.chunk << 8) | 255
           WHERE k.run_id = ? ORDER BY k.first_ms, e.id`,
        )
        .pluck()
        .all(runId) as number[];
      expect(inChunkOrder.slice(0, 5_000).some((o, i, a) => i > 0 && o < a[i - 1]!)).toBe(true);
      const timerIds = store.db
        .prepare('SELECT id FROM events WHERE run_id = ? AND time >= ? ORDER BY time, id LIMIT 20')
        .pluck()
        .all(runId, T0 + timer[0]! * 1000);
      const found = analyzeRun(store, runId, { only: ['periodic-collection'] });
      expect(found.map((f) => [f.title, f.count, f.evidence])).toEqual([
        ['device-id read every 5.0 s by the app itself (56 reads)', 56, timerIds],
      ]);
      // An SDK id too large to pack with the event id: the rows path (ORDER BY … LIMIT) agrees.
      store.db.prepare("INSERT INTO sdks (id, name) VALUES (?, 'far')").run(2 ** 21);
      const rows = analyzeRun(store, runId, { only: ['periodic-collection'] });
      expect(rows.map((f) => [f.title, f.count, f.evidence, f.detail])).toEqual(
        found.map((f) => [f.title, f.count, f.evidence, f.detail]),
      );
    } finally {
      cleanup();
    }
  });

  it('permission events come in (time, id) order across phases, out-of-order messages and ties', async () => {
    const t = new TraceBuilder();
    const req = (s: number, phase: string, perm: string): number =>
      t.event({
        t: s,
        hook: 'permissions.activity-request',
        category: 'permission-request',
        phase,
        args: P(perm),
      });
    const res = (s: number, phase: string, pairs: string): number =>
      t.event({
        t: s,
        hook: 'permissions.dispatch-result',
        category: 'permission-request',
        phase,
        args: pairs,
        result: 'request=7',
      });
    // Launch phase, then a second process's messages with earlier times arriving later, a tie
    // at a fractional millisecond (broken by id), and a phase whose events interleave in time.
    for (let i = 0; i < 40; i++) req(10 + i, 'launch', 'CAMERA');
    res(5.0005, 'launch', `${P('CAMERA')}=denied`);
    res(5.0005, 'launch', `${P('CAMERA')}=granted`);
    for (let i = 0; i < 300; i++) req(3 + i * 0.25, 'browse', i % 2 ? 'READ_CONTACTS' : 'CAMERA');
    for (let i = 0; i < 20; i++)
      res(100 - i, 'browse', `${P('READ_CONTACTS')}=${i % 3 ? 'granted' : 'denied'}`);
    const r = await analyzeTrace(t);
    try {
      const ctx = new AnalysisContext(r.store.db, 1, resolveLimits(), undefined, undefined);
      const got = readPermissionEvents(ctx)
        .all()
        .map((e) => [e.id, e.time, e.kind, [...e.granted]]);
      const want = (
        r.store.db
          .prepare(
            `SELECT e.id, e.time, sa.text AS args FROM events e JOIN categories c ON c.id = e.category_id
             JOIN summaries sa ON sa.id = e.args_id
             WHERE e.run_id = 1 AND c.name = 'permission-request' ORDER BY e.time, e.id`,
          )
          .all() as { id: number; time: number; args: string }[]
      ).map((e) => [
        e.id,
        e.time,
        /=/.test(e.args) ? 'result' : 'request',
        /=/.test(e.args)
          ? e.args.split(',').map((p) => [p.split('=')[0], p.split('=')[1] === 'granted'])
          : [],
      ]);
      expect(want.length).toBe(362);
      // Ids out of time order in the trace (else this test proves nothing).
      expect(want.some((w, i) => i > 0 && (w[0] as number) < (want[i - 1]![0] as number))).toBe(true);
      expect(got).toEqual(want);
      // Request counts per permission (counted per distinct args while reading) = a walk of the events.
      const counted = new Map<string, number>();
      for (const e of readPermissionEvents(ctx).all())
        if (e.kind === 'request') for (const p of e.permissions) counted.set(p, (counted.get(p) ?? 0) + 1);
      expect(new Map([...requestCounts(ctx)].sort())).toEqual(new Map([...counted].sort()));
      expect(requestCounts(ctx).get(P('CAMERA'))).toBe(190);
      expect(got[0]![1]).toBe(T0 + 3000);
      // Summary ids too large to pack (API, arguments) in a small integer: the text keys agree.
      r.store.db.prepare('INSERT INTO summaries (id, text) VALUES (?, ?)').run(2 ** 30, 'unused');
      const wide = new AnalysisContext(r.store.db, 1, resolveLimits(), undefined, undefined);
      expect(
        readPermissionEvents(wide)
          .all()
          .map((e) => [e.id, e.time, e.kind, [...e.granted]]),
      ).toEqual(want);
      expect(new Map([...requestCounts(wide)].sort())).toEqual(new Map([...counted].sort()));
    } finally {
      r.cleanup();
    }
  });

  it('rate windows read out of time order give what the same reads in time order give', () => {
    // One process's reads every 7 s for 10 min, its second half sent first; a second process's
    // burst at fractional times inside the first minute, in another phase, arriving last.
    const steady = Array.from({ length: 86 }, (_, i) => i * 7);
    const burst = Array.from({ length: 20 }, (_, i) => 30.5 + i * 0.0505);
    const batches: [number, number[], string][] = [
      [1, steady.slice(43), 'launch'],
      [1, steady.slice(0, 43), 'launch'],
      [2, burst, 'browse'],
    ];
    const sorted = [
      ...steady.map((t) => [t, 'launch'] as const),
      ...burst.map((t) => [t, 'browse'] as const),
    ].sort((a, b) => a[0] - b[0]);
    const unordered = ingest(batches);
    const ordered = ingest(sorted.map(([t, phase]) => [t < 30.5 || phase === 'launch' ? 1 : 2, [t], phase]));
    try {
      const hits = (x: { store: Store; runId: number }, width: number, limit: number) => {
        const ctx = new AnalysisContext(x.store.db, x.runId, resolveLimits(), undefined, undefined);
        const c = ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
        return exceedingWindows(ctx, [c], width, limit);
      };
      const ids = unordered.store.db
        .prepare('SELECT id FROM events WHERE run_id = ? ORDER BY time, id')
        .pluck()
        .all(unordered.runId) as number[];
      expect(ids.some((id, i) => i > 0 && id < ids[i - 1]!)).toBe(true);
      // Evidence from the roll-up's samples (several groups, each its first reads): merged in order.
      const ctx = new AnalysisContext(
        unordered.store.db,
        unordered.runId,
        resolveLimits(),
        undefined,
        undefined,
      );
      const device = ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
      expect(ctx.evidence(device)).toEqual(ids.slice(0, 20));
      expect(ctx.evidence(device, '1', [], (g) => g.phase === 'launch')).toEqual(
        unordered.store.db
          .prepare(
            "SELECT e.id FROM events e JOIN phases p ON p.id = e.phase_id WHERE e.run_id = ? AND p.name = 'launch' ORDER BY e.time, e.id LIMIT 20",
          )
          .pluck()
          .all(unordered.runId),
      );
      // A group merged from several roll-up rows (steps) joins their samples: here out of order.
      const split = new AnalysisContext(
        unordered.store.db,
        unordered.runId,
        resolveLimits(),
        undefined,
        undefined,
      );
      const launch = split.groups.find((g) => g.category === 'device-id' && g.phase === 'launch')!;
      const pairs = launch.samples.flatMap(decodeSample);
      expect(pairs.length).toBeGreaterThan(10);
      const encode = (xs: [number, number][]) =>
        xs
          .map(([id, t], i) => (i === 0 ? `${id}@${t}` : `${id - xs[i - 1]![0]}@${t - xs[i - 1]![1]}`))
          .join(',');
      launch.samples = [encode(pairs.slice(5)), encode(pairs.slice(0, 5))];
      expect(split.evidence(device, '1', [], (g) => g.phase === 'launch')).toEqual(
        pairs.map((p) => p[0]).slice(0, 20),
      );
      for (const [width, limit] of [
        [60_000, 6],
        [60_000, 12],
        [10_000, 3],
        [1_500, 4],
      ] as const) {
        const want = hits(ordered, width, limit);
        expect(want.length, `${width}/${limit}`).toBe(1);
        expect(hits(unordered, width, limit), `${width}/${limit}`).toEqual(want);
      }
    } finally {
      unordered.cleanup();
      ordered.cleanup();
    }
  });
});
