// Line-based parser for the NativeScript Android declarations (android-platform-21-37-merged.d.ts).
// The file is machine-generated with a very regular shape (one member per line, JSDoc before
// members, interfaces as classes with an `implementation: {…}` constructor), so a brace-tracking
// line scanner is enough and parses 10 MB in well under a second — the TypeScript compiler API
// takes several seconds on it.
import type { ApiClass, ApiMethod, ApiType } from './types.ts';

/** Bump when the parser output changes so stale caches are rebuilt. */
export const PARSER_VERSION = 5;

interface RawClass {
  dotted: string;
  superclass: string | null;
  interfaces: string[];
  isInterface: boolean;
  isAbstract: boolean;
  since?: number;
  typeParams: string[];
  library?: string;
  methods: RawMethod[];
  constructors: RawMethod[];
}

interface RawMethod {
  name: string;
  params: string[];
  returns: string;
  isStatic: boolean;
  since?: number;
  deprecatedIn?: number;
  removedIn?: number;
}

type Scope = { kind: 'module'; name: string } | { kind: 'class'; cls: RawClass } | { kind: 'other' };

interface Doc {
  since?: number;
  deprecatedIn?: number;
  removedIn?: number;
  iface: boolean;
}

const CLASS_RE =
  /^export (abstract )?class ([A-Za-z_$][\w$]*)\s*(<.*?>)?\s*(?:extends ([\w$.<>, ]+?))?\s*(?:implements ([\w$.<>, ]+?))?\s*\{$/;
const MODULE_RE = /^(?:declare |export )module ([\w$.]+) \{$/;
const METHOD_RE = /^public (static )?(?:abstract )?([A-Za-z_$][\w$]*)\((.*)\)(?:: (.+))?;$/;

/** Removes generic arguments, including nested ones: `a.B<c.D<E>, F>` → `a.B`. */
export function stripGenerics(text: string): string {
  let out = text;
  for (;;) {
    const next = out.replace(/<[^<>]*>/g, '');
    if (next === out) return out;
    out = next;
  }
}

/** Splits a parameter list on top-level commas (generics may contain commas). */
function splitParams(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '<' || ch === '(' || ch === '{') depth++;
    else if (ch === '>' || ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') parts.push(last);
  return parts.map((p) => p.trim());
}

/** A TypeScript type as written in the declarations → dotted ApiType (binary names fixed later). */
export function normaliseTsType(raw: string, typeParams: ReadonlySet<string>): ApiType {
  let t = raw
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\s*\|\s*null\b/g, '')
    .replace(/\bglobalAndroid\./g, 'android.')
    .trim();
  const arr = /^androidNative\.Array<(.*)>$/.exec(t);
  if (arr) return `[${normaliseTsType(arr[1] ?? 'any', typeParams)}`;
  if (t.endsWith('[]')) return `[${normaliseTsType(t.slice(0, -2), typeParams)}`;
  t = stripGenerics(t).trim();
  switch (t) {
    case 'number':
    case 'boolean':
    case 'void':
      return t;
    case 'string':
      return 'java.lang.String';
    case 'any':
    case 'unknown':
    case 'object':
    case '':
      return 'java.lang.Object';
  }
  if (typeParams.has(t) || !/^[\w$.]+$/.test(t)) return 'java.lang.Object';
  // A bare single identifier that is no declared type is a type variable (erased to Object).
  if (!t.includes('.')) return 'java.lang.Object';
  return t;
}

function readDoc(comment: string, doc: Doc): void {
  const since = /@since (\d+)/.exec(comment);
  if (since) doc.since = Number(since[1]);
  const dep = /@deprecated Deprecated in API (\d+)/.exec(comment);
  if (dep) doc.deprecatedIn = Number(dep[1]);
  const removed = /@deprecated Removed in API (\d+)/.exec(comment);
  if (removed) doc.removedIn = Number(removed[1]);
  if (/Constructs a new instance of the .* interface with the provided implementation/.test(comment)) {
    doc.iface = true;
  }
}

/** Counts braces outside string literals. */
function braceDelta(line: string): number {
  const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  let d = 0;
  for (const ch of code) {
    if (ch === '{') d++;
    else if (ch === '}') d--;
  }
  return d;
}

/** Parses the declarations text into classes keyed by binary name. */
export function parseDeclarations(sources: string | readonly DeclarationSource[]): Map<string, ApiClass> {
  const raw = new Map<string, RawClass>();
  const list = typeof sources === 'string' ? [{ text: sources }] : sources;
  for (const source of list) parseInto(raw, source);
  return resolveBinaryNames(raw);
}

export interface DeclarationSource {
  text: string;
  /** Set for declarations of a bundled library rather than the platform (e.g. 'androidx'). */
  library?: string;
}

function parseInto(raw: Map<string, RawClass>, source: DeclarationSource): void {
  const stack: Scope[] = [];
  let doc: Doc = { iface: false };
  let inComment = false;
  let comment = '';

  const dottedPrefix = (): string[] => {
    const parts: string[] = [];
    for (const s of stack) {
      if (s.kind === 'module') parts.push(...s.name.split('.'));
      else if (s.kind === 'class') parts.push(s.cls.dotted.split('.').pop() ?? '');
    }
    return parts;
  };
  const currentClass = (): RawClass | undefined => {
    const top = stack[stack.length - 1];
    return top?.kind === 'class' ? top.cls : undefined;
  };

  for (const rawLine of source.text.split('\n')) {
    const line = rawLine.trim();
    if (inComment) {
      comment += ` ${line}`;
      if (line.includes('*/')) {
        inComment = false;
        readDoc(comment, doc);
        // A JSDoc inside a class body marks the class an interface, not the next member.
      }
      continue;
    }
    if (line.startsWith('/*')) {
      comment = line;
      if (line.includes('*/')) readDoc(comment, doc);
      else inComment = true;
      continue;
    }
    if (line === '' || line.startsWith('//') || line.startsWith('///')) continue;
    if (line.startsWith('}')) {
      const delta = braceDelta(line);
      for (let i = 0; i > delta; i--) stack.pop();
      doc = { iface: false };
      continue;
    }
    const mod = MODULE_RE.exec(line);
    if (mod) {
      stack.push({ kind: 'module', name: mod[1] ?? '' });
      doc = { iface: false };
      continue;
    }
    const cls = CLASS_RE.exec(line.replace(/\s*\/\*.*?\*\//g, ''));
    if (cls) {
      const dotted = [...dottedPrefix(), cls[2] ?? ''].join('.');
      const typeParams = cls[3]
        ? stripGenerics(cls[3].slice(1, -1).replace(/<[^<>]*>/g, ''))
            .split(',')
            .map((p) => p.trim().split(/\s/)[0] ?? '')
        : [];
      const tp = new Set(typeParams);
      const sup = cls[4] ? normaliseTsType(cls[4], tp) : null;
      const ifaces = cls[5] ? splitParams(cls[5]).map((i) => normaliseTsType(i, tp)) : [];
      const existing = raw.get(dotted);
      const entry: RawClass = existing ?? {
        dotted,
        superclass: sup,
        interfaces: ifaces,
        isInterface: false,
        isAbstract: cls[1] !== undefined,
        typeParams,
        methods: [],
        constructors: [],
      };
      if (doc.since !== undefined && entry.since === undefined) entry.since = doc.since;
      if (!existing && source.library !== undefined) entry.library = source.library;
      raw.set(dotted, entry);
      stack.push({ kind: 'class', cls: entry });
      doc = { iface: false };
      continue;
    }
    const owner = currentClass();
    const delta = braceDelta(line);
    if (owner && delta === 0 && line.startsWith('public ')) {
      const m = METHOD_RE.exec(line);
      if (m) {
        const tp = new Set(owner.typeParams);
        const name = m[2] ?? '';
        const params = splitParams(m[3] ?? '').map((p) => {
          const colon = p.indexOf(':');
          return normaliseTsType(colon >= 0 ? p.slice(colon + 1) : 'any', tp);
        });
        const method: RawMethod = {
          name,
          params,
          returns: m[4] ? normaliseTsType(m[4], tp) : 'void',
          isStatic: m[1] !== undefined,
        };
        if (doc.since !== undefined) method.since = doc.since;
        if (doc.deprecatedIn !== undefined) method.deprecatedIn = doc.deprecatedIn;
        if (doc.removedIn !== undefined) method.removedIn = doc.removedIn;
        if (name === 'constructor') owner.constructors.push(method);
        else owner.methods.push(method);
      }
    }
    if (owner && doc.iface) owner.isInterface = true;
    if (delta > 0) {
      // `public constructor(implementation: {` of an interface: its body repeats the methods.
      for (let i = 0; i < delta; i++) stack.push({ kind: 'other' });
    } else if (delta < 0) {
      for (let i = 0; i > delta; i--) stack.pop();
    }
    doc = { iface: false };
  }
}

/** Dotted names → binary names: the first segment that is a declared class starts the `$` part. */
function resolveBinaryNames(raw: Map<string, RawClass>): Map<string, ApiClass> {
  const memo = new Map<string, string>();
  const toBinary = (t: ApiType): ApiType => {
    if (t.startsWith('[')) return `[${toBinary(t.slice(1))}`;
    if (!t.includes('.') || t === 'java.lang.String' || t === 'java.lang.Object') return t;
    const hit = memo.get(t);
    if (hit !== undefined) return hit;
    const segs = t.split('.');
    let classAt = -1;
    for (let k = 1; k <= segs.length; k++) {
      if (raw.has(segs.slice(0, k).join('.'))) {
        classAt = k;
        break;
      }
    }
    if (classAt < 0) {
      // Not declared here (androidx, removed types): first capitalised segment is the class.
      const cap = segs.findIndex((s) => /^[A-Z]/.test(s));
      classAt = cap < 0 ? segs.length : cap + 1;
    }
    const bin =
      segs.slice(0, classAt).join('.') +
      segs
        .slice(classAt)
        .map((s) => `$${s}`)
        .join('');
    memo.set(t, bin);
    return bin;
  };
  const fix = (m: RawMethod): ApiMethod => {
    const out: ApiMethod = {
      name: m.name,
      params: m.params.map(toBinary),
      returns: toBinary(m.returns),
      isStatic: m.isStatic,
    };
    if (m.since !== undefined) out.since = m.since;
    if (m.deprecatedIn !== undefined) out.deprecatedIn = m.deprecatedIn;
    if (m.removedIn !== undefined) out.removedIn = m.removedIn;
    return out;
  };
  const out = new Map<string, ApiClass>();
  for (const c of raw.values()) {
    const name = toBinary(c.dotted);
    const sup = c.superclass === null ? null : toBinary(c.superclass);
    const cls: ApiClass = {
      name,
      superclass: name === 'java.lang.Object' ? null : sup,
      interfaces: c.interfaces.map(toBinary),
      isInterface: c.isInterface,
      isAbstract: c.isAbstract,
      methods: c.methods.map(fix),
      constructors: c.isInterface ? [] : c.constructors.map(fix),
    };
    if (c.since !== undefined) cls.since = c.since;
    if (c.library !== undefined) cls.library = c.library;
    out.set(name, cls);
  }
  return out;
}
