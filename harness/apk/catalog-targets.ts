// Which catalog hooks a method reference reaches. Code names the method on its static receiver
// type: `PackageManager.getInstalledPackages` reaches the hook on the concrete
// ApplicationPackageManager, `MainActivity.bindService` the one on ContextWrapper. So a
// reference to C.m matches an entry on class K for method m when C is K, an ancestor of K
// (a supertype the hooked class implements), or a subclass of K (walking the APK's own classes,
// then the Android API index). Overload-restricted entries also compare parameter types.
import { CATALOG } from '../../agent/catalog/index.ts';
import type { JavaHookEntry } from '../../agent/catalog/types.ts';
import type { AndroidApi } from '../android-api/types.ts';

/** "Lcom/foo/Bar;" → "com.foo.Bar"; arrays and primitives → their Frida spelling. */
export function descriptorToJava(desc: string): string {
  if (desc.startsWith('L') && desc.endsWith(';')) return desc.slice(1, -1).replaceAll('/', '.');
  if (desc.startsWith('[')) return desc.replaceAll('/', '.');
  return PRIMITIVES[desc] ?? desc;
}

const PRIMITIVES: Record<string, string> = {
  V: 'void',
  Z: 'boolean',
  B: 'byte',
  S: 'short',
  C: 'char',
  I: 'int',
  J: 'long',
  F: 'float',
  D: 'double',
};

/** "(Ljava/lang/String;I)V" → ["java.lang.String", "int"] (Frida overload type names). */
export function protoParams(proto: string): string[] {
  const out: string[] = [];
  const body = proto.slice(1, proto.indexOf(')'));
  let i = 0;
  while (i < body.length) {
    let j = i;
    while (body[j] === '[') j++;
    if (body[j] === 'L') j = body.indexOf(';', j);
    out.push(descriptorToJava(body.slice(i, j + 1)));
    i = j + 1;
  }
  return out;
}

export interface TargetHit {
  entry: JavaHookEntry;
}

/** Resolves method references to catalog entries; one instance per scan (it caches). */
export class CatalogTargets {
  private readonly byMethod = new Map<string, { entry: JavaHookEntry; ancestors: Set<string> }[]>();
  private readonly superCache = new Map<string, string[]>();

  constructor(
    private readonly api: AndroidApi,
    /** The APK's own classes: Java name → superclass Java name. */
    private readonly apkSupers: ReadonlyMap<string, string | null>,
    entries: readonly JavaHookEntry[] = sensitiveEntries(),
  ) {
    for (const entry of entries) {
      const name = entry.method === '$init' ? '<init>' : entry.method;
      const list = this.byMethod.get(name) ?? [];
      list.push({ entry, ancestors: this.ancestors(entry.className) });
      this.byMethod.set(name, list);
    }
  }

  /** Method names worth resolving (a fast pre-filter). */
  hasMethod(name: string): boolean {
    return this.byMethod.has(name);
  }

  /** The entries a reference to `className.method(params)` can reach. */
  resolve(className: string, method: string, params: readonly string[]): JavaHookEntry[] {
    const candidates = this.byMethod.get(method);
    if (!candidates) return [];
    const chain = this.superChain(className);
    const out: JavaHookEntry[] = [];
    for (const { entry, ancestors } of candidates) {
      if (!chain.includes(entry.className) && !ancestors.has(className)) continue;
      if (entry.overloads && !entry.overloads.some((o) => sameTypes(o, params))) continue;
      out.push(entry);
    }
    return out;
  }

  /** Like resolve() when the overload is unknown (a model call without `overload`). */
  resolveAnyOverload(className: string, method: string): JavaHookEntry[] {
    const candidates = this.byMethod.get(method) ?? [];
    const chain = this.superChain(className);
    return candidates
      .filter(({ entry, ancestors }) => chain.includes(entry.className) || ancestors.has(className))
      .map(({ entry }) => entry);
  }

  /** The class and its superclasses, the APK's classes first, then the platform's. */
  private superChain(className: string): string[] {
    const hit = this.superCache.get(className);
    if (hit) return hit;
    const chain: string[] = [];
    let c: string | null | undefined = className;
    while (c && chain.length < 64 && !chain.includes(c)) {
      chain.push(c);
      c = this.apkSupers.has(c) ? this.apkSupers.get(c) : this.api.get(c)?.superclass;
    }
    this.superCache.set(className, chain);
    return chain;
  }

  /** Every supertype (classes and interfaces) of a platform class, itself included. */
  private ancestors(className: string): Set<string> {
    const out = new Set<string>();
    const walk = (name: string) => {
      if (out.has(name)) return;
      out.add(name);
      const cls = this.api.get(name);
      if (!cls) return;
      if (cls.superclass) walk(cls.superclass);
      for (const i of cls.interfaces) walk(i);
    };
    walk(className);
    out.delete('java.lang.Object'); // every class has it: no entry is reached through Object
    return out;
  }
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => normalise(t) === normalise(b[i] ?? ''));
}

/** Frida spells object arrays "[Ljava.lang.String;" and primitive arrays "[B"; so do we. */
function normalise(t: string): string {
  return t.replaceAll('/', '.');
}

/** Catalog entries a static scan looks for: Java hooks on data, not lifecycle markers. */
export function sensitiveEntries(): JavaHookEntry[] {
  return CATALOG.filter((e): e is JavaHookEntry => e.kind === 'java' && e.category !== 'lifecycle');
}
