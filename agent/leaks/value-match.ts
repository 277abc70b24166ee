// Value matching: the agent keeps the personal values its hooks saw (a bounded store, never sent
// raw) and searches the first bytes of each outgoing message for them, in the encodings trackers
// use: as is, hex (either case), Base64 (standard and URL-safe), URL-encoded, the MD5 / SHA-1 /
// SHA-256 hex of the value, and a location rounded to 3–4 decimals.
//
// Cost is bounded per message: keys of KEY characters are taken every `step` characters of at
// most `windowChars` characters (substring + Map lookup, both native code: QuickJS interprets
// a per-character JS loop about 10× slower), and a candidate is confirmed with startsWith. Any
// needle at least KEY + step − 1 long covers a sampled key at one of its first `step` offsets,
// which are the ones indexed. Numbers are only parsed when a location is kept. Needles (all
// encodings of a value) are built once per distinct value, lazily at the first match after the
// read: a read only files the value.
import type { DataCategory, SentValue, ValueEncoding } from '../protocol/messages.ts';
import { base64, md5Hex, sha1Hex, sha256Hex, toHex, utf8 } from './digest.ts';

/** Shortest value matched; shorter ones (and uniform ones) match too much unrelated text. */
const MIN_VALUE = 8;
/** Length of the sampled keys. */
const KEY = 6;
/** Longest stride between sampled keys (each needle indexes this many offsets). */
const MAX_STEP = 8;
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

interface Slot {
  needle: Needle;
  /** Where the key starts within the needle. */
  offset: number;
}

interface Kept {
  value: string;
  category: DataCategory;
  /** Agent ref of the most recent read that returned this value. */
  ref: number;
  needles: Needle[];
  location?: [number, number];
  /** Forgotten (its index slots, if any, are stale). */
  dead: boolean;
  /** Neighbours in read order (the least recently read value is `oldest`). */
  older: Kept | null;
  newer: Kept | null;
}

/** Values too short or too uniform to match without false positives ("0000…", "unknown"). */
export function matchable(value: string): boolean {
  if (value.length < MIN_VALUE) return false;
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

/**
 * Encodings of recently kept values: a value read again after it was forgotten (more distinct
 * values than the matcher keeps) is not digested again. Three digests in agent JS are the
 * costliest part of a read (hundreds of µs in QuickJS); bounded, oldest dropped first.
 */
const ENCODING_CACHE = new Map<string, [string, ValueEncoding][]>();
const ENCODING_CACHE_MAX = 1024;

function cachedEncodings(value: string): [string, ValueEncoding][] {
  const hit = ENCODING_CACHE.get(value);
  if (hit) return hit;
  const computed = encodings(value);
  if (ENCODING_CACHE.size >= ENCODING_CACHE_MAX) {
    const oldest = ENCODING_CACHE.keys().next().value;
    if (oldest !== undefined) ENCODING_CACHE.delete(oldest);
  }
  ENCODING_CACHE.set(value, computed);
  return computed;
}

/**
 * A digest of the value's UTF-8 bytes: Frida's native Checksum where the agent runs in Frida (an
 * ArrayBuffer, so a NUL inside the value is hashed too — a string would stop at it), else the
 * agent-JS implementation (plain Node, the matcher's unit tests). Native digests cut a new
 * value's cost from hundreds of µs in QuickJS to a few.
 */
function digestHex(
  type: 'md5' | 'sha1' | 'sha256',
  bytes: Uint8Array,
  inJs: (bytes: Uint8Array) => string,
): string {
  // Read off globalThis: the matcher also compiles for Node, where Frida's typings are absent.
  const native = (globalThis as { Checksum?: { compute(type: string, data: ArrayBuffer): string } }).Checksum;
  return native ? native.compute(type, bytes.slice().buffer) : inJs(bytes);
}

/** Every encoded form of `value` searched for (deduplicated; the first encoding wins). */
export function encodings(value: string): [string, ValueEncoding][] {
  const bytes = utf8(value);
  const out = new Map<string, ValueEncoding>();
  const add = (text: string, encoding: ValueEncoding) => {
    if (text.length >= MIN_VALUE && !out.has(text)) out.set(text, encoding);
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
    [digestHex('md5', bytes, md5Hex), 'md5'],
    [digestHex('sha1', bytes, sha1Hex), 'sha1'],
    [digestHex('sha256', bytes, sha256Hex), 'sha256'],
  ] as const) {
    add(digest, encoding);
    add(digest.toUpperCase(), encoding);
  }
  return [...out];
}

export class ValueMatcher {
  private readonly kept = new Map<string, Kept>();
  /**
   * Kept values in read order, least recent first: a linked list, so a read of a known value
   * moves it to the newest end without deleting and re-adding its Map entry (most reads are of
   * values already kept: apps read the same identifiers over and over).
   */
  private oldest: Kept | null = null;
  private newest: Kept | null = null;
  private readonly index = new Map<string, Slot[]>();
  /** Kept values read since the last match, not indexed yet (reads far outnumber sends). */
  private pending: Kept[] = [];
  /** Index slots of forgotten values (skipped by match, dropped when they outnumber the rest). */
  private deadSlots = 0;
  private liveSlots = 0;
  private step = MAX_STEP;
  private locations = 0;
  private nextRef = 0;

  constructor(readonly limits: MatcherLimits = DEFAULT_LIMITS) {}

  /** A matcher with other limits that keeps this one's values (refs included). */
  withLimits(limits: MatcherLimits): ValueMatcher {
    const next = new ValueMatcher(limits);
    for (let k = this.oldest; k !== null; k = k.newer) {
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
   * undefined when the value cannot be matched (too short or uniform). A read only files the
   * value: its encodings are built and indexed when the next message is matched, so a value
   * forgotten before any send costs no digest (the app's thread pays per send, not per read).
   */
  remember(value: string, category: DataCategory): number | undefined {
    const known = this.kept.get(value);
    if (known) {
      known.ref = ++this.nextRef;
      if (known !== this.newest) {
        // the most recently read value is forgotten last
        this.unlink(known);
        this.append(known);
      }
      return known.ref;
    }
    const location = category === 'location' ? parseLocation(value) : undefined;
    if (!location && !matchable(value)) return undefined;
    const kept: Kept = {
      value,
      category,
      ref: ++this.nextRef,
      needles: [],
      dead: false,
      older: null,
      newer: null,
    };
    if (location) {
      kept.location = location;
      this.locations++;
    } else this.pending.push(kept);
    this.kept.set(value, kept);
    this.append(kept);
    if (this.kept.size > this.limits.maxValues) this.forgetOldest();
    return kept.ref;
  }

  private append(k: Kept): void {
    k.older = this.newest;
    k.newer = null;
    if (this.newest !== null) this.newest.newer = k;
    else this.oldest = k;
    this.newest = k;
  }

  private unlink(k: Kept): void {
    if (k.older !== null) k.older.newer = k.newer;
    else this.oldest = k.newer;
    if (k.newer !== null) k.newer.older = k.older;
    else this.newest = k.older;
    k.older = null;
    k.newer = null;
  }

  /** Indexes the values read since the last match that are still kept. */
  private catchUp(): void {
    if (this.pending.length > 0) {
      const fresh = this.pending.filter((k) => !k.dead);
      this.pending = [];
      let step = this.step;
      for (const kept of fresh) {
        for (const [text, encoding] of cachedEncodings(kept.value))
          kept.needles.push({ text, encoding, kept });
        const shortest = Math.min(...kept.needles.map((n) => n.text.length));
        step = Math.min(step, Math.max(1, Math.min(MAX_STEP, shortest - KEY + 1)));
      }
      if (step < this.step) {
        // A shorter needle needs a finer stride: every needle then indexes more offsets.
        this.step = step;
        this.reindex();
      } else for (const kept of fresh) for (const n of kept.needles) this.indexNeedle(n);
    }
    if (this.deadSlots > this.liveSlots) this.reindex();
  }

  private reindex(): void {
    this.index.clear();
    this.deadSlots = 0;
    this.liveSlots = 0;
    for (let k = this.oldest; k !== null; k = k.newer) for (const n of k.needles) this.indexNeedle(n);
  }

  private indexNeedle(needle: Needle): void {
    for (let offset = 0; offset < this.step && offset + KEY <= needle.text.length; offset++) {
      const key = needle.text.slice(offset, offset + KEY);
      const list = this.index.get(key);
      if (list) list.push({ needle, offset });
      else this.index.set(key, [{ needle, offset }]);
      this.liveSlots++;
    }
  }

  /** Forgets the least recently read value in O(1): its index slots are skipped until dropped. */
  private forgetOldest(): void {
    const oldest = this.oldest;
    if (oldest === null) return;
    this.unlink(oldest);
    this.kept.delete(oldest.value);
    oldest.dead = true;
    if (oldest.location) this.locations--;
    for (const needle of oldest.needles) {
      const slots = Math.max(0, Math.min(this.step, needle.text.length - KEY + 1));
      this.deadSlots += slots;
      this.liveSlots -= slots;
    }
  }

  /** Kept values found in the first `windowChars` characters of `payload`, first match per value. */
  match(payload: string): SentValue[] {
    const text =
      payload.length > this.limits.windowChars ? payload.slice(0, this.limits.windowChars) : payload;
    this.catchUp();
    const found: SentValue[] = [];
    const seen = new Set<Kept>();
    const max = this.limits.maxMatches;
    const index = this.index;
    const step = this.step;
    if (index.size > 0) {
      for (let i = 0; i + KEY <= text.length; i += step) {
        const list = index.get(text.slice(i, i + KEY));
        if (list === undefined) continue;
        for (const slot of list) {
          const kept = slot.needle.kept;
          const start = i - slot.offset;
          if (start < 0 || kept.dead || seen.has(kept) || !text.startsWith(slot.needle.text, start)) continue;
          seen.add(kept);
          found.push({ ref: kept.ref, encoding: slot.needle.encoding });
          if (found.length >= max) return found;
        }
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
    for (let kept = this.oldest; kept !== null; kept = kept.newer) {
      if (!kept.location || seen.has(kept) || found.length >= this.limits.maxMatches) continue;
      if (near(kept.location[0]) && near(kept.location[1])) {
        seen.add(kept);
        found.push({ ref: kept.ref, encoding: 'location' });
      }
    }
  }
}
