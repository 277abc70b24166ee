// Shared pieces of Android's binary resource format (ResourceTypes.h): chunk headers,
// string pools and typed values. Used by the AXML (manifest) and ARSC (resources) parsers.

export const RES_STRING_POOL_TYPE = 0x0001;
export const RES_TABLE_TYPE = 0x0002;
export const RES_XML_TYPE = 0x0003;
export const RES_XML_START_NAMESPACE_TYPE = 0x0100;
export const RES_XML_END_NAMESPACE_TYPE = 0x0101;
export const RES_XML_START_ELEMENT_TYPE = 0x0102;
export const RES_XML_END_ELEMENT_TYPE = 0x0103;
export const RES_XML_CDATA_TYPE = 0x0104;
export const RES_XML_RESOURCE_MAP_TYPE = 0x0180;
export const RES_TABLE_PACKAGE_TYPE = 0x0200;
export const RES_TABLE_TYPE_TYPE = 0x0201;
export const RES_TABLE_TYPE_SPEC_TYPE = 0x0202;

/** Res_value data types we interpret. */
export const TYPE_NULL = 0x00;
export const TYPE_REFERENCE = 0x01;
export const TYPE_ATTRIBUTE = 0x02;
export const TYPE_STRING = 0x03;
export const TYPE_FLOAT = 0x04;
export const TYPE_INT_DEC = 0x10;
export const TYPE_INT_HEX = 0x11;
export const TYPE_INT_BOOLEAN = 0x12;

const UTF8_FLAG = 0x100;

/** A structural problem at a byte offset inside one resource file; the caller adds the file names. */
export class ResFormatError extends Error {
  override readonly name = 'ResFormatError';
}

export const hex = (n: number): string => `0x${n.toString(16)}`;

export interface ChunkHeader {
  offset: number;
  type: number;
  headerSize: number;
  size: number;
}

/** Reads and bounds-checks the chunk header at `offset`, which must end by `limit`. */
export function readChunk(buf: Buffer, offset: number, limit: number): ChunkHeader {
  if (offset + 8 > limit) throw new ResFormatError(`truncated chunk at offset ${hex(offset)}`);
  const type = buf.readUInt16LE(offset);
  const headerSize = buf.readUInt16LE(offset + 2);
  const size = buf.readUInt32LE(offset + 4);
  if (headerSize < 8 || size < headerSize) {
    throw new ResFormatError(`bad chunk header (type ${hex(type)}) at offset ${hex(offset)}`);
  }
  if (offset + size > limit) throw new ResFormatError(`truncated chunk at offset ${hex(offset)}`);
  return { offset, type, headerSize, size };
}

/** A decoded ResStringPool; strings are decoded lazily because pools can be large. */
export class StringPool {
  private readonly cache: (string | undefined)[];
  private readonly offsets: number[] = [];
  private readonly utf8: boolean;
  private readonly stringsStart: number;

  constructor(
    private readonly buf: Buffer,
    private readonly chunk: ChunkHeader,
  ) {
    if (chunk.type !== RES_STRING_POOL_TYPE) {
      throw new ResFormatError(
        `expected string pool at offset ${hex(chunk.offset)}, got chunk type ${hex(chunk.type)}`,
      );
    }
    if (chunk.headerSize < 28)
      throw new ResFormatError(`string pool header too small at offset ${hex(chunk.offset)}`);
    const o = chunk.offset;
    const count = buf.readUInt32LE(o + 8);
    const flags = buf.readUInt32LE(o + 16);
    this.utf8 = (flags & UTF8_FLAG) !== 0;
    this.stringsStart = o + buf.readUInt32LE(o + 20);
    const idx = o + chunk.headerSize;
    if (idx + count * 4 > o + chunk.size) {
      throw new ResFormatError(`string pool at offset ${hex(o)} claims ${count} strings, more than fit`);
    }
    for (let i = 0; i < count; i++) this.offsets.push(buf.readUInt32LE(idx + i * 4));
    this.cache = new Array<string | undefined>(count);
  }

  get length(): number {
    return this.offsets.length;
  }

  /** String `i`, or null for the 0xffffffff "no string" index. */
  get(i: number): string | null {
    if (i === 0xffffffff) return null;
    if (i < 0 || i >= this.offsets.length) {
      throw new ResFormatError(
        `string index ${i} out of range (pool at ${hex(this.chunk.offset)} has ${this.length})`,
      );
    }
    const hit = this.cache[i];
    if (hit !== undefined) return hit;
    const s = this.decode(this.stringsStart + (this.offsets[i] ?? 0));
    this.cache[i] = s;
    return s;
  }

  private decode(p: number): string {
    const end = this.chunk.offset + this.chunk.size;
    const need = (q: number) => {
      if (q > end) throw new ResFormatError(`string runs past its pool at offset ${hex(p)}`);
    };
    const b = this.buf;
    if (this.utf8) {
      need(p + 2);
      // UTF-16 length first (skipped), then the UTF-8 byte length; each 1 or 2 bytes.
      p += (b[p] ?? 0) & 0x80 ? 2 : 1;
      need(p + 2);
      let len = b[p] ?? 0;
      if (len & 0x80) {
        len = ((len & 0x7f) << 8) | (b[p + 1] ?? 0);
        p += 2;
      } else p += 1;
      need(p + len);
      return b.toString('utf8', p, p + len);
    }
    need(p + 2);
    let len = b.readUInt16LE(p);
    p += 2;
    if (len & 0x8000) {
      need(p + 2);
      len = ((len & 0x7fff) << 16) | b.readUInt16LE(p);
      p += 2;
    }
    need(p + len * 2);
    return b.toString('utf16le', p, p + len * 2);
  }
}

/** A Res_value: 8 bytes (size u16, res0 u8, dataType u8, data u32). */
export interface ResValue {
  type: number;
  data: number;
}

export function readResValue(buf: Buffer, p: number): ResValue {
  return { type: buf.readUInt8(p + 3), data: buf.readUInt32LE(p + 4) };
}

/** Plain-text rendering of a non-string value, as aapt would show it. */
export function formatValue(v: ResValue): string {
  switch (v.type) {
    case TYPE_NULL:
      return '';
    case TYPE_REFERENCE:
      return `@0x${v.data.toString(16).padStart(8, '0')}`;
    case TYPE_ATTRIBUTE:
      return `?${hex(v.data)}`;
    case TYPE_INT_BOOLEAN:
      return v.data !== 0 ? 'true' : 'false';
    case TYPE_INT_HEX:
      return hex(v.data);
    case TYPE_FLOAT: {
      const f = Buffer.alloc(4);
      f.writeUInt32LE(v.data);
      return String(f.readFloatLE(0));
    }
    default:
      return String(v.data | 0);
  }
}
