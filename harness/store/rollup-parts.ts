// The roll-ups' in-memory parts (rollups.ts): a group's sample of first events and its stored
// text form, and the small-integer map keys the accumulator uses per event.

/** Events kept per group in `sample` (the analysis's default evidence limit). */
export const SAMPLE_LIMIT = 20;

const PAIR = 2;
const SLOT = SAMPLE_LIMIT * PAIR;

/**
 * The samples of many groups (each its first SAMPLE_LIMIT events in (time, id) order) in ONE
 * growing array of (id, time) pairs: a group holds its slot's offset and its count, so a new
 * group allocates no object of its own (at 100k events nearly every event lands in a sample).
 */
export class SampleSlab {
  private data = new Float64Array(SLOT * 256);
  private used = 0;

  /** A new empty sample's offset. */
  alloc(): number {
    if (this.used + SLOT > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.used;
    this.used += SLOT;
    return at;
  }

  /**
   * Keeps the event in the sample at `at` holding `n` events if it sorts before the last one
   * kept, or while not full; returns the sample's new count.
   */
  add(at: number, n: number, id: number, time: number): number {
    const d = this.data;
    let i = n;
    // Events arrive nearly in time order: usually appended, else inserted in place.
    while (i > 0) {
      const t = d[at + i * PAIR - 1]!;
      if (t > time || (t === time && d[at + i * PAIR - 2]! > id)) i--;
      else break;
    }
    if (i >= SAMPLE_LIMIT) return n;
    for (let j = Math.min(n, SAMPLE_LIMIT - 1); j > i; j--) {
      d[at + j * PAIR] = d[at + (j - 1) * PAIR]!;
      d[at + j * PAIR + 1] = d[at + (j - 1) * PAIR + 1]!;
    }
    d[at + i * PAIR] = id;
    d[at + i * PAIR + 1] = time;
    return n < SAMPLE_LIMIT ? n + 1 : n;
  }

  /** Time of the `i`-th kept event. */
  time(at: number, i: number): number {
    return this.data[at + i * PAIR + 1]!;
  }

  /**
   * The stored text: `id@time` for the first event, then `Δid@Δtime` from the previous one
   * (schema v10: about half the text of absolute ids and times). Differences of nearby doubles
   * are exact, so the decoded times are the written ones.
   */
  encode(at: number, n: number): string {
    const d = this.data;
    if (n === 0) return '';
    // Written as bytes and decoded once: the same text as `${number}` joined with template
    // literals, without a rope of 80 pieces (measured: about half the time at 100k events).
    let p = putNumber(0, d[at]!);
    TEXT[p++] = AT;
    p = putNumber(p, d[at + 1]!);
    for (let o = at + PAIR, end = at + n * PAIR; o < end; o += PAIR) {
      TEXT[p++] = COMMA;
      p = putNumber(p, d[o]! - d[o - PAIR]!);
      TEXT[p++] = AT;
      p = putNumber(p, d[o + 1]! - d[o + 1 - PAIR]!);
    }
    return TEXT.toString('latin1', 0, p);
  }
}

// A sample's text is at most SAMPLE_LIMIT pairs of two numbers of at most 25 characters.
const TEXT = Buffer.allocUnsafe(SAMPLE_LIMIT * 2 * 26);
const AT = 0x40;
const COMMA = 0x2c;
const ZERO = 0x30;
/** Integers up to this are written digit by digit (x / 10 stays exact enough to floor). */
const DIGITS_MAX = 2 ** 49;

/** Writes String(v) into TEXT at `p`; returns the position after it. */
function putNumber(p: number, v: number): number {
  // Anything but a non-negative integer (fractions, negatives, huge) as JavaScript spells it.
  if (!(v >= 0 && v < DIGITS_MAX && Math.floor(v) === v)) return p + TEXT.write(String(v), p, 'latin1');
  let len = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
  let x = v;
  for (let k = p + len - 1; k >= p; k--) {
    const q = Math.floor(x / 10);
    TEXT[k] = ZERO + (x - q * 10);
    x = q;
  }
  return p + len;
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
