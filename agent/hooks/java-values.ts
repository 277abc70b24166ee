// Reading frida-java-bridge values without throwing: Java Strings are JS strings, objects expose
// their methods, fields read as `obj.field.value`, arrays are array-likes, native args are
// NativePointer-likes. Shared by every summariser module (and kept apart from them so that the
// summariser registry and its families do not import each other).

const MAX = 200;

export function cap(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

/** Calls a no-arg method if the object has it; undefined when absent or when it throws. */
export function call(obj: unknown, method: string): unknown {
  if (obj === null || obj === undefined) return undefined;
  try {
    const fn = (obj as Record<string, unknown>)[method];
    return typeof fn === 'function' ? (fn as () => unknown).call(obj) : undefined;
  } catch {
    return undefined;
  }
}

/** Calls a one-argument method; undefined when absent or when it throws. */
export function call1(obj: unknown, method: string, arg: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  try {
    const fn = (obj as Record<string, unknown>)[method];
    return typeof fn === 'function' ? (fn as (a: unknown) => unknown).call(obj, arg) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a Java field (`obj.name.value`). */
export function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  try {
    const f = (obj as Record<string, unknown>)[name];
    if (f !== null && typeof f === 'object' && 'value' in f) return (f as { value: unknown }).value;
    return f;
  } catch {
    return undefined;
  }
}

/** A Java value as a string: JS strings as they are, objects through toString(). */
export function str(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const s = call(value, 'toString');
  return typeof s === 'string' && !s.startsWith('[object ') ? s : undefined;
}

/** Array-like (Java array, JS array) → JS array; null otherwise. */
export function items(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') {
    const len = (value as { length?: unknown }).length;
    if (typeof len === 'number') return Array.from({ length: len }, (_, i) => (value as unknown[])[i]);
  }
  return null;
}

/** Size of a java.util.Collection, Java array or JS array. */
export function sizeOf(value: unknown): number | undefined {
  const n = call(value, 'size');
  if (typeof n === 'number') return n;
  return items(value)?.length;
}

/** A native char* (NativePointer-like) or a plain string (samples) → string. */
export function cString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const s = call(value, 'readUtf8String');
  return typeof s === 'string' ? s : undefined;
}

/** A native int (NativePointer-like or number) → number. */
export function cInt(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const n = call(value, 'toInt32');
  return typeof n === 'number' ? n : undefined;
}
