// Abstract and interface methods. On ART a call never runs an abstract ArtMethod (virtual dispatch
// picks the receiver's implementation), and frida-java-bridge 7 accepts a replacement on one
// without complaint (class-factory.js patches whatever method it is given), so such a hook would
// sit "installed" and never fire. Reflection tells them apart: Class/Method.getModifiers().
import type Java from 'frida-java-bridge';

/** java.lang.reflect.Modifier.ABSTRACT / INTERFACE. */
const ABSTRACT = 0x400;
const INTERFACE = 0x200;

const cache = new Map<string, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/** "name(type,…)" with Class.getName() type names (what Frida's argument types call className). */
export function signatureKey(name: string, types: readonly string[]): string {
  return `${name}(${types.join(',')})`;
}

interface JavaArray<T> {
  length: number;
  [index: number]: T;
}

/** Signatures of the abstract methods `cls` declares (empty for a concrete class). */
export function abstractSignatures(className: string, cls: Java.Wrapper): ReadonlySet<string> {
  const hit = cache.get(className);
  if (hit) return hit;
  let out: ReadonlySet<string> = NONE;
  try {
    const klass = cls.class as Java.Wrapper;
    const modifiers = Number(klass.getModifiers());
    if ((modifiers & (ABSTRACT | INTERFACE)) !== 0) {
      const found = new Set<string>();
      const methods = klass.getDeclaredMethods() as JavaArray<Java.Wrapper>;
      for (let i = 0; i < methods.length; i++) {
        const m = methods[i] as Java.Wrapper;
        if ((Number(m.getModifiers()) & ABSTRACT) === 0) continue;
        const params = m.getParameterTypes() as JavaArray<Java.Wrapper>;
        const types: string[] = [];
        for (let j = 0; j < params.length; j++) types.push(String((params[j] as Java.Wrapper).getName()));
        found.add(signatureKey(String(m.getName()), types));
      }
      out = found;
    }
  } catch {
    out = NONE; // reflection unavailable: treat as concrete (the old behaviour)
  }
  cache.set(className, out);
  return out;
}
