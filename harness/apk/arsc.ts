// resources.arsc reader: just enough to resolve a resource id to its value in the default
// configuration (e.g. the application label @string/app_name). Entries with no default value
// fall back to the first configuration that has one, which is what aapt's badging does too.
import {
  type ChunkHeader,
  hex,
  RES_STRING_POOL_TYPE,
  RES_TABLE_PACKAGE_TYPE,
  RES_TABLE_TYPE,
  RES_TABLE_TYPE_TYPE,
  ResFormatError,
  type ResValue,
  readChunk,
  readResValue,
  StringPool,
  TYPE_REFERENCE,
  TYPE_STRING,
} from './res-chunks.ts';

const NO_ENTRY = 0xffffffff;
const FLAG_COMPLEX = 0x0001;
const FLAG_COMPACT = 0x0008;
const TYPE_FLAG_SPARSE = 0x01;
const TYPE_FLAG_OFFSET16 = 0x02;

interface TypeChunk {
  chunk: ChunkHeader;
  entryCount: number;
  entriesStart: number;
  flags: number;
  isDefault: boolean;
}

interface PackageInfo {
  id: number;
  name: string;
  /** Type chunks by type id (1-based), default config first. */
  types: Map<number, TypeChunk[]>;
}

export class ResourceTable {
  private readonly globalPool: StringPool;
  private readonly packages = new Map<number, PackageInfo>();

  constructor(private readonly buf: Buffer) {
    const top = readChunk(buf, 0, buf.length);
    if (top.type !== RES_TABLE_TYPE)
      throw new ResFormatError(`not a resource table (chunk type ${hex(top.type)})`);
    let pool: StringPool | undefined;
    for (let p = top.headerSize; p < top.size; ) {
      const c = readChunk(buf, p, top.size);
      if (c.type === RES_STRING_POOL_TYPE && !pool) pool = new StringPool(buf, c);
      else if (c.type === RES_TABLE_PACKAGE_TYPE) this.readPackage(c);
      p += c.size;
    }
    if (!pool) throw new ResFormatError('resource table has no global string pool');
    this.globalPool = pool;
  }

  private readPackage(c: ChunkHeader): void {
    const b = this.buf;
    if (c.headerSize < 284) throw new ResFormatError(`package header too small at offset ${hex(c.offset)}`);
    const id = b.readUInt32LE(c.offset + 8);
    const name = b.toString('utf16le', c.offset + 12, c.offset + 12 + 256).replace(/\0.*$/s, '');
    const pkg: PackageInfo = this.packages.get(id) ?? { id, name, types: new Map() };
    const end = c.offset + c.size;
    for (let p = c.offset + c.headerSize; p < end; ) {
      const t = readChunk(b, p, end);
      if (t.type === RES_TABLE_TYPE_TYPE) {
        if (t.headerSize < 20 + 4)
          throw new ResFormatError(`type chunk header too small at offset ${hex(p)}`);
        const typeId = b.readUInt8(p + 8);
        const configSize = b.readUInt32LE(p + 20);
        const configEnd = Math.min(p + 20 + configSize, p + t.headerSize);
        let isDefault = true;
        for (let q = p + 24; q < configEnd; q++) if (b[q] !== 0) isDefault = false;
        const tc: TypeChunk = {
          chunk: t,
          flags: b.readUInt8(p + 9),
          entryCount: b.readUInt32LE(p + 12),
          entriesStart: b.readUInt32LE(p + 16),
          isDefault,
        };
        const list = pkg.types.get(typeId) ?? [];
        if (isDefault) list.unshift(tc);
        else list.push(tc);
        pkg.types.set(typeId, list);
      }
      p += t.size;
    }
    this.packages.set(id, pkg);
  }

  /** The value of resource `id` in the default configuration (first available otherwise). */
  lookup(id: number): ResValue | undefined {
    const pkg = this.packages.get(id >>> 24);
    const chunks = pkg?.types.get((id >>> 16) & 0xff);
    if (!chunks) return undefined;
    const index = id & 0xffff;
    for (const tc of chunks) {
      const v = this.entryValue(tc, index);
      if (v) return v;
    }
    return undefined;
  }

  /**
   * Resolves `id` to a string, following references (bounded); undefined if it is not a string
   * or the table is damaged there (a broken resource table must not fail the manifest).
   */
  resolveString(id: number): string | undefined {
    try {
      return this.resolveStringUnsafe(id);
    } catch {
      return undefined;
    }
  }

  private resolveStringUnsafe(id: number): string | undefined {
    let cur = id;
    for (let depth = 0; depth < 8; depth++) {
      const v = this.lookup(cur);
      if (!v) return undefined;
      if (v.type === TYPE_STRING) return this.globalPool.get(v.data) ?? undefined;
      if (v.type !== TYPE_REFERENCE) return undefined;
      cur = v.data;
    }
    return undefined;
  }

  private entryValue(tc: TypeChunk, index: number): ResValue | undefined {
    const b = this.buf;
    const o = tc.chunk.offset;
    const offsetsAt = o + tc.chunk.headerSize;
    let entryOffset: number | undefined;
    if (tc.flags & TYPE_FLAG_SPARSE) {
      // Sorted (u16 index, u16 offset/4) pairs.
      for (let i = 0; i < tc.entryCount; i++) {
        const q = offsetsAt + i * 4;
        if (q + 4 > o + tc.chunk.size) break;
        if (b.readUInt16LE(q) === index) {
          entryOffset = b.readUInt16LE(q + 2) * 4;
          break;
        }
      }
    } else {
      if (index >= tc.entryCount) return undefined;
      if (tc.flags & TYPE_FLAG_OFFSET16) {
        const raw = b.readUInt16LE(offsetsAt + index * 2);
        entryOffset = raw === 0xffff ? undefined : raw * 4;
      } else {
        const raw = b.readUInt32LE(offsetsAt + index * 4);
        entryOffset = raw === NO_ENTRY ? undefined : raw;
      }
    }
    if (entryOffset === undefined) return undefined;
    const e = o + tc.entriesStart + entryOffset;
    if (e + 8 > o + tc.chunk.size)
      throw new ResFormatError(`entry ${index} runs past its type chunk at ${hex(e)}`);
    const flags = b.readUInt16LE(e + 2);
    if (flags & FLAG_COMPACT) return { type: flags >>> 8, data: b.readUInt32LE(e + 4) };
    if (flags & FLAG_COMPLEX) return undefined;
    const size = b.readUInt16LE(e);
    if (e + size + 8 > o + tc.chunk.size) {
      throw new ResFormatError(`value of entry ${index} runs past its type chunk at ${hex(e)}`);
    }
    return readResValue(b, e + size);
  }
}
