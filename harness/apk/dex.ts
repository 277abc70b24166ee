// A DEX reader (dex 035–041): classes, their methods, and the method references each method's
// code invokes (walked on demand: DexFile.invokes / eachInvoke). Enough for a static scan of what an APK *could* call; validated against
// Debian's dexdump (test/dex-reader.test.ts). Layout: source.android.com/docs/core/runtime/dex-format.
// Strings and method references are decoded lazily (a 30 MB APK has ~10^6 of them).
import { invokesMethod, OPCODE_WIDTH, payloadWidth } from './dex-opcodes.ts';

/** Thrown for structural problems; the caller adds the file name. */
export class DexFormatError extends Error {
  override readonly name = 'DexFormatError';
}

export interface DexMethod {
  /** Index into the file's method_ids (name and signature: DexFile.methodRef). */
  methodIdx: number;
  accessFlags: number;
  /** Offset of the code_item; 0 for abstract/native methods. Read with DexFile.invokes(). */
  codeOff: number;
}

export interface DexClass {
  /** Type descriptor: "Lcom/foo/Bar;". */
  descriptor: string;
  superclass: string | null;
  accessFlags: number;
  methods: DexMethod[];
}

const NO_INDEX = 0xffffffff;
const hex = (n: number) => `0x${n.toString(16)}`;

export class DexFile {
  readonly version: string;
  readonly stringCount: number;
  readonly typeCount: number;
  readonly methodCount: number;
  readonly classDefCount: number;
  private readonly stringIdsOff: number;
  private readonly typeIdsOff: number;
  private readonly protoIdsOff: number;
  private readonly methodIdsOff: number;
  private readonly classDefsOff: number;
  private readonly strings: (string | undefined)[];
  private readonly protos = new Map<number, string>();
  private parsedClasses: DexClass[] | undefined;
  private readonly units: Uint16Array;

  constructor(private readonly buf: Buffer) {
    if (buf.length < 0x70) throw new DexFormatError(`too short for a DEX header (${buf.length} bytes)`);
    const magic = buf.toString('latin1', 0, 8);
    if (!/^dex\n0(3[5-9]|4[01])\0$/.test(magic)) throw new DexFormatError('bad DEX magic');
    this.version = magic.slice(4, 7);
    if (buf.readUInt32LE(0x28) !== 0x12345678) throw new DexFormatError('unsupported endianness');
    const table = (at: number, entry: number, what: string): [number, number] => {
      const size = buf.readUInt32LE(at);
      const off = buf.readUInt32LE(at + 4);
      if (size > 0 && (off < 0x70 || off + size * entry > buf.length)) {
        throw new DexFormatError(`${what} table (${size} at ${hex(off)}) runs past the end`);
      }
      return [size, off];
    };
    [this.stringCount, this.stringIdsOff] = table(0x38, 4, 'string_ids');
    [this.typeCount, this.typeIdsOff] = table(0x40, 4, 'type_ids');
    [, this.protoIdsOff] = table(0x48, 12, 'proto_ids');
    [this.methodCount, this.methodIdsOff] = table(0x58, 8, 'method_ids');
    [this.classDefCount, this.classDefsOff] = table(0x60, 32, 'class_defs');
    this.strings = new Array(this.stringCount);
    this.units = codeUnits(buf);
  }

  private u32(off: number): number {
    if (off + 4 > this.buf.length) throw new DexFormatError(`read past the end at ${hex(off)}`);
    return this.buf.readUInt32LE(off);
  }

  string(i: number): string {
    if (i >= this.stringCount) throw new DexFormatError(`string index ${i} out of range`);
    const cached = this.strings[i];
    if (cached !== undefined) return cached;
    let p = this.u32(this.stringIdsOff + i * 4);
    // uleb128 utf16 length, then MUTF-8 bytes up to a NUL.
    while (p < this.buf.length && (this.buf[p] ?? 0) & 0x80) p++;
    p++;
    const s = decodeMutf8(this.buf, p);
    this.strings[i] = s;
    return s;
  }

  type(i: number): string {
    if (i >= this.typeCount) throw new DexFormatError(`type index ${i} out of range`);
    return this.string(this.u32(this.typeIdsOff + i * 4));
  }

  /** "(Ljava/lang/String;I)V" for proto `i`. */
  proto(i: number): string {
    const hit = this.protos.get(i);
    if (hit !== undefined) return hit;
    const at = this.protoIdsOff + i * 12;
    const ret = this.type(this.u32(at + 4));
    const paramsOff = this.u32(at + 8);
    let params = '';
    if (paramsOff !== 0) {
      const n = this.u32(paramsOff);
      if (paramsOff + 4 + n * 2 > this.buf.length)
        throw new DexFormatError(`type_list at ${hex(paramsOff)} truncated`);
      for (let k = 0; k < n; k++) params += this.type(this.buf.readUInt16LE(paramsOff + 4 + k * 2));
    }
    const s = `(${params})${ret}`;
    this.protos.set(i, s);
    return s;
  }

  private checkMethod(i: number): number {
    if (i >= this.methodCount) throw new DexFormatError(`method index ${i} out of range`);
    return this.methodIdsOff + i * 8;
  }

  /** Declaring class descriptor of method_ids[i]. */
  methodClass(i: number): string {
    return this.type(this.buf.readUInt16LE(this.checkMethod(i)));
  }

  methodName(i: number): string {
    return this.string(this.u32(this.checkMethod(i) + 4));
  }

  methodProto(i: number): string {
    return this.proto(this.buf.readUInt16LE(this.checkMethod(i) + 2));
  }

  /** dexdump's spelling: "Landroid/app/Activity;.finish:()V". */
  methodRef(i: number): string {
    return `${this.methodClass(i)}.${this.methodName(i)}:${this.methodProto(i)}`;
  }

  /** Every class defined in this file, with its methods and their invoked references. */
  classes(): DexClass[] {
    this.parsedClasses ??= this.parseClasses();
    return this.parsedClasses;
  }

  private parseClasses(): DexClass[] {
    const out: DexClass[] = [];
    for (let c = 0; c < this.classDefCount; c++) {
      const at = this.classDefsOff + c * 32;
      const superIdx = this.u32(at + 8);
      const cls: DexClass = {
        descriptor: this.type(this.u32(at)),
        accessFlags: this.u32(at + 4),
        superclass: superIdx === NO_INDEX ? null : this.type(superIdx),
        methods: [],
      };
      const dataOff = this.u32(at + 24);
      if (dataOff !== 0) this.parseClassData(dataOff, cls);
      out.push(cls);
    }
    return out;
  }

  private parseClassData(off: number, cls: DexClass): void {
    const r = new Uleb(this.buf, off);
    const staticFields = r.next();
    const instanceFields = r.next();
    const direct = r.next();
    const virtual = r.next();
    for (let k = 0; k < (staticFields + instanceFields) * 2; k++) r.next();
    for (const count of [direct, virtual]) {
      let idx = 0;
      for (let k = 0; k < count; k++) {
        idx += r.next();
        const accessFlags = r.next();
        const codeOff = r.next();
        cls.methods.push({ methodIdx: idx, accessFlags, codeOff });
      }
    }
  }

  /** method_ids indices the method's code invokes, in code order (empty without code). */
  invokes(m: DexMethod): number[] {
    const out: number[] = [];
    this.eachInvoke(m, (idx) => out.push(idx));
    return out;
  }

  /** Calls `fn` with each method_ids index the method's code invokes (no allocation per method). */
  eachInvoke(m: DexMethod, fn: (methodIdx: number) => void): void {
    const codeOff = m.codeOff;
    if (codeOff === 0) return;
    const buf = this.buf;
    if (codeOff + 16 > buf.length || codeOff % 2 !== 0)
      throw new DexFormatError(`code_item at ${hex(codeOff)} truncated or misaligned`);
    const units = buf.readUInt32LE(codeOff + 12);
    const start = (codeOff + 16) / 2;
    if ((start + units) * 2 > buf.length)
      throw new DexFormatError(`code at ${hex(codeOff)} runs past the end`);
    const code = this.units;
    let i = 0;
    while (i < units) {
      const unit = code[start + i] ?? 0;
      const op = unit & 0xff;
      if (op === 0 && unit !== 0) {
        const w = payloadWidth(code, start + i);
        if (w > 0) {
          i += w;
          continue;
        }
      }
      if (invokesMethod(op) && i + 1 < units) fn(code[start + i + 1] ?? 0);
      i += OPCODE_WIDTH[op] ?? 1;
    }
  }
}

/** The file as 16-bit little-endian code units (copied when the bytes are not 2-aligned). */
function codeUnits(buf: Buffer): Uint16Array {
  const aligned = buf.byteOffset % 2 === 0 ? buf : Buffer.from(buf);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    // Big-endian host: decode explicitly.
    const out = new Uint16Array(buf.length >> 1);
    for (let k = 0; k < out.length; k++) out[k] = buf.readUInt16LE(k * 2);
    return out;
  }
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length >> 1);
}

/** Sequential uleb128 reader with bounds checks. */
class Uleb {
  constructor(
    private readonly buf: Buffer,
    private p: number,
  ) {}
  next(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.p >= this.buf.length) throw new DexFormatError(`uleb128 runs past the end at ${hex(this.p)}`);
      const b = this.buf[this.p++] ?? 0;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new DexFormatError(`uleb128 too long at ${hex(this.p)}`);
  }
}

/** Modified UTF-8 (NUL as C0 80, supplementary characters as surrogate pairs) up to a NUL byte. */
export function decodeMutf8(buf: Buffer, start: number): string {
  let p = start;
  let ascii = true;
  while (p < buf.length && buf[p] !== 0) {
    if ((buf[p] ?? 0) & 0x80) ascii = false;
    p++;
  }
  if (ascii) return buf.toString('latin1', start, p);
  const units: number[] = [];
  for (let q = start; q < p; ) {
    const a = buf[q++] ?? 0;
    if (a < 0x80) units.push(a);
    else if ((a & 0xe0) === 0xc0) units.push(((a & 0x1f) << 6) | ((buf[q++] ?? 0) & 0x3f));
    else units.push(((a & 0x0f) << 12) | (((buf[q++] ?? 0) & 0x3f) << 6) | ((buf[q++] ?? 0) & 0x3f));
  }
  let s = '';
  for (let k = 0; k < units.length; k += 4096) s += String.fromCharCode(...units.slice(k, k + 4096));
  return s;
}

/** Parses DEX bytes; errors name `file`. */
export function readDex(buf: Buffer, file: string): DexFile {
  try {
    return new DexFile(buf);
  } catch (err) {
    if (err instanceof DexFormatError) throw new DexFormatError(`${file}: ${err.message}`);
    throw err;
  }
}

/** The classes*.dex entry names of an APK in load order: classes.dex, classes2.dex, … */
export function dexEntryNames(names: Iterable<string>): string[] {
  const nums: number[] = [];
  for (const n of names) {
    const m = /^classes(\d*)\.dex$/.exec(n);
    if (m) nums.push(m[1] === '' ? 1 : Number(m[1]));
  }
  return nums.sort((a, b) => a - b).map((k) => (k === 1 ? 'classes.dex' : `classes${k}.dex`));
}
