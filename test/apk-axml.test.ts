// Hand-built binary manifests for the cases the real APKs do not cover:
// uses-permission-sdk-23, relative class names, export defaults, obfuscated attribute names.
import { describe, expect, it } from 'vitest';
import { parseAxml } from '../harness/apk/axml.ts';
import { readManifest } from '../harness/apk/manifest.ts';

const ANDROID = 'http://schemas.android.com/apk/res/android';
const IDS: Record<string, number> = {
  label: 0x01010001,
  name: 0x01010003,
  exported: 0x01010010,
  authorities: 0x01010018,
  minSdkVersion: 0x0101020c,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  targetSdkVersion: 0x01010270,
  maxSdkVersion: 0x01010271,
};

type Val = string | number | boolean;
interface El {
  name: string;
  attrs?: Record<string, Val>;
  children?: El[];
}

/** Writes AXML like aapt: android attribute names first in a UTF-16 pool, mapped to ids. */
function axml(root: El, opts: { blankNames?: boolean } = {}): Buffer {
  const strings: string[] = [];
  const attrNames = Object.keys(IDS);
  for (const n of attrNames) strings.push(opts.blankNames ? '' : n);
  const idx = (s: string) => {
    const i = strings.indexOf(s, attrNames.length);
    if (i >= 0) return i;
    strings.push(s);
    return strings.length - 1;
  };
  const nsIdx = idx(ANDROID);
  const prefixIdx = idx('android');
  const chunks: Buffer[] = [];
  const u32 = (...v: number[]) => {
    const b = Buffer.alloc(v.length * 4);
    for (const [i, x] of v.entries()) b.writeUInt32LE(x >>> 0, i * 4);
    return b;
  };
  const chunk = (type: number, headerSize: number, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(type, 0);
    h.writeUInt16LE(headerSize, 2);
    h.writeUInt32LE(8 + body.length, 4);
    return Buffer.concat([h, body]);
  };
  const walk = (el: El) => {
    const attrs = Object.entries(el.attrs ?? {}).map(([k, v]) => {
      const android = k in IDS;
      const name = android ? attrNames.indexOf(k) : idx(k);
      const b = Buffer.alloc(20);
      b.writeUInt32LE(android ? nsIdx : 0xffffffff, 0);
      b.writeUInt32LE(name, 4);
      b.writeUInt16LE(8, 12);
      if (typeof v === 'string') {
        const s = idx(v);
        b.writeUInt32LE(s, 8);
        b.writeUInt8(0x03, 15);
        b.writeUInt32LE(s, 16);
      } else {
        b.writeUInt32LE(0xffffffff, 8);
        b.writeUInt8(typeof v === 'boolean' ? 0x12 : 0x10, 15);
        b.writeUInt32LE(typeof v === 'boolean' ? (v ? 0xffffffff : 0) : v, 16);
      }
      return b;
    });
    const ext = Buffer.alloc(20);
    ext.writeUInt32LE(0xffffffff, 0);
    ext.writeUInt32LE(idx(el.name), 4);
    ext.writeUInt16LE(20, 8);
    ext.writeUInt16LE(20, 10);
    ext.writeUInt16LE(attrs.length, 12);
    chunks.push(chunk(0x0102, 16, Buffer.concat([u32(1, 0xffffffff), ext, ...attrs])));
    for (const c of el.children ?? []) walk(c);
    chunks.push(chunk(0x0103, 16, u32(1, 0xffffffff, 0xffffffff, idx(el.name))));
  };
  walk(root);
  const nsBody = u32(1, 0xffffffff, prefixIdx, nsIdx);
  const encoded = strings.map((s) => {
    const b = Buffer.alloc(2 + s.length * 2 + 2);
    b.writeUInt16LE(s.length, 0);
    b.write(s, 2, 'utf16le');
    return b;
  });
  const offsets: number[] = [];
  let off = 0;
  for (const e of encoded) {
    offsets.push(off);
    off += e.length;
  }
  let data = Buffer.concat(encoded);
  if (data.length % 4) data = Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
  const poolHeader = u32(strings.length, 0, 0, 28 + strings.length * 4, 0);
  const pool = chunk(0x0001, 28, Buffer.concat([poolHeader, u32(...offsets), data]));
  const resMap = chunk(0x0180, 8, u32(...attrNames.map((n) => IDS[n] ?? 0)));
  const body = Buffer.concat([pool, resMap, chunk(0x0100, 16, nsBody), ...chunks, chunk(0x0101, 16, nsBody)]);
  return chunk(0x0003, 8, body);
}

const MANIFEST: El = {
  name: 'manifest',
  attrs: { package: 'org.sample.app', versionCode: 7, versionName: '1.2' },
  children: [
    { name: 'uses-sdk', attrs: { minSdkVersion: 21, targetSdkVersion: 30 } },
    { name: 'uses-permission', attrs: { name: 'android.permission.BLUETOOTH', maxSdkVersion: 30 } },
    { name: 'uses-permission-sdk-23', attrs: { name: 'android.permission.ACCESS_FINE_LOCATION' } },
    {
      name: 'application',
      attrs: { label: 'Sample' },
      children: [
        {
          name: 'activity',
          attrs: { name: '.Main' },
          children: [
            {
              name: 'intent-filter',
              children: [{ name: 'action', attrs: { name: 'android.intent.action.MAIN' } }],
            },
          ],
        },
        { name: 'service', attrs: { name: 'Sync', exported: false } },
        { name: 'receiver', attrs: { name: 'com.other.Boot', exported: true } },
        { name: 'provider', attrs: { name: '.Files', authorities: 'org.sample.files' } },
      ],
    },
  ],
};

describe('manifest facts from hand-built AXML', () => {
  for (const blankNames of [false, true]) {
    it(`reads permissions and components${blankNames ? ' with obfuscated attribute names' : ''}`, () => {
      const m = readManifest(parseAxml(axml(MANIFEST, { blankNames })), undefined);
      expect(m).toMatchObject({
        package: 'org.sample.app',
        versionCode: 7,
        versionName: '1.2',
        minSdk: 21,
        targetSdk: 30,
      });
      expect(m.label).toBe('Sample');
      expect(m.usesPermissions).toEqual([
        { name: 'android.permission.BLUETOOTH', maxSdkVersion: 30, sdk23: false },
        { name: 'android.permission.ACCESS_FINE_LOCATION', maxSdkVersion: null, sdk23: true },
      ]);
      expect(m.components).toEqual([
        {
          kind: 'activity',
          name: 'org.sample.app.Main',
          exported: null,
          exportedEffective: true,
          permission: null,
          actions: ['android.intent.action.MAIN'],
        },
        {
          kind: 'service',
          name: 'org.sample.app.Sync',
          exported: false,
          exportedEffective: false,
          permission: null,
          actions: [],
        },
        {
          kind: 'receiver',
          name: 'com.other.Boot',
          exported: true,
          exportedEffective: true,
          permission: null,
          actions: [],
        },
        {
          kind: 'provider',
          name: 'org.sample.app.Files',
          exported: null,
          exportedEffective: false,
          permission: null,
          actions: [],
          authorities: 'org.sample.files',
        },
      ]);
    });
  }

  it('applies platform defaults when uses-sdk and versions are absent', () => {
    const m = readManifest(parseAxml(axml({ name: 'manifest', attrs: { package: 'a.b' } })), undefined);
    expect(m).toMatchObject({ minSdk: 1, targetSdk: 1, versionCode: null, versionName: null, label: null });
  });

  it('exports old providers by default (targetSdk < 17)', () => {
    const old: El = {
      name: 'manifest',
      attrs: { package: 'a.b' },
      children: [
        { name: 'uses-sdk', attrs: { minSdkVersion: 8, targetSdkVersion: 16 } },
        {
          name: 'application',
          children: [{ name: 'provider', attrs: { name: '.P', authorities: 'a.b.p' } }],
        },
      ],
    };
    expect(readManifest(parseAxml(axml(old)), undefined).components[0]?.exportedEffective).toBe(true);
  });

  it('rejects a manifest without a package or with the wrong root', () => {
    expect(() => readManifest(parseAxml(axml({ name: 'manifest' })), undefined)).toThrow(
      'no package attribute',
    );
    expect(() => readManifest(parseAxml(axml({ name: 'resources' })), undefined)).toThrow(
      'root element is <resources>, expected <manifest>',
    );
  });
});
