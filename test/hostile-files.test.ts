// Hostile input files: a ZIP bomb posing as an APK, YAML alias bombs in scenarios, profiles and
// app models. Each must end in a one-line error naming the file, exit 2, in bounded time/memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZIP_LIMITS, ZipArchive } from '../harness/apk/zip.ts';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-hostile-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Raw deflate data that inflates to `mib` MiB of zeros, built without compressing them all:
 * one MiB compressed with a sync flush (byte-aligned, self-contained), repeated, then a final
 * empty block. 1 GiB of output costs about 1 MB.
 */
function zerosDeflated(mib: number): Buffer {
  const chunk = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });
  const end = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array<Buffer>(mib).fill(chunk), end]);
}

/** A one-entry ZIP whose central directory declares `declared` bytes for `packed` data. */
function zipOf(name: string, packed: Buffer, declared: number, crc = 0): Buffer {
  const nameBuf = Buffer.from(name);
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt16LE(8, 8);
  lh.writeUInt32LE(crc, 14);
  lh.writeUInt32LE(packed.length, 18);
  lh.writeUInt32LE(declared, 22);
  lh.writeUInt16LE(nameBuf.length, 26);
  const ch = Buffer.alloc(46);
  ch.writeUInt32LE(0x02014b50, 0);
  ch.writeUInt16LE(20, 4);
  ch.writeUInt16LE(20, 6);
  ch.writeUInt16LE(8, 10);
  ch.writeUInt32LE(crc, 16);
  ch.writeUInt32LE(packed.length, 20);
  ch.writeUInt32LE(declared, 24);
  ch.writeUInt16LE(nameBuf.length, 28);
  const cd = Buffer.concat([ch, nameBuf]);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(30 + nameBuf.length + packed.length, 16);
  return Buffer.concat([lh, nameBuf, packed, cd, eocd]);
}

async function timedApk(file: string): Promise<{ code: number; err: string; ms: number; growthMb: number }> {
  const deps = captureDeps(dir);
  const before = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const code = await runCli(['apk', file], deps);
  const ms = performance.now() - t0;
  const growthMb = (process.resourceUsage().maxRSS - before) / 1024;
  return { code, err: deps.err(), ms, growthMb };
}

describe('ZIP bomb APKs', () => {
  it('a manifest declaring 3 GiB is refused at once (exit 2, < 1 s, < 100 MB)', async () => {
    writeFileSync(join(dir, 'bomb.apk'), zipOf('AndroidManifest.xml', zerosDeflated(3072), 3 * 2 ** 30));
    const r = await timedApk('bomb.apk');
    expect(r.err).toBe(
      `overreach: bomb.apk: AndroidManifest.xml: declares 3221225472 bytes uncompressed, more than the ${ZIP_LIMITS.manifestBytes} byte limit for this entry\n`,
    );
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(1000);
    expect(r.growthMb).toBeLessThan(100);
  });

  it('a manifest that lies about its size stops inflating at the declared size', async () => {
    // declares 4 KiB, inflates to 1 GiB
    writeFileSync(join(dir, 'liar.apk'), zipOf('AndroidManifest.xml', zerosDeflated(1024), 4096));
    const r = await timedApk('liar.apk');
    expect(r.err).toBe(
      'overreach: liar.apk: AndroidManifest.xml: inflates to more than the 4096 bytes the central directory declares\n',
    );
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(1000);
    expect(r.growthMb).toBeLessThan(100);
  });

  it('every entry read is capped, whatever its name', () => {
    const data = Buffer.from('hello, world');
    const zip = new ZipArchive(zipOf('classes.dex', deflateRawSync(data), data.length, crc32(data)));
    expect(zip.read('classes.dex')?.toString()).toBe('hello, world');
    expect(() => zip.read('classes.dex', 5)).toThrow(
      'classes.dex: declares 12 bytes uncompressed, more than the 5 byte limit for this entry',
    );
    expect(ZIP_LIMITS.entryBytes).toBeLessThanOrEqual(512 * 2 ** 20);
  });
});

const BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

describe('YAML alias bombs', () => {
  it.each([
    [
      'scenario',
      'bomb-scenario.yaml',
      (f: string) => ['scenario', 'check', f],
      `name: x\napp: com.x.y\nsteps: [launch]\n${BOMB}`,
    ],
    [
      'profile',
      'bomb-profile.yaml',
      (f: string) => ['analyze', 'latest', '--profile', f],
      `package: com.x.y\n${BOMB}`,
    ],
    ['rules', 'bomb-rules.yaml', (f: string) => ['analyze', 'latest', '--rules', f], BOMB],
  ])('a %s gives exit 2 naming the file', async (_kind, name, args, text) => {
    writeFileSync(join(dir, name), text);
    const deps = captureDeps(dir);
    const t0 = performance.now();
    const code = await runCli(args(name), deps);
    expect(performance.now() - t0).toBeLessThan(2000);
    // `scenario check` lists problems one per line, then a summary line
    expect(deps.err()).toMatch(
      new RegExp(
        `^(overreach: )?${name.replace('.', '\\.')}(:\\d+:\\d+)?: YAML: too many alias expansions \\(more than \\d+; an alias bomb\\?\\)$`,
        'm',
      ),
    );
    expect(
      deps
        .err()
        .split('\n')
        .every((l) => l === '' || l.includes(name)),
    ).toBe(true);
    expect(code).toBe(2);
  });
});
