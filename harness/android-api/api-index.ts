// The Android API index over a list of classes, and Frida-type matching: pure code with no Node
// imports, so the simulated runtime can be bundled into QuickJS (quickjs-process.ts) as well.
import type { AndroidApi, ApiClass, ApiMethod, ApiType } from './types.ts';

/** Public classes with hidden ones laid over them; only the overlay is built eagerly. */
class OverlayClasses implements ReadonlyMap<string, ApiClass> {
  constructor(
    private readonly base: ReadonlyMap<string, ApiClass>,
    private readonly overlay: ReadonlyMap<string, ApiClass>,
  ) {}

  get size(): number {
    let n = this.base.size;
    for (const k of this.overlay.keys()) if (!this.base.has(k)) n++;
    return n;
  }
  has(name: string): boolean {
    return this.overlay.has(name) || this.base.has(name);
  }
  get(name: string): ApiClass | undefined {
    return this.overlay.get(name) ?? this.base.get(name);
  }
  *keys(): MapIterator<string> {
    yield* this.base.keys();
    for (const k of this.overlay.keys()) if (!this.base.has(k)) yield k;
  }
  *entries(): MapIterator<[string, ApiClass]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }
  *values(): MapIterator<ApiClass> {
    for (const k of this.keys()) yield this.get(k)!;
  }
  forEach(fn: (value: ApiClass, key: string, map: ReadonlyMap<string, ApiClass>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, ApiClass]> {
    return this.entries();
  }
}

/**
 * Builds the AndroidApi view over the public classes (a list, or a map that may parse each class
 * on first use) with hidden classes and methods laid over them; the public map is never copied.
 */
export function buildAndroidApi(
  publicClasses: readonly ApiClass[] | ReadonlyMap<string, ApiClass>,
  hidden: readonly ApiClass[],
  hiddenMethods: readonly { className: string; methods: ApiMethod[] }[] = [],
  onUnknown?: (className: string) => void,
): AndroidApi {
  const base: ReadonlyMap<string, ApiClass> = Array.isArray(publicClasses)
    ? new Map((publicClasses as readonly ApiClass[]).map((c) => [c.name, c]))
    : (publicClasses as ReadonlyMap<string, ApiClass>);
  const overlay = new Map<string, ApiClass>();
  const current = (name: string) => overlay.get(name) ?? base.get(name);
  for (const h of hidden) {
    const existing = current(h.name);
    overlay.set(h.name, existing ? { ...existing, methods: [...existing.methods, ...h.methods] } : h);
  }
  for (const { className, methods } of hiddenMethods) {
    const existing = current(className);
    if (existing) overlay.set(className, { ...existing, methods: [...existing.methods, ...methods] });
    else onUnknown?.(className);
  }
  const classes = new OverlayClasses(base, overlay);
  const findMethods = (className: string, methodName: string): ApiMethod[] => {
    const out: ApiMethod[] = [];
    const seenSig = new Set<string>();
    const seenClass = new Set<string>();
    const queue: string[] = [className];
    while (queue.length > 0) {
      const name = queue.shift() ?? '';
      if (seenClass.has(name)) continue;
      seenClass.add(name);
      const cls = classes.get(name);
      if (!cls) continue;
      for (const m of cls.methods) {
        if (m.name !== methodName) continue;
        const sig = m.params.join(',');
        if (seenSig.has(sig)) continue; // an override: keep the nearest declaration
        seenSig.add(sig);
        out.push(m);
      }
      if (cls.superclass) queue.push(cls.superclass);
      queue.push(...cls.interfaces);
    }
    return out;
  };
  return { classes, get: (n) => classes.get(n), findMethods };
}

const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double']);
const ARRAY_CODES: Record<string, string> = {
  B: 'byte',
  S: 'short',
  I: 'int',
  J: 'long',
  F: 'float',
  D: 'double',
  C: 'char',
  Z: 'boolean',
};

/** A Frida overload type ('int', '[B', '[Ljava.lang.String;', 'a.B$C', 'java.lang.String[]') → ApiType. */
export function fridaToApiType(fridaType: string): ApiType {
  const t = fridaType.trim();
  if (t.endsWith('[]')) return `[${fridaToApiType(t.slice(0, -2))}`;
  if (t.startsWith('[')) {
    const rest = t.slice(1);
    if (rest.startsWith('[')) return `[${fridaToApiType(rest)}`;
    if (rest.startsWith('L') && rest.endsWith(';')) return `[${fridaToApiType(rest.slice(1, -1))}`;
    const prim = ARRAY_CODES[rest];
    return prim ? `[${fridaToApiType(prim)}` : `[${rest}`;
  }
  if (NUMERIC.has(t)) return 'number';
  if (t === 'char') return 'java.lang.String';
  return t;
}

const PRIMITIVE_API = new Set(['number', 'boolean', 'void']);

/**
 * Does a Frida overload type match a declared ApiType? Lossy by design: all numeric primitives
 * are 'number', char is a String, and a declared `any` ('java.lang.Object') accepts any reference.
 */
export function typeMatches(fridaType: string, apiType: ApiType): boolean {
  const want = fridaToApiType(fridaType);
  if (want === apiType) return true;
  if (apiType.startsWith('[') && want.startsWith('[')) return typeMatches(want.slice(1), apiType.slice(1));
  if (apiType === 'java.lang.Object') return !PRIMITIVE_API.has(want);
  return false;
}
