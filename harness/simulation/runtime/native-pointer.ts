// NativePointer-likes for simulated native calls: a C string pointer reads back its text
// (readUtf8String/readCString, add(n) skips bytes), an int reads back with toInt32().
import type { SampleValue } from '../../../agent/catalog/types.ts';

let nextAddress = 0x7000_0000;

export class SimPointer {
  readonly address: number;
  constructor(
    private readonly text: string | null,
    private readonly int: number,
    address?: number,
  ) {
    if (address === undefined && text !== null) nextAddress += 0x100;
    this.address = address ?? (text !== null ? nextAddress : int);
  }
  static of(value: SampleValue | undefined): SimPointer {
    if (typeof value === 'string') return new SimPointer(value, 0);
    if (typeof value === 'number') return new SimPointer(null, value);
    if (typeof value === 'boolean') return new SimPointer(null, value ? 1 : 0);
    return new SimPointer(null, 0);
  }
  readUtf8String(): string | null {
    if (this.text === null && this.int === 0) throw new Error('access violation accessing 0x0');
    return this.text;
  }
  /** The C string this points to, or null (no access violation for non-string pointers). */
  readUtf8StringSafe(): string | null {
    return this.text;
  }
  /** The C string's UTF-8 bytes (a device reads raw memory; the text is all the sim holds). */
  readByteArray(n: number): ArrayBuffer | null {
    if (this.text === null) return null;
    const bytes = new TextEncoder().encode(this.text).slice(0, n);
    return bytes.buffer;
  }
  readCString(): string | null {
    return this.readUtf8String();
  }
  toInt32(): number {
    return this.int | 0;
  }
  toUInt32(): number {
    return this.int >>> 0;
  }
  isNull(): boolean {
    return this.address === 0;
  }
  add(n: number): SimPointer {
    return this.text !== null
      ? new SimPointer(this.text.slice(n), 0, this.address + n)
      : new SimPointer(null, this.int + n);
  }
  /** NativePointer.compare: -1, 0 or 1 by address. */
  compare(other: SimPointer | number): number {
    const a = typeof other === 'number' ? other : other.address;
    return this.address === a ? 0 : this.address < a ? -1 : 1;
  }
  equals(other: unknown): boolean {
    return other instanceof SimPointer && other.address === this.address;
  }
  toString(): string {
    return `0x${this.address.toString(16)}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** onLeave's retval: a pointer whose value the hook may replace. */
export class SimReturnValue extends SimPointer {
  replaced: SimPointer | undefined;
  replace(value: SimPointer | number): void {
    this.replaced = typeof value === 'number' ? new SimPointer(null, value) : value;
  }
}
