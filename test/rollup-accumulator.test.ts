// The roll-up accumulator (harness/store/rollups.ts) fed through its per-message queue equals
// the same events added one by one and a naive recomputation: many groups (the sample slab
// grows), events out of time order, and lookup ids beyond int32 (the queue's exact path).
import { describe, expect, it } from 'vitest';
import { SampleSlab } from '../harness/store/rollup-parts.ts';
import { decodeSample, RollupAccumulator, SAMPLE_LIMIT } from '../harness/store/rollups.ts';
import { mulberry32 } from '../harness/util/prng.ts';

type Ev = [number, number, number, number | null, number, number, number, number | null, number | null];

function events(n: number, idBase: number, seed: number): Ev[] {
  const r = mulberry32(seed);
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    // Mostly increasing times with some going back (arrival order is not time order).
    const time = 1_767_225_600_000 + i * 3 - (r() < 0.2 ? Math.floor(r() * 500) : 0);
    const pick = (k: number) => idBase + Math.floor(r() * k);
    out.push([
      i + 1,
      time,
      pick(12),
      r() < 0.3 ? null : pick(6),
      pick(4),
      r() < 0.5 ? 1 : 0,
      pick(60),
      r() < 0.4 ? null : pick(5),
      r() < 0.2 ? null : pick(300),
    ]);
  }
  return out;
}

function viaQueue(evs: Ev[], batch: number): RollupAccumulator {
  const acc = new RollupAccumulator(1);
  for (let s = 0; s < evs.length; s += batch) {
    const part = evs.slice(s, s + batch);
    for (const [i, e] of part.entries()) acc.queue(i, e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8]);
    acc.addQueued(part.length);
  }
  return acc;
}

function oneByOne(evs: Ev[]): RollupAccumulator {
  const acc = new RollupAccumulator(1);
  for (const e of evs) acc.add(...e);
  return acc;
}

const sorted = <T>(xs: T[]) =>
  xs
    .map((x) => [JSON.stringify(x), x] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([, x]) => x);

describe('RollupAccumulator', () => {
  for (const [label, base] of [
    ['small ids', 1],
    ['ids beyond int32', 2 ** 31 + 5],
  ] as const) {
    it(`queued equals one by one and a naive recomputation (${label})`, () => {
      const evs = events(20_000, base, 7);
      const q = viaQueue(evs, 200).result();
      const d = oneByOne(evs).result();
      expect(sorted(q.groups)).toEqual(sorted(d.groups));
      expect(sorted(q.seconds)).toEqual(sorted(d.seconds));
      expect(sorted(q.steps)).toEqual(sorted(d.steps));
      expect(q.events).toBe(evs.length);
      // Steps (step-less events are counted on their groups, then folded): a naive count.
      const steps = new Map<
        string,
        { stepId: number | null; sdkId: number | null; apiId: number; n: number }
      >();
      for (const e of evs) {
        const k = [e[7], e[3], e[6]].join();
        const row = steps.get(k);
        if (row) row.n++;
        else steps.set(k, { stepId: e[7], sdkId: e[3], apiId: e[6], n: 1 });
      }
      expect(sorted(q.steps)).toEqual(sorted([...steps.values()]));
      expect(q.groups.length).toBeGreaterThan(1000); // the slab grew well past its first 256 slots
      // Each group's sample: its first SAMPLE_LIMIT events in (time, id) order; counts and bounds.
      const byGroup = new Map<string, Ev[]>();
      for (const e of evs) {
        const k = [e[2], e[3], e[4], e[5], e[6]].join();
        const list = byGroup.get(k);
        if (list) list.push(e);
        else byGroup.set(k, [e]);
      }
      for (const g of q.groups) {
        const mine = byGroup.get([g.categoryId, g.sdkId, g.phaseId, g.foreground, g.apiId].join())!;
        const first = [...mine].sort((a, b) => a[1] - b[1] || a[0] - b[0]).slice(0, SAMPLE_LIMIT);
        expect(decodeSample(g.sample)).toEqual(first.map((e) => [e[0], e[1]]));
        expect(g.n).toBe(mine.length);
        expect(g.first).toBe(Math.min(...mine.map((e) => e[1])));
        expect(g.last).toBe(Math.max(...mine.map((e) => e[1])));
      }
    });
  }
});

describe('SampleSlab.encode', () => {
  /** The text as template literals spell it (what decodeSample reads back). */
  const reference = (pairs: [number, number][]) =>
    pairs
      .map(([id, t], i) => (i === 0 ? `${id}@${t}` : `,${id - pairs[i - 1]![0]}@${t - pairs[i - 1]![1]}`))
      .join('');

  it('writes exactly what String() gives for every kind of number', () => {
    const cases: [number, number][][] = [
      [[1, 1_767_225_600_000]],
      [
        [7, 1_767_225_600_000.5],
        [3, 1_767_225_600_000.75], // id goes down, fractional times
        [9, 1_767_225_600_001.1],
        [10, 1_767_225_600_001.1], // zero time delta
      ],
      [
        [2 ** 50 + 3, 2 ** 49 + 0.5], // beyond the digit-by-digit range
        [2 ** 50 + 9, 2 ** 52],
      ],
      [
        [123_456_789, 0.1],
        [123_456_790, 0.30000000000000004],
        [123_456_800, 1e21], // exponent notation
      ],
      Array.from(
        { length: SAMPLE_LIMIT },
        (_, i) => [1_000_000 + i * 977, 1_767_225_600_000 + i * 99_991] as [number, number],
      ),
    ];
    for (const pairs of cases) {
      const slab = new SampleSlab();
      const at = slab.alloc();
      let n = 0;
      for (const [id, t] of pairs) n = slab.add(at, n, id, t);
      expect(slab.encode(at, n)).toBe(reference(pairs));
      expect(decodeSample(slab.encode(at, n))).toEqual(pairs);
    }
  });
});
