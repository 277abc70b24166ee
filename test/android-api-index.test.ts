// The Android API cache's names index (harness/android-api/load.ts): written next to the cache
// the first time, then read instead of scanning the 13 MB file, and ignored when it does not
// describe the file it sits next to.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachePath, indexPath, loadAndroidApi, readCache } from '../harness/android-api/load.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

interface Index {
  size: number;
  mtimeMs: number;
  names: string[];
  spans: number[];
}

let source: string;
let version: string;
beforeAll(() => {
  loadAndroidApi(); // writes the cache if this install has none yet
  source = cachePath();
  version = (
    JSON.parse(readFileSync(source, 'utf8').slice(0, 200).split('\n')[0] ?? '{}') as { pkgVersion: string }
  ).pkgVersion;
});

/** A copy of the cache in a folder of its own (its index is written next to it). */
function cacheCopy(): string {
  const file = join(tempDir(), 'api.ndjson');
  copyFileSync(source, file);
  return file;
}

const TM = 'android.telephony.TelephonyManager';

describe('Android API cache: names index', () => {
  it('writes the index on the first read and gives the same classes from it on the next', () => {
    const file = cacheCopy();
    const scanned = readCache(file, version);
    expect(scanned?.size).toBeGreaterThan(5000);
    expect(existsSync(indexPath(file))).toBe(true);
    const idx = JSON.parse(readFileSync(indexPath(file), 'utf8')) as Index;
    expect(idx.names).toHaveLength(scanned?.size ?? 0);
    const indexed = readCache(file, version);
    expect([...(indexed?.keys() ?? [])]).toEqual([...(scanned?.keys() ?? [])]);
    expect(indexed?.get(TM)).toEqual(scanned?.get(TM));
    expect(indexed?.get(TM)?.methods.some((m) => m.name === 'getImei')).toBe(true);
  });

  it('reads the names from the index, not from the file', () => {
    const file = cacheCopy();
    readCache(file, version);
    const idx = JSON.parse(readFileSync(indexPath(file), 'utf8')) as Index;
    idx.names[idx.names.indexOf(TM)] = 'renamed.InTheIndex';
    writeFileSync(indexPath(file), JSON.stringify(idx));
    const api = readCache(file, version);
    expect(api?.has('renamed.InTheIndex')).toBe(true);
    expect(api?.get('renamed.InTheIndex')?.name).toBe(TM);
  });

  it('ignores (and rewrites) an index of another file, or one whose offsets do not fit', () => {
    const file = cacheCopy();
    readCache(file, version);
    const idx = JSON.parse(readFileSync(indexPath(file), 'utf8')) as Index;
    const renamed = { ...idx, names: idx.names.map((n) => (n === TM ? 'renamed.InTheIndex' : n)) };
    for (const bad of [
      { ...renamed, size: renamed.size + 1 },
      { ...renamed, mtimeMs: renamed.mtimeMs - 1000 },
      { ...renamed, spans: renamed.spans.map((x) => x + 1) },
    ]) {
      writeFileSync(indexPath(file), JSON.stringify(bad));
      const api = readCache(file, version);
      expect(api?.has(TM)).toBe(true);
      expect(api?.has('renamed.InTheIndex')).toBe(false);
      // Rewritten from the scan: it describes the file again.
      expect((JSON.parse(readFileSync(indexPath(file), 'utf8')) as Index).names).toEqual(idx.names);
    }
    writeFileSync(indexPath(file), '{ not json');
    expect(readCache(file, version)?.get(TM)?.name).toBe(TM);
  });
});
