// The rate windows read through the v12 per-second roll-up (window-seconds.ts), checked against
// a brute-force answer from the events themselves on traces built to hit their edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext } from '../harness/analysis/context.ts';
import { bucketsFromSeconds, windowSecondsReady } from '../harness/analysis/window-seconds.ts';
import { exceedingWindows } from '../harness/analysis/windows.ts';
import { readStoredBuckets } from '../harness/store/rollup-read.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';
import { captureDeps, type Ev, type StackName, T0, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

async function build(events: Ev[]) {
  const trace = new TraceBuilder();
  // A lifecycle message every 500 events splits the events into messages under the batch limit.
  events.forEach((e, i) => {
    if (i > 0 && i % 500 === 0) trace.lifecycle(e.t, 'activity', 'MainActivity');
    trace.event(e);
  });
  const dir = mkdtempSync(join(tmpdir(), 'overreach-window-seconds-'));
  const runId = await trace.ingest(dir, captureDeps(dir));
  const store = openStore(join(dir, 'overreach.db'));
  const ctx = new AnalysisContext(store.db, runId, resolveLimits(), undefined, undefined);
  return {
    dir,
    runId,
    store,
    ctx,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** exceedingWindows by definition: every event of the category in (time, id) order, no roll-up. */
function bruteForce(ctx: AnalysisContext, c: number, width: number, limit: number) {
  const rows = ctx.db
    .prepare<[number, number], { time: number; sdk: string | null }>(
      `SELECT e.time AS time, s.name AS sdk FROM events e LEFT JOIN sdks s ON s.id = e.sdk_id
       WHERE e.run_id = ? AND e.category_id = ? ORDER BY e.time, e.id`,
    )
    .all(ctx.run.id, c);
  const buckets = new Map<number, number>();
  for (const r of rows)
    buckets.set(Math.floor(r.time / width), (buckets.get(Math.floor(r.time / width)) ?? 0) + 1);
  for (const [b, n] of [...buckets].sort((x, y) => x[0] - y[0])) {
    if (n + (buckets.get(b + 1) ?? 0) <= limit) continue;
    const starts = rows.filter((r) => r.time >= b * width && r.time < (b + 1) * width);
    const countAt = (t: number, i: number) => rows.slice(i).filter((r) => r.time < t + width).length;
    let first: { start: number; count: number } | null = null;
    let peak = 0;
    for (const s of starts) {
      const k = countAt(s.time, rows.indexOf(s));
      peak = Math.max(peak, k);
      if (k > limit && !first) first = { start: s.time, count: k };
    }
    if (!first) continue;
    const start = first.start;
    const sdks = new Map<string | null, number>();
    for (const r of rows)
      if (r.time >= start && r.time < start + width) sdks.set(r.sdk, (sdks.get(r.sdk) ?? 0) + 1);
    return {
      start,
      count: first.count,
      peak,
      sdks: [...sdks]
        .map(([sdk, n]) => ({ sdk, n }))
        .sort((x, y) => y.n - x.n || String(x.sdk).localeCompare(String(y.sdk))),
    };
  }
  return null;
}

/** exceedingWindows' hit (start, count, peak, SDKs) equals the brute force's, or both find none. */
function expectBruteForce(ctx: AnalysisContext, c: number, width: number, limit: number): void {
  const want = bruteForce(ctx, c, width, limit);
  const got = exceedingWindows(ctx, [c], width, limit);
  expect(got.length, `${width}/${limit}`).toBe(want ? 1 : 0);
  if (!want) return;
  const hit = got[0]!;
  expect(
    {
      start: hit.start,
      count: hit.count,
      peak: hit.peak,
      sdks: hit.sdks.map((s) => ({ sdk: s.sdk, n: s.n })),
    },
    `${width}/${limit}`,
  ).toEqual(want);
}

const at = (t: number, by: StackName, phase = 'launch'): Ev => ({
  t,
  by,
  phase,
  hook: 'telephony.get-imei',
  category: 'device-id',
});

describe('rate windows from the per-second roll-up', () => {
  it('finds the window starting mid-second, counts its edge seconds exactly and its SDKs from whole seconds', async () => {
    // Bucket [0, 10) alone: below the limit. In [20, 30) the window at 27.05 s holds 5 (not more
    // than 5); the one at 27.3 s (two events at that time) holds 7: it ends before 37.3, where an
    // event lies exactly on its end; its first second (27) holds an earlier event, its last (37)
    // a later one; the whole seconds between hold other SDKs in another phase.
    const events = [
      at(0.2, 'umeng'),
      at(27.05, 'tencent'),
      at(27.3, 'app'),
      at(27.3, 'bugly', 'browse'),
      at(29, 'umeng', 'browse'),
      at(33.5, 'umeng'),
      at(37.1, 'adA', 'browse'),
      at(37.2, 'adA'),
      at(37.2999, 'adB', 'browse'),
      at(37.3, 'adB'),
      at(38.5, 'tencent'),
      at(41, 'app', 'browse'),
      at(47.9, 'bugly'),
    ];
    const x = await build(events);
    try {
      const c = x.ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
      expect(windowSecondsReady(x.ctx, 10_000)).toBe(true);
      for (const [width, limit] of [
        [10_000, 5],
        [10_000, 3],
        [10_000, 6],
        [2_000, 2],
        [1_000, 1],
        [60_000, 12],
      ] as const) {
        expectBruteForce(x.ctx, c, width, limit);
      }
      const hit = exceedingWindows(x.ctx, [c], 10_000, 5)[0]!;
      expect([hit.start - T0, hit.count]).toEqual([27_300, 7]);
    } finally {
      x.cleanup();
    }
  });

  it('gives the brute-force windows and peaks on dense, bursty traces', async () => {
    // A seeded mix: a steady rate with bursts, fractional and repeated times, two phases, four SDKs.
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const events: Ev[] = [];
    const by = ['app', 'umeng', 'adA', 'bugly'] as const;
    for (let i = 0; i < 2500; i++) {
      const burst = rnd() < 0.3;
      const t = burst ? 40 + rnd() * 3 + Math.floor(rnd() * 4) * 30 : rnd() * 240;
      const x = at(Math.round(t * 1000) / 1000, by[i % 4]!, rnd() < 0.5 ? 'launch' : 'browse');
      events.push(x);
      if (rnd() < 0.05) events.push({ ...x, by: by[(i + 1) % 4]! });
    }
    const x = await build(events);
    try {
      const c = x.ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
      for (const [width, limit] of [
        [10_000, 5],
        [10_000, 200],
        [10_000, 420],
        [60_000, 6],
        [60_000, 900],
        [3_000, 150],
        [1_000, 60],
      ] as const) {
        expectBruteForce(x.ctx, c, width, limit);
      }
    } finally {
      x.cleanup();
    }
  });

  it('gives the brute-force first window and peak when only some edge seconds are read (window-peak.ts)', async () => {
    // Per-second bounds decide most start seconds; these traces make them leave seconds open:
    // limits just under the largest window (the first hit deep in a bucket, after seconds whose
    // upper bound exceeds the limit but whose windows do not; earlier pairs above the limit
    // without any window above it), flat rates (many seconds within a few events of the peak,
    // read over several batches), sparse bursts (few events a second, popup-like limits), events
    // on whole seconds (a window's end exactly on an event), repeated and fractional times.
    let seed = 5;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const by = ['app', 'umeng', 'adA', 'bugly'] as const;
    const shapes: { name: string; events: Ev[]; widths: number[] }[] = [];
    const flat: Ev[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = rnd() * 200;
      // A third on whole seconds or whole tenths, some on fractional milliseconds.
      const r = rnd();
      const time =
        r < 0.15 ? Math.floor(t) : r < 0.3 ? Math.floor(t * 10) / 10 : Math.round(t * 10_000) / 10_000;
      flat.push(at(time, by[i % 4]!, rnd() < 0.5 ? 'launch' : 'browse'));
      if (rnd() < 0.03) flat.push(at(time, by[(i + 1) % 4]!));
    }
    shapes.push({ name: 'flat', events: flat, widths: [60_000, 10_000, 3_000] });
    const sparse: Ev[] = [];
    for (let burst = 0; burst < 120; burst++) {
      const t0 = Math.floor(rnd() * 900);
      const k = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < k; i++) sparse.push(at(t0 + Math.floor(rnd() * 20) / 10, by[(burst + i) % 4]!));
    }
    shapes.push({ name: 'sparse', events: sparse, widths: [60_000, 10_000, 1_000] });
    for (const shape of shapes) {
      const x = await build(shape.events);
      try {
        const c = x.ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
        const times = shape.events.map((e) => T0 + e.t * 1000).sort((a, b) => a - b);
        for (const width of shape.widths) {
          // The largest window of the run: limits from there down.
          let top = 0;
          for (let i = 0, j = 0; i < times.length; i++) {
            while (j < times.length && times[j]! < times[i]! + width) j++;
            top = Math.max(top, j - i);
          }
          for (const limit of new Set([top, top - 1, top - 2, top - 4, Math.floor(top * 0.9), 3, 1]))
            if (limit >= 0) expectBruteForce(x.ctx, c, width, limit);
        }
      } finally {
        x.cleanup();
      }
    }
  });

  it('reads every start second whose bound exceeds the best count, after bigger bounds that do not reach it', async () => {
    // 30-s windows, seconds 0–59 one bucket pair; n(x + 30) = n(x), so every window's lower bound
    // is C = n(0 … 29) and second s's upper bound C + n(s). Twenty decoys (n = 10: bound C + 10)
    // hold their second s events before and their second s + 30 events after the mid-second:
    // exactly C. Second 25 holds `k` events late and k early 30 s on: C + k, the peak, ranked
    // 21st by bound (and, with k = 1, a bound of exactly best + 1).
    for (const k of [5, 1]) {
      const events: Ev[] = [];
      const pair = (s: number, n: number, a: number, z: number) => {
        for (let i = 0; i < n; i++)
          events.push(at(s + a + i / 1000, 'app'), at(s + 30 + z + i / 1000, 'umeng'));
      };
      for (let s = 0; s < 30; s++) {
        if (s >= 1 && s <= 20) pair(s, 10, 0.1, 0.9);
        else if (s === 25) pair(s, k, 0.9, 0.1);
        else pair(s, 1, 0.5, 0.5);
      }
      const x = await build(events);
      try {
        const c = x.ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
        const C = 200 + k + 9;
        expectBruteForce(x.ctx, c, 30_000, C - 1);
        expect(exceedingWindows(x.ctx, [c], 30_000, C - 1)[0]!.peak).toBe(C + k);
      } finally {
        x.cleanup();
      }
    }
  });

  it('gives the figures of the full pair reads without roll-ups, framework checks alone in a phase included', async () => {
    // The reads through the chunks (no roll-up stored) take the phases the category's groups
    // have; framework checks are in no group, so a phase holding only them is not read, while
    // the roll-up's seconds count them: window-peak.ts counts only those phases' seconds too.
    let seed = 23;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const events: Ev[] = [];
    for (let i = 0; i < 1500; i++) {
      const t = rnd() < 0.4 ? 30 + rnd() * 8 : rnd() * 300;
      events.push(
        at(
          Math.round(t * 1000) / 1000,
          (['app', 'umeng', 'adA'] as const)[i % 3]!,
          i % 2 ? 'launch' : 'browse',
        ),
      );
      // WebView's own checks, in a phase of their own, densest inside the burst.
      if (rnd() < 0.3) events.push(at(Math.round((30 + rnd() * 8) * 1000) / 1000, 'webview', 'settle'));
    }
    const x = await build(events);
    let ro: ReturnType<typeof openReadOnly> | undefined;
    try {
      const c = x.ctx.groups.find((g) => g.category === 'device-id')!.categoryId;
      expect(x.ctx.groups.some((g) => g.phase === 'settle')).toBe(false);
      const pick = (hits: ReturnType<typeof exceedingWindows>) =>
        hits.map((h) => [h.start, h.end, h.count, h.peak, h.busyBuckets, h.activeBuckets]);
      const combos = [
        [60_000, 6],
        [10_000, 150],
        [10_000, 230],
        [60_000, 420],
        [3_000, 60],
      ] as const;
      const seconds = combos.map(([w, limit]) => pick(exceedingWindows(x.ctx, [c], w, limit)));
      // The same run without its roll-ups, read-only: the context rebuilds them in memory and
      // the windows read every event of an examined pair through the chunks.
      x.store.db.prepare('DELETE FROM rollup_runs WHERE run_id = ?').run(x.runId);
      ro = openReadOnly(join(x.dir, 'overreach.db'));
      const old = new AnalysisContext(ro, x.runId, resolveLimits(), undefined, undefined);
      expect(windowSecondsReady(old, 60_000)).toBe(false);
      for (const [i, [w, limit]] of combos.entries())
        expect(seconds[i], `${w}/${limit}`).toEqual(pick(exceedingWindows(old, [c], w, limit)));
      expect(seconds.filter((h) => h.length > 0).length).toBeGreaterThan(2);
    } finally {
      ro?.close();
      x.cleanup();
    }
  });

  it('sums the same buckets as the GROUP BY over the second rows', async () => {
    const events: Ev[] = [];
    for (let i = 0; i < 400; i++)
      events.push({
        ...at((i * 7.3) % 500, (['app', 'umeng', 'adA'] as const)[i % 3]!, i % 4 ? 'launch' : 'browse'),
        category: i % 5 ? 'device-id' : 'location',
      });
    const x = await build(events);
    try {
      const ids = [...new Set(x.ctx.groups.map((g) => g.categoryId))];
      expect(ids.length).toBe(2);
      for (const per of [1, 7, 60, 3600])
        expect(bucketsFromSeconds(x.ctx, ids, per), `${per}`).toEqual(
          readStoredBuckets(x.store.db, x.ctx.run.id, ids, per),
        );
    } finally {
      x.cleanup();
    }
  });
});
