// Loads the Android API index: parses @nativescript/types-android once, caches the result as
// compact JSON under node_modules/.cache/overreach/, and merges the hand-written hidden classes.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, errorMessage } from '../errors.ts';
import { createLog } from '../log.ts';
import { HIDDEN_CLASSES, HIDDEN_METHODS } from './hidden-api.ts';
import { PARSER_VERSION, parseDeclarations } from './parse-dts.ts';
import type { AndroidApi, ApiClass, ApiMethod, ApiType } from './types.ts';

const log = createLog('android-api');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_DIR = join(ROOT, 'node_modules', '@nativescript', 'types-android');
const DTS = join(PKG_DIR, 'lib', 'android', 'android-platform-21-37-merged.d.ts');
// The newest androidx snapshot: ActivityCompat, ContextCompat, ActivityResultLauncher, CursorLoader.
const ANDROIDX_DTS = join(PKG_DIR, 'lib', 'android', 'androidx-32.d.ts');

interface CacheFile {
  parserVersion: number;
  pkgVersion: string;
  classes: ApiClass[];
}

let cached: AndroidApi | undefined;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch (err) {
    throw new EnvironmentError(
      `@nativescript/types-android is not installed (${errorMessage(err)}); run npm install`,
      { cause: err },
    );
  }
}

export function cachePath(pkgVersion = packageVersion()): string {
  return join(ROOT, 'node_modules', '.cache', 'overreach', `android-api-${pkgVersion}.json`);
}

function readCache(path: string, pkgVersion: string): ApiClass[] | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (data.parserVersion === PARSER_VERSION && data.pkgVersion === pkgVersion) return data.classes;
    log.info(`stale cache ${path}; re-parsing`);
  } catch {
    // Missing or corrupt cache: parse again.
  }
  return undefined;
}

function writeCache(path: string, pkgVersion: string, classes: ApiClass[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const body: CacheFile = { parserVersion: PARSER_VERSION, pkgVersion, classes };
    writeFileSync(tmp, JSON.stringify(body));
    renameSync(tmp, path); // atomic: parallel test workers never read half a file
  } catch (err) {
    log.warn(`cannot write ${path}: ${errorMessage(err)}`);
  }
}

/** Parses the declarations without any cache (for benchmarks and cache rebuilds). */
export function parseAndroidApiUncached(): ApiClass[] {
  const read = (path: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new EnvironmentError(`cannot read ${path}: ${errorMessage(err)}`, { cause: err });
    }
  };
  const sources = [{ text: read(DTS) }, { text: read(ANDROIDX_DTS), library: 'androidx' }];
  return [...parseDeclarations(sources).values()];
}

/** Builds the AndroidApi view over a list of classes (public + hidden). */
export function buildAndroidApi(
  publicClasses: readonly ApiClass[],
  hidden: readonly ApiClass[],
  hiddenMethods: readonly { className: string; methods: ApiMethod[] }[] = [],
): AndroidApi {
  const classes = new Map<string, ApiClass>();
  for (const c of publicClasses) classes.set(c.name, c);
  for (const h of hidden) {
    const existing = classes.get(h.name);
    classes.set(h.name, existing ? { ...existing, methods: [...existing.methods, ...h.methods] } : h);
  }
  for (const { className, methods } of hiddenMethods) {
    const existing = classes.get(className);
    if (existing) classes.set(className, { ...existing, methods: [...existing.methods, ...methods] });
    else log.warn(`hidden methods for unknown class ${className}`);
  }
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

/** The Android API index, parsed once per process (and once per package version on disk). */
export function loadAndroidApi(): AndroidApi {
  if (cached) return cached;
  const version = packageVersion();
  const path = cachePath(version);
  let classes = readCache(path, version);
  if (!classes) {
    const started = Date.now();
    classes = parseAndroidApiUncached();
    log.info(`parsed ${classes.length} classes in ${Date.now() - started} ms`);
    writeCache(path, version, classes);
  }
  cached = buildAndroidApi(classes, HIDDEN_CLASSES, HIDDEN_METHODS);
  return cached;
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
