// The agent's value matcher against payloads built with Node's own crypto and encoders, and a
// corpus of unrelated JSON / form bodies that must never match.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Hex, sha1Hex, sha256Hex, utf8 } from '../agent/leaks/digest.ts';
import { ValueMatcher } from '../agent/leaks/value-match.ts';
import type { ValueEncoding } from '../agent/protocol/messages.ts';

const IMEI = '867530912345678';
const ANDROID_ID = '3f9a1c27d84be605';
const PHONE = '+86 138-0013 8000';
const AD_ID = '38400000-8cf0-11bd-b23e-10b96e40000d';
const NAME = '张三 Zhang';

const hash = (alg: string, v: string) => createHash(alg).update(v, 'utf8').digest('hex');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

describe('digests in agent JS', () => {
  it('equal node:crypto for ASCII, Unicode and block-boundary lengths', () => {
    const rnd = seeded(7);
    const samples = [
      '',
      'a',
      IMEI,
      NAME,
      '😀 emoji',
      'x'.repeat(55),
      'y'.repeat(56),
      'z'.repeat(64),
      'w'.repeat(119),
    ];
    for (let i = 0; i < 200; i++) {
      const len = Math.floor(rnd() * 150);
      samples.push(
        Array.from({ length: len }, () => String.fromCharCode(32 + Math.floor(rnd() * 20000))).join(''),
      );
    }
    for (const s of samples) {
      expect(md5Hex(s), s).toBe(hash('md5', s));
      expect(sha1Hex(s), s).toBe(hash('sha1', s));
      expect(sha256Hex(s), s).toBe(hash('sha256', s));
      expect(Buffer.from(utf8(s)).equals(Buffer.from(s, 'utf8')), s).toBe(true);
    }
  });
});

function matcherWith(values: [string, 'device-id' | 'phone-number' | 'location' | 'contacts'][]) {
  const m = new ValueMatcher();
  const refs = new Map<string, number>();
  for (const [v, c] of values) {
    const ref = m.remember(v, c);
    expect(ref, v).toBeTypeOf('number');
    refs.set(v, ref as number);
  }
  return { m, refs };
}

describe('value matching', () => {
  const { m, refs } = matcherWith([
    [IMEI, 'device-id'],
    [ANDROID_ID, 'device-id'],
    [PHONE, 'phone-number'],
    [AD_ID, 'device-id'],
    [NAME, 'contacts'],
  ]);

  const cases: [string, string, ValueEncoding][] = [];
  for (const v of [IMEI, ANDROID_ID, AD_ID]) {
    cases.push([v, JSON.stringify({ id: v, t: 1 }), 'plain']);
    cases.push([v, `imei=${Buffer.from(v).toString('hex')}&x=1`, 'hex']);
    cases.push([v, `{"d":"${Buffer.from(v).toString('hex').toUpperCase()}"}`, 'hex']);
    cases.push([v, JSON.stringify({ b: Buffer.from(v).toString('base64') }), 'base64']);
    cases.push([v, `q=${Buffer.from(v).toString('base64url')}`, 'base64url']);
    cases.push([v, JSON.stringify({ h: hash('md5', v) }), 'md5']);
    cases.push([v, `h=${hash('md5', v).toUpperCase()}`, 'md5']);
    cases.push([v, new URLSearchParams({ s1: hash('sha1', v) }).toString(), 'sha1']);
    cases.push([v, JSON.stringify({ s: hash('sha256', v).toUpperCase() }), 'sha256']);
  }
  cases.push([PHONE, new URLSearchParams({ tel: PHONE, a: 'b' }).toString(), 'url']);
  cases.push([PHONE, `tel=${encodeURIComponent(PHONE)}`, 'url']);
  cases.push([PHONE, JSON.stringify({ tel: PHONE }), 'plain']);
  cases.push([NAME, `n=${encodeURIComponent(NAME)}`, 'url']);
  // A UTF-8 body read from native memory: one char per byte.
  cases.push([NAME, Buffer.from(JSON.stringify({ n: NAME }), 'utf8').toString('latin1'), 'plain']);

  it.each(cases)('finds %s in %s as %s', (value, payload, encoding) => {
    const found = m.match(`POST /collect HTTP/1.1\r\nHost: t.example\r\n\r\n${payload}`);
    // Base64url without + or / is the same text as Base64: reported as base64.
    const same =
      encoding === 'base64url' &&
      Buffer.from(value).toString('base64url') === Buffer.from(value).toString('base64').replace(/=+$/, '');
    expect(found).toContainEqual({ ref: refs.get(value), encoding: same ? 'base64' : encoding });
  });

  it('tells URL-safe Base64 from standard when they differ', () => {
    const x = new ValueMatcher();
    const v = '??>>~~value~~<<??'; // Base64 with + and /
    const ref = x.remember(v, 'device-id');
    const std = Buffer.from(v).toString('base64');
    const url = Buffer.from(v).toString('base64url');
    expect(std).toMatch(/[+/]/);
    expect(x.match(`a=${url}`)).toEqual([{ ref, encoding: 'base64url' }]);
    expect(x.match(`a=${std}`)).toEqual([{ ref, encoding: 'base64' }]);
  });

  it('finds a value at the very start and very end of a message, not beyond the window', () => {
    expect(m.match(IMEI)).toEqual([{ ref: refs.get(IMEI), encoding: 'plain' }]);
    expect(m.match(`${'a'.repeat(1000)}${IMEI}`)).toHaveLength(1);
    const small = new ValueMatcher({ maxValues: 4, windowChars: 64, maxMatches: 4 });
    small.remember(IMEI, 'device-id');
    expect(small.match(`${'a'.repeat(49)}${IMEI}`)).toHaveLength(1);
    expect(small.match(`${'a'.repeat(50)}${IMEI}`)).toEqual([]);
  });

  it('finds a location rounded to 3 or 4 decimals, in either order, and not a nearby one', () => {
    const loc = new ValueMatcher();
    const ref = loc.remember('31.230416,121.473701', 'location');
    expect(loc.match('{"lat":31.230,"lng":121.474}')).toEqual([{ ref, encoding: 'location' }]);
    expect(loc.match('lng=121.4737&lat=31.2304')).toEqual([{ ref, encoding: 'location' }]);
    expect(loc.match('{"lat":31.232,"lng":121.474}')).toEqual([]);
    expect(loc.match('{"lat":31.230}')).toEqual([]);
  });

  it('keeps a bounded store: the least recently read value is forgotten first', () => {
    const small = new ValueMatcher({ maxValues: 2, windowChars: 1024, maxMatches: 4 });
    small.remember('aaaa-1111-value', 'device-id');
    small.remember('bbbb-2222-value', 'device-id');
    small.remember('aaaa-1111-value', 'device-id'); // read again: now the newest
    small.remember('cccc-3333-value', 'device-id');
    expect(small.size).toBe(2);
    expect(small.match('x=bbbb-2222-value')).toEqual([]);
    expect(small.match('x=aaaa-1111-value')).toHaveLength(1);
  });

  it('keeps read order through re-reads, forgetting and new limits (locations report in it)', () => {
    // Kept values are ordered by their last read (the carried list of locations follows it):
    // a re-read moves a value to the newest end, also when it is the oldest or in the middle.
    const small = new ValueMatcher({ maxValues: 3, windowChars: 1024, maxMatches: 8 });
    const a = small.remember('31.2304,121.4737', 'location');
    small.remember('39.9042,116.4074', 'location');
    small.remember('22.5431,114.0579', 'location');
    const a2 = small.remember('31.2304,121.4737', 'location'); // oldest → newest
    expect(a2).toBeGreaterThan(a as number);
    const b2 = small.remember('39.9042,116.4074', 'location'); // now the oldest → newest
    const all = 'p=31.2304,121.4737;q=39.9042,116.4074;r=22.5431,114.0579';
    expect(small.match(all).map((f) => f.ref)).toEqual([3, a2, b2]);
    // New limits keep the order: the next new value forgets the least recently read one.
    const wide = small.withLimits({ maxValues: 3, windowChars: 2048, maxMatches: 8 });
    wide.remember('30.5728,104.0668', 'location');
    expect(wide.size).toBe(3);
    expect(wide.match(all).map((f) => f.ref)).toEqual([a2, b2]);
    // A re-read of the middle value moves it past the newest; the oldest is forgotten next.
    const b3 = wide.remember('39.9042,116.4074', 'location');
    wide.remember('23.1291,113.2644', 'location');
    expect(wide.match(all).map((f) => f.ref)).toEqual([b3]);
  });

  it('reads and sends interleaved: only the values still kept match, after any churn', () => {
    // Reads file values; the index is built at the next match and forgotten values' slots are
    // skipped, then dropped. Checked against a plain model of the last 8 values read.
    const x = new ValueMatcher({ maxValues: 8, windowChars: 4096, maxMatches: 16 });
    const rnd = seeded(11);
    const recent: string[] = [];
    const refs = new Map<string, number>();
    const pool = Array.from({ length: 40 }, (_, i) => `id-${(i * 7919).toString(36)}-value${i}`);
    for (let round = 0; round < 300; round++) {
      for (let r = Math.floor(rnd() * 6); r > 0; r--) {
        const v = pool[Math.floor(rnd() * pool.length)] as string;
        refs.set(v, x.remember(v, 'device-id') as number);
        const at = recent.indexOf(v);
        if (at >= 0) recent.splice(at, 1);
        recent.push(v);
        if (recent.length > 8) recent.shift();
      }
      const sent = pool.filter(() => rnd() < 0.15);
      const body = sent.map((v, i) => (i % 2 ? hash('md5', v) : v)).join('&');
      const expected = sent.filter((v) => recent.includes(v)).map((v) => refs.get(v));
      expect(
        x
          .match(body)
          .map((f) => f.ref)
          .sort((a, b) => a - b),
        `round ${round}`,
      ).toEqual(expected.sort((a, b) => (a as number) - (b as number)));
    }
  });

  it('finds every needle at every alignment, also after a short value refines the stride', () => {
    const x = new ValueMatcher();
    const imeiRef = x.remember(IMEI, 'device-id');
    for (let pad = 0; pad < 20; pad++) {
      const body = `${'x'.repeat(pad)}${hash('sha1', IMEI)}"`;
      expect(x.match(body), `pad ${pad}`).toEqual([{ ref: imeiRef, encoding: 'sha1' }]);
    }
    const shortRef = x.remember('ab12cd34', 'device-id'); // 8 characters: a finer stride
    for (let pad = 0; pad < 12; pad++) {
      const body = `{"q":"${'y'.repeat(pad)}","s":"ab12cd34","i":"${IMEI}"}`;
      expect(x.match(body), `pad ${pad}`).toEqual([
        { ref: shortRef, encoding: 'plain' },
        { ref: imeiRef, encoding: 'plain' },
      ]);
    }
  });

  it('refuses values too short or too uniform to match safely', () => {
    const x = new ValueMatcher();
    expect(x.remember('1234567', 'device-id')).toBeUndefined();
    expect(x.remember('000000000000000', 'device-id')).toBeUndefined();
    expect(x.remember('unknown', 'device-id')).toBeUndefined();
  });

  it('never matches in a few thousand unrelated JSON and form bodies', () => {
    const rnd = seeded(20261130);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const token = () =>
      randomBytes(4 + Math.floor(rnd() * 28)).toString(pick(['hex', 'base64', 'base64url']));
    const digits = () => String(Math.floor(rnd() * 1e15)).padStart(15, '0');
    const field = (): unknown =>
      pick([
        () => token(),
        () => digits(),
        () => hash(pick(['md5', 'sha1', 'sha256']), token()),
        () => Math.round((rnd() * 180 - 90) * 1e6) / 1e6,
        () =>
          randomBytes(16)
            .toString('hex')
            .replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
        () => rnd() > 0.5,
      ])();
    let bodies = 0;
    let bytes = 0;
    for (let i = 0; i < 4000; i++) {
      const obj: Record<string, unknown> = {};
      const n = 1 + Math.floor(rnd() * 30);
      for (let k = 0; k < n; k++) obj[`k${k}_${token().slice(0, 6)}`] = field();
      const body =
        rnd() > 0.5
          ? JSON.stringify(obj)
          : new URLSearchParams(
              Object.entries(obj).map(([k, v]): [string, string] => [k, String(v)]),
            ).toString();
      bytes += body.length;
      bodies++;
      expect(m.match(body), body).toEqual([]);
    }
    expect(bodies).toBe(4000);
    expect(bytes).toBeGreaterThan(400_000);
  });
});
