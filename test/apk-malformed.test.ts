// Broken input must give one line naming the file and what is wrong, never a stack trace.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseApk } from '../harness/apk/read-apk.ts';
import { ZipArchive } from '../harness/apk/zip.ts';
import { InputError } from '../harness/errors.ts';

const require = createRequire(import.meta.url);
const DEMOS = join(dirname(require.resolve('android-apidemos/package.json')), 'apks/ApiDemos-debug.apk');

/** Minimal ZIP writer (deflate) so the tests can build archives with chosen contents. */
function makeZip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const packed = deflateRawSync(data);
    const nameBuf = Buffer.from(name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc32(data), 14);
    lh.writeUInt32LE(packed.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(nameBuf.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc32(data), 16);
    ch.writeUInt32LE(packed.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(nameBuf.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, nameBuf, packed);
    centrals.push(ch, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(files).length, 8);
  eocd.writeUInt16LE(Object.keys(files).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function realManifest(): Buffer {
  const m = new ZipArchive(readFileSync(DEMOS)).read('AndroidManifest.xml');
  if (!m) throw new Error('ApiDemos has no manifest');
  return m;
}

function errorOf(buf: Buffer, file: string): string {
  try {
    parseApk(buf, file);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected parseApk to fail');
}

describe('malformed APKs', () => {
  it('empty file', () => {
    expect(errorOf(Buffer.alloc(0), 'empty.apk')).toBe('empty.apk: not a ZIP archive (0 bytes, too short)');
  });

  it('random bytes', () => {
    expect(errorOf(randomBytes(4096), 'bad.apk')).toBe(
      'bad.apk: not a ZIP archive (no end-of-central-directory record)',
    );
  });

  it('truncated real APK (end record cut off)', () => {
    const buf = readFileSync(DEMOS);
    expect(errorOf(buf.subarray(0, buf.length >> 1), 'cut.apk')).toMatch(/^cut\.apk: not a ZIP archive/);
  });

  it('central directory pointing past the data', () => {
    const zip = makeZip({ 'AndroidManifest.xml': realManifest() });
    // Move the end record's central-directory offset beyond the end record itself.
    zip.writeUInt32LE(zip.length, zip.length - 6);
    expect(errorOf(zip, 'x.apk')).toMatch(
      /^x\.apk: central directory at 0x[0-9a-f]+ runs past the end record$/,
    );
  });

  it('entry data truncated', () => {
    const zip = makeZip({ 'AndroidManifest.xml': realManifest() });
    // Claim a compressed size far larger than the file.
    zip.writeUInt32LE(0x7fffffff, zip.length - 22 - 46 - 'AndroidManifest.xml'.length + 20);
    expect(errorOf(zip, 'x.apk')).toMatch(/^x\.apk: AndroidManifest\.xml: data truncated at offset 0x/);
  });

  it('zip without a manifest', () => {
    const zip = makeZip({ 'classes.dex': Buffer.from('dex\n035\0') });
    expect(errorOf(zip, 'nomanifest.apk')).toBe('nomanifest.apk: not an APK (no AndroidManifest.xml entry)');
  });

  it('truncated AXML names the offset', () => {
    const m = realManifest();
    const zip = makeZip({ 'AndroidManifest.xml': m.subarray(0, 500) });
    expect(errorOf(zip, 'x.apk')).toBe('x.apk: AndroidManifest.xml: truncated chunk at offset 0x0');
  });

  it('AXML with a corrupted inner chunk size', () => {
    const m = Buffer.from(realManifest());
    // The string pool starts at 8; make it claim more bytes than the document has.
    m.writeUInt32LE(m.length, 8 + 4);
    const msg = errorOf(makeZip({ 'AndroidManifest.xml': m }), 'x.apk');
    expect(msg).toBe('x.apk: AndroidManifest.xml: truncated chunk at offset 0x8');
  });

  it('plain-text manifest (not compiled)', () => {
    const zip = makeZip({ 'AndroidManifest.xml': Buffer.from('<manifest package="a.b"/>') });
    expect(errorOf(zip, 'src.apk')).toBe(
      'src.apk: AndroidManifest.xml: not binary XML (plain-text XML at offset 0x0)',
    );
  });

  it('random bytes after a valid AXML header', () => {
    const m = Buffer.from(realManifest());
    randomBytes(256).copy(m, 8);
    const msg = errorOf(makeZip({ 'AndroidManifest.xml': m }), 'r.apk');
    expect(msg).toMatch(/^r\.apk: AndroidManifest\.xml: /);
  });

  it('still parses the rebuilt archive when nothing is broken', () => {
    const info = parseApk(makeZip({ 'AndroidManifest.xml': realManifest() }), 'ok.apk');
    expect(info.package).toBe('io.appium.android.apis');
    // Without resources.arsc the label stays a resource id.
    expect(info.label).toBeNull();
    expect(info.labelRef).toMatch(/^@0x7f/);
  });
});

describe('corruption fuzz', () => {
  it('never throws anything but a one-line InputError on 300 corrupted manifests', () => {
    const base = realManifest();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 300; i++) {
      const m = Buffer.from(base);
      for (let k = 0; k < 1 + rand(8); k++) m[rand(m.length)] = rand(256);
      const cut = rand(4) === 0 ? m.subarray(0, rand(m.length)) : m;
      try {
        parseApk(makeZip({ 'AndroidManifest.xml': cut }), 'f.apk');
      } catch (err) {
        failures++;
        expect(err).toBeInstanceOf(InputError);
        expect((err as Error).message).toMatch(/^f\.apk: AndroidManifest\.xml: [^\n]+$/);
      }
    }
    // Most corruptions are caught; some land in ignorable bytes (comments, line numbers).
    expect(failures).toBeGreaterThan(30);
  });
});
