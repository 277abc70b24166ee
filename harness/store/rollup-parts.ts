// The roll-ups' in-memory parts (rollups.ts): a group's sample of first events and its stored
// text form, and the small-integer map keys the accumulator uses per event.

/** Events kept per group in `sample` (the analysis's default evidence limit). */
export const SAMPLE_LIMIT = 20;

/** A group's first SAMPLE_LIMIT events in (time, id) order, in two flat arrays (no per-event object). */
export class Sample {
  readonly ids = new Float64Array(SAMPLE_LIMIT);
  readonly times = new Float64Array(SAMPLE_LIMIT);
  n = 0;

  static of(pairs: readonly [number, number][]): Sample {
    const s = new Sample();
    for (const [id, t] of pairs.slice(0, SAMPLE_LIMIT)) {
      s.ids[s.n] = id;
      s.times[s.n++] = t;
    }
    return s;
  }

  /** Keeps the event if it sorts before the last one kept, or while not full. */
  add(id: number, time: number): void {
    const { ids, times } = this;
    let i = this.n;
    // Events arrive nearly in time order: usually appended, else inserted in place.
    while (i > 0 && (times[i - 1]! > time || (times[i - 1]! === time && ids[i - 1]! > id))) i--;
    if (i >= SAMPLE_LIMIT) return;
    const end = Math.min(this.n, SAMPLE_LIMIT - 1);
    for (let j = end; j > i; j--) {
      ids[j] = ids[j - 1]!;
      times[j] = times[j - 1]!;
    }
    ids[i] = id;
    times[i] = time;
    if (this.n < SAMPLE_LIMIT) this.n++;
  }

  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) out.push([this.ids[i]!, this.times[i]!]);
    return out;
  }
}

// A sample is `id@time` for its first event, then `Δid@Δtime` from the previous one (schema
// v10: about half the text of absolute ids and times). Differences of nearby doubles are exact,
// so the decoded times are the written ones.
export function encodeSample(s: readonly [number, number][]): string {
  let out = '';
  let id = 0;
  let t = 0;
  for (let i = 0; i < s.length; i++) {
    const [eid, et] = s[i]!;
    out += i === 0 ? `${eid}@${et}` : `,${eid - id}@${et - t}`;
    id = eid;
    t = et;
  }
  return out;
}

/** [id, time] pairs of a stored sample, time order. */
export function decodeSample(text: string): [number, number][] {
  if (text === '') return [];
  let id = 0;
  let t = 0;
  return text.split(',').map((p, i) => {
    const at = p.indexOf('@');
    const a = Number(p.slice(0, at));
    const b = Number(p.slice(at + 1));
    id = i === 0 ? a : id + a;
    t = i === 0 ? b : t + b;
    return [id, t];
  });
}

// Map keys: two levels of small integers (V8 keeps them unboxed, and the outer level is
// usually the previous event's: one API, one second, one step), a string beyond their ranges.
export function groupKey(sdk: number | null, phase: number, fg: number, category: number): number | string {
  const s = sdk === null ? 0 : sdk + 1;
  return s < 2048 && phase < 512 && category < 256
    ? ((s * 512 + phase) * 2 + fg) * 256 + category
    : `${s},${phase},${fg},${category}`;
}

export function secondKey(category: number, phase: number): number | string {
  return category < 1_048_576 && phase < 1024 ? category * 1024 + phase : `${category},${phase}`;
}

export function stepKey(sdk: number | null, api: number): number | string {
  const s = sdk === null ? 0 : sdk + 1;
  return s < 8192 && api < 131_072 ? s * 131_072 + api : `${s},${api}`;
}

export class TwoLevel<V> {
  private readonly outer = new Map<number, Map<number | string, V>>();
  private lastKey = Number.NaN;
  private last: Map<number | string, V> | undefined;

  inner(key: number): Map<number | string, V> {
    if (key === this.lastKey) return this.last!;
    let m = this.outer.get(key);
    if (m === undefined) {
      m = new Map();
      this.outer.set(key, m);
    }
    this.lastKey = key;
    this.last = m;
    return m;
  }

  *values(): Generator<V> {
    for (const m of this.outer.values()) yield* m.values();
  }
}
