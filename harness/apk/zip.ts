// A small central-directory ZIP reader: enough for APKs (stored and deflated entries).
// The central directory is authoritative, as on Android; local headers only locate the data.
import { createRequire } from 'node:module';
import type Zlib from 'node:zlib';

// node:zlib loaded on first inflate: commands that import the APK reader without reading an APK
// (ingest, query) skip its ~2 ms of start-up.
let zlib: typeof Zlib | undefined;
const inflateRawSync: typeof Zlib.inflateRawSync = (buf, opts) => {
  zlib ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib;
  return zlib.inflateRawSync(buf, opts);
};

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  flags: number;
}

/** Thrown for structural problems; the caller adds the file name. */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * Bounds on what one entry may inflate to (docs/profiles.md, `overreach apk`). A ZIP bomb APK (a 3 MB
 * file whose manifest inflates to 3 GB) is refused from its central directory before any
 * inflating; an entry that inflates past its declared size is cut off at that size.
 * Real manifests are a few KB to ~1 MB; big apps' resources.arsc and classes.dex are tens of MB.
 */
export const ZIP_LIMITS = {
  /** Any entry (classes.dex and the like). */
  entryBytes: 256 * 2 ** 20,
  /** AndroidManifest.xml. */
  manifestBytes: 8 * 2 ** 20,
  /** resources.arsc. */
  arscBytes: 64 * 2 ** 20,
} as const;

export class ZipArchive {
  readonly entries = new Map<string, ZipEntry>();

  constructor(private readonly buf: Buffer) {
    const eocd = findEocd(buf);
    const count = buf.readUInt16LE(eocd + 10);
    const cdSize = buf.readUInt32LE(eocd + 12);
    const cdOffset = buf.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) {
      throw new ZipFormatError('ZIP64 archives are not supported');
    }
    if (cdOffset + cdSize > eocd) {
      throw new ZipFormatError(`central directory at ${hex(cdOffset)} runs past the end record`);
    }
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== CDH_SIG) {
        throw new ZipFormatError(`bad central directory entry ${i} at offset ${hex(p)}`);
      }
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      if (p + 46 + nameLen > buf.length) {
        throw new ZipFormatError(`truncated central directory entry ${i} at offset ${hex(p)}`);
      }
      const entry: ZipEntry = {
        flags: buf.readUInt16LE(p + 8),
        method: buf.readUInt16LE(p + 10),
        compressedSize: buf.readUInt32LE(p + 20),
        size: buf.readUInt32LE(p + 24),
        localOffset: buf.readUInt32LE(p + 42),
        name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      };
      // First entry wins for duplicate names, like Android's package parser.
      if (!this.entries.has(entry.name)) this.entries.set(entry.name, entry);
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * The uncompressed bytes of `name`, or undefined if the archive has no such entry. Refuses an
   * entry declaring more than `limit` bytes, and stops inflating at the declared size.
   */
  read(name: string, limit: number = ZIP_LIMITS.entryBytes): Buffer | undefined {
    const e = this.entries.get(name);
    if (!e) return undefined;
    if (e.size > limit)
      throw new ZipFormatError(
        `${name}: declares ${e.size} bytes uncompressed, more than the ${limit} byte limit for this entry`,
      );
    const buf = this.buf;
    const p = e.localOffset;
    if (p + 30 > buf.length || buf.readUInt32LE(p) !== LFH_SIG) {
      throw new ZipFormatError(`${name}: bad local header at offset ${hex(p)}`);
    }
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const end = start + e.compressedSize;
    if (end > buf.length) throw new ZipFormatError(`${name}: data truncated at offset ${hex(buf.length)}`);
    const raw = buf.subarray(start, end);
    if (e.method === 0) return raw;
    if (e.method !== 8) throw new ZipFormatError(`${name}: unsupported compression method ${e.method}`);
    let out: Buffer;
    try {
      // One byte more than declared: inflating further than that proves the size is a lie.
      out = inflateRawSync(raw, { maxOutputLength: e.size + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new ZipFormatError(
          `${name}: inflates to more than the ${e.size} bytes the central directory declares`,
        );
      throw new ZipFormatError(`${name}: corrupt deflate data (${(err as Error).message})`);
    }
    if (out.length !== e.size) {
      throw new ZipFormatError(`${name}: inflated to ${out.length} bytes, central directory says ${e.size}`);
    }
    return out;
  }
}

function findEocd(buf: Buffer): number {
  if (buf.length < EOCD_MIN) {
    throw new ZipFormatError(`not a ZIP archive (${buf.length} bytes, too short)`);
  }
  const lowest = Math.max(0, buf.length - EOCD_MIN - MAX_COMMENT);
  for (let p = buf.length - EOCD_MIN; p >= lowest; p--) {
    if (buf.readUInt32LE(p) === EOCD_SIG && p + EOCD_MIN + buf.readUInt16LE(p + 20) <= buf.length) return p;
  }
  throw new ZipFormatError('not a ZIP archive (no end-of-central-directory record)');
}
