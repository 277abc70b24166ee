// Value matching: the agent keeps the personal values its hooks saw (a bounded store, never sent
// raw) and searches the first bytes of each outgoing message for them, in the encodings trackers
// use: as is, hex (either case), Base64 (standard and URL-safe), URL-encoded, the MD5 / SHA-1 /
// SHA-256 hex of the value, and a location rounded to 3–4 decimals.
//
// Cost is bounded per message: one pass over at most `windowChars` characters with a rolling
// hash of the next PREFIX characters, a 65,536-bit filter (8 KiB), then a Map lookup and a startsWith check
// only on filter hits; numbers are only parsed when a location is kept. Needles (all encodings of
// a value) are built once per distinct value, so the digests are off the per-message path.
import type { DataCategory, SentValue, ValueEncoding } from '../protocol/messages.ts';
import { base64, md5Hex, sha1Hex, sha256Hex, toHex, utf8 } from './digest.ts';

// Held locally: in the simulator's vm context every global lookup (`Math`) goes through an
// interceptor, measured 60× slower in this loop; on a device it is merely free.
const imul = Math.imul;

/** Characters every needle starts with that are hashed; shorter values are never matched. */
const PREFIX = 8;
const BASE = 31;
/** BASE^(PREFIX-1) mod 2^32, to take the outgoing character out of the rolling hash. */
const TOP = (() => {
  let p = 1;
  for (let i = 1; i < PREFIX; i++) p = Math.imul(p, BASE);
  return p;
})();
const FILTER_BITS = 1 << 16;
/** Hashes kept to 30 bits (mod 2^30 is consistent with imul's mod 2^32): small integers in every engine. */
const MASK = 0x3fff_ffff;
/** A location matches when both coordinates appear rounded to 3 decimals (half a unit + slack). */
const LOCATION_TOLERANCE = 0.00051;
const NUMBER_RE = /-?\d{1,3}\.\d{3,}/g;
const MAX_NUMBERS = 512;

export interface MatcherLimits {
  /** Distinct values kept; the oldest is forgotten first. */
  maxValues: number;
  /** Characters of each outgoing message searched (the first N KB). */
  windowChars: number;
  /** Matches reported per message. */
  maxMatches: number;
}

export const DEFAULT_LIMITS: MatcherLimits = { maxValues: 64, windowChars: 16 * 1024, maxMatches: 16 };

interface Needle {
  text: string;
  encoding: ValueEncoding;
  kept: Kept;
}

interface Kept {
  value: string;
  category: DataCategory;
  /** Agent ref of the most recent read that returned this value. */
  ref: number;
  needles: Needle[];
  location?: [number, number];
}

function prefixHash(text: string, from: number): number {
  let h = 0;
  for (let i = 0; i < PREFIX; i++) h = (imul(h, BASE) + text.charCodeAt(from + i)) & MASK;
  return h;
}

/** Values too short or too uniform to match without false positives ("0000…", "unknown"). */
export function matchable(value: string): boolean {
  if (value.length < PREFIX) return false;
  const distinct = new Set(value).size;
  return distinct >= 4 && !/^(unknown|null|undefined|02:00:00:00:00:00)$/i.test(value);
}

function parseLocation(value: string): [number, number] | undefined {
  const parts = value.split(',');
  if (parts.length !== 2) return undefined;
  const lat = Number(parts[0]);
  const lon = Number(parts[1]);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || (lat === 0 && lon === 0)) return undefined;
  return [lat, lon];
}

/** Every encoded form of `value` searched for (deduplicated; the first encoding wins). */
export function encodings(value: string): [string, ValueEncoding][] {
  const bytes = utf8(value);
  const out = new Map<string, ValueEncoding>();
  const add = (text: string, encoding: ValueEncoding) => {
    if (text.length >= PREFIX && !out.has(text)) out.set(text, encoding);
  };
  add(value, 'plain');
  // Bytes read from native memory become one char per byte: a non-ASCII value's UTF-8 form.
  if (bytes.length !== value.length) add(String.fromCharCode(...bytes), 'plain');
  add(value.toLowerCase(), 'plain');
  add(value.toUpperCase(), 'plain');
  add(encodeURIComponent(value), 'url');
  add(encodeURIComponent(value).replace(/%20/g, '+'), 'url');
  const hex = toHex(bytes);
  add(hex, 'hex');
  add(hex.toUpperCase(), 'hex');
  const b64 = base64(bytes).replace(/=+$/, '');
  add(b64, 'base64');
  add(b64.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  for (const [digest, encoding] of [
    [md5Hex(value), 'md5'],
    [sha1Hex(value), 'sha1'],
    [sha256Hex(value), 'sha256'],
  ] as const) {
    add(digest, encoding);
    add(digest.toUpperCase(), encoding);
  }
  return [...out];
}

export class ValueMatcher {
  private readonly kept = new Map<string, Kept>();
  private readonly index = new Map<number, Needle[]>();
  private readonly filter = new Uint32Array(FILTER_BITS / 32);
  private locations = 0;
  private nextRef = 0;

  constructor(readonly limits: MatcherLimits = DEFAULT_LIMITS) {}

  /** A matcher with other limits that keeps this one's values (refs included). */
  withLimits(limits: MatcherLimits): ValueMatcher {
    const next = new ValueMatcher(limits);
    next.nextRef = this.nextRef;
    for (const k of this.kept.values()) {
      next.remember(k.value, k.category);
      const moved = next.kept.get(k.value);
      if (moved) moved.ref = k.ref;
    }
    next.nextRef = this.nextRef;
    return next;
  }

  get size(): number {
    return this.kept.size;
  }

  /**
   * Records that a read returned `value`; returns the read's ref (for EventRecord.ref), or
   * undefined when the value cannot be matched (too short or uniform).
   */
  remember(value: string, category: DataCategory): number | undefined {
    const known = this.kept.get(value);
    if (known) {
      known.ref = ++this.nextRef;
      this.kept.delete(value); // re-insert: the most recently read value is forgotten last
      this.kept.set(value, known);
      return known.ref;
    }
    const location = category === 'location' ? parseLocation(value) : undefined;
    if (!location && !matchable(value)) return undefined;
    const kept: Kept = { value, category, ref: ++this.nextRef, needles: [] };
    if (location) {
      kept.location = location;
      this.locations++;
    } else {
      for (const [text, encoding] of encodings(value)) kept.needles.push({ text, encoding, kept });
      for (const n of kept.needles) this.indexNeedle(n);
    }
    this.kept.set(value, kept);
    if (this.kept.size > this.limits.maxValues) this.forgetOldest();
    return kept.ref;
  }

  private indexNeedle(n: Needle): void {
    const h = prefixHash(n.text, 0);
    const list = this.index.get(h);
    if (list) list.push(n);
    else this.index.set(h, [n]);
    const bit = h & (FILTER_BITS - 1);
    this.filter[bit >>> 5]! |= 1 << (bit & 31);
  }

  private forgetOldest(): void {
    const oldest = this.kept.values().next().value;
    if (!oldest) return;
    this.kept.delete(oldest.value);
    if (oldest.location) this.locations--;
    for (const n of oldest.needles) {
      const h = prefixHash(n.text, 0);
      const list = (this.index.get(h) ?? []).filter((x) => x !== n);
      if (list.length > 0) this.index.set(h, list);
      else this.index.delete(h);
    }
    // The filter keeps stale bits (a few wasted lookups); rebuild it when it gets crowded.
    if (this.kept.size % 16 === 0) {
      this.filter.fill(0);
      for (const h of this.index.keys()) {
        const bit = h & (FILTER_BITS - 1);
        this.filter[bit >>> 5]! |= 1 << (bit & 31);
      }
    }
  }

  /** Kept values found in the first `windowChars` characters of `payload`, first match per value. */
  match(payload: string): SentValue[] {
    const text =
      payload.length > this.limits.windowChars ? payload.slice(0, this.limits.windowChars) : payload;
    const found: SentValue[] = [];
    const seen = new Set<Kept>();
    const max = this.limits.maxMatches;
    const n = text.length;
    if (this.index.size > 0 && n >= PREFIX) {
      let h = prefixHash(text, 0);
      const filter = this.filter;
      for (let i = 0; ; i++) {
        const bit = h & (FILTER_BITS - 1);
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) !== 0) {
          const list = this.index.get(h);
          if (list) {
            for (const needle of list) {
              if (seen.has(needle.kept) || !text.startsWith(needle.text, i)) continue;
              seen.add(needle.kept);
              found.push({ ref: needle.kept.ref, encoding: needle.encoding });
              if (found.length >= max) return found;
            }
          }
        }
        if (i + PREFIX >= n) break;
        h = (imul(h - imul(text.charCodeAt(i), TOP), BASE) + text.charCodeAt(i + PREFIX)) & MASK;
      }
    }
    if (this.locations > 0) this.matchLocations(text, found, seen);
    return found;
  }

  private matchLocations(text: string, found: SentValue[], seen: Set<Kept>): void {
    const numbers: number[] = [];
    NUMBER_RE.lastIndex = 0;
    for (let m = NUMBER_RE.exec(text); m && numbers.length < MAX_NUMBERS; m = NUMBER_RE.exec(text))
      numbers.push(Number(m[0]));
    if (numbers.length < 2) return;
    const near = (target: number) => numbers.some((x) => Math.abs(x - target) <= LOCATION_TOLERANCE);
    for (const kept of this.kept.values()) {
      if (!kept.location || seen.has(kept) || found.length >= this.limits.maxMatches) continue;
      if (near(kept.location[0]) && near(kept.location[1])) {
        seen.add(kept);
        found.push({ ref: kept.ref, encoding: 'location' });
      }
    }
  }
}
