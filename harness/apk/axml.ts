// Android binary XML (AXML) parser: the compiled AndroidManifest.xml inside an APK.
// Attributes carry both a name string and, via the resource map, the framework attribute id;
// like the platform we trust the id when present (obfuscators blank out attribute names).
import {
  type ChunkHeader,
  formatValue,
  hex,
  RES_STRING_POOL_TYPE,
  RES_XML_CDATA_TYPE,
  RES_XML_END_ELEMENT_TYPE,
  RES_XML_END_NAMESPACE_TYPE,
  RES_XML_RESOURCE_MAP_TYPE,
  RES_XML_START_ELEMENT_TYPE,
  RES_XML_START_NAMESPACE_TYPE,
  RES_XML_TYPE,
  ResFormatError,
  type ResValue,
  readChunk,
  readResValue,
  StringPool,
  TYPE_STRING,
} from './res-chunks.ts';

export const ANDROID_NS = 'http://schemas.android.com/apk/res/android';

export interface XmlAttribute {
  ns: string | null;
  name: string;
  /** Framework attribute id from the resource map (e.g. 0x01010003 for android:name), or 0. */
  resId: number;
  /** The raw string if the attribute was compiled as a string. */
  raw: string | null;
  value: ResValue;
}

export interface XmlElement {
  ns: string | null;
  name: string;
  line: number;
  attributes: XmlAttribute[];
  children: XmlElement[];
}

export function parseAxml(buf: Buffer): XmlElement {
  if (buf.length >= 2 && buf.readUInt16LE(0) !== RES_XML_TYPE) {
    const what = buf[0] === 0x3c ? 'plain-text XML' : `chunk type ${hex(buf.readUInt16LE(0))}`;
    throw new ResFormatError(`not binary XML (${what} at offset 0x0)`);
  }
  const top = readChunk(buf, 0, buf.length);
  const end = top.size;
  let pool: StringPool | undefined;
  let resMap: number[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let p = top.headerSize;
  while (p < end) {
    const c = readChunk(buf, p, end);
    switch (c.type) {
      case RES_STRING_POOL_TYPE:
        pool = new StringPool(buf, c);
        break;
      case RES_XML_RESOURCE_MAP_TYPE:
        resMap = readResourceMap(buf, c);
        break;
      case RES_XML_START_NAMESPACE_TYPE:
      case RES_XML_END_NAMESPACE_TYPE:
      case RES_XML_CDATA_TYPE:
        break;
      case RES_XML_START_ELEMENT_TYPE: {
        if (!pool) throw new ResFormatError(`element before string pool at offset ${hex(p)}`);
        const el = readStartElement(buf, c, pool, resMap);
        const parent = stack.at(-1);
        if (parent) parent.children.push(el);
        else if (root) throw new ResFormatError(`second root element at offset ${hex(p)}`);
        else root = el;
        stack.push(el);
        break;
      }
      case RES_XML_END_ELEMENT_TYPE:
        if (!stack.pop()) throw new ResFormatError(`unbalanced end element at offset ${hex(p)}`);
        break;
      default:
        // Unknown chunks are skipped, as the platform's ResXMLParser does.
        break;
    }
    p += c.size;
  }
  if (!root) throw new ResFormatError('no root element');
  if (stack.length > 0) throw new ResFormatError(`element <${stack.at(-1)?.name}> is never closed`);
  return root;
}

function readResourceMap(buf: Buffer, c: ChunkHeader): number[] {
  const ids: number[] = [];
  for (let q = c.offset + c.headerSize; q + 4 <= c.offset + c.size; q += 4) ids.push(buf.readUInt32LE(q));
  return ids;
}

function readStartElement(buf: Buffer, c: ChunkHeader, pool: StringPool, resMap: number[]): XmlElement {
  const ext = c.offset + c.headerSize;
  const chunkEnd = c.offset + c.size;
  if (c.headerSize < 16 || ext + 20 > chunkEnd) {
    throw new ResFormatError(`truncated start element at offset ${hex(c.offset)}`);
  }
  const line = buf.readUInt32LE(c.offset + 8);
  const ns = pool.get(buf.readUInt32LE(ext));
  const name = pool.get(buf.readUInt32LE(ext + 4)) ?? '';
  const attrStart = buf.readUInt16LE(ext + 8);
  const attrSize = buf.readUInt16LE(ext + 10);
  const attrCount = buf.readUInt16LE(ext + 12);
  if (attrCount > 0 && attrSize < 20) {
    throw new ResFormatError(`bad attribute size ${attrSize} in <${name}> at offset ${hex(c.offset)}`);
  }
  if (ext + attrStart + attrCount * attrSize > chunkEnd) {
    throw new ResFormatError(`attributes of <${name}> run past the chunk at offset ${hex(c.offset)}`);
  }
  const attributes: XmlAttribute[] = [];
  for (let i = 0; i < attrCount; i++) {
    const a = ext + attrStart + i * attrSize;
    const nameIdx = buf.readUInt32LE(a + 4);
    const value = readResValue(buf, a + 12);
    const raw = pool.get(buf.readUInt32LE(a + 8));
    attributes.push({
      ns: pool.get(buf.readUInt32LE(a)),
      name: pool.get(nameIdx) ?? '',
      resId: nameIdx < resMap.length ? (resMap[nameIdx] ?? 0) : 0,
      raw: raw ?? (value.type === TYPE_STRING ? pool.get(value.data) : null),
      value,
    });
  }
  return { ns, name, line, attributes, children: [] };
}

/** Finds an attribute by framework id (preferred) or by android-namespace name. */
export function attr(el: XmlElement, resId: number, name: string): XmlAttribute | undefined {
  return (
    el.attributes.find((a) => a.resId === resId) ??
    el.attributes.find((a) => a.name === name && (a.ns === ANDROID_NS || a.ns === null))
  );
}

/** An attribute's value as text (strings raw, others formatted), or undefined if absent. */
export function attrText(el: XmlElement, resId: number, name: string): string | undefined {
  const a = attr(el, resId, name);
  if (!a) return undefined;
  return a.raw ?? formatValue(a.value);
}
