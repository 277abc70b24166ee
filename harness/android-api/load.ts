// Loads the Android API index: parses @nativescript/types-android once, caches the result as
// compact JSON under node_modules/.cache/overreach/, and merges the hand-written hidden classes.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { EnvironmentError, errorMessage } from '../errors.ts';
import { createLog } from '../log.ts';
import { buildAndroidApi } from './api-index.ts';
import { HIDDEN_CLASSES, HIDDEN_METHODS } from './hidden-api.ts';
import { PARSER_VERSION, parseDeclarations } from './parse-dts.ts';
import type { AndroidApi, ApiClass } from './types.ts';

// Re-exported: callers import the index helpers from here.
export { buildAndroidApi, fridaToApiType, typeMatches } from './api-index.ts';

const log = createLog('android-api');

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG_DIR = join(ROOT, 'node_modules', '@nativescript', 'types-android');
const DTS = join(PKG_DIR, 'lib', 'android', 'android-platform-21-37-merged.d.ts');
// The newest androidx snapshot: ActivityCompat, ContextCompat, ActivityResultLauncher, CursorLoader.
const ANDROIDX_DTS = join(PKG_DIR, 'lib', 'android', 'androidx-32.d.ts');

interface CacheHeader {
  parserVersion: number;
  pkgVersion: string;
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

// The cache is a header line then one `name<TAB>class JSON` line per class. Only the index of
// names is built at start-up; a class is parsed when first asked for, so a process that touches
// a few hundred classes does not parse all of them (13 MB, about a second of CPU per process).
export function cachePath(pkgVersion = packageVersion()): string {
  return join(ROOT, 'node_modules', '.cache', 'overreach', `android-api-${pkgVersion}.ndjson`);
}

/** Public classes read on demand from the cache file's bytes. */
class LazyClasses implements ReadonlyMap<string, ApiClass> {
  private readonly parsed = new Map<string, ApiClass>();

  constructor(
    private readonly bytes: Buffer,
    private readonly spans: ReadonlyMap<string, readonly [number, number]>,
  ) {}

  get size(): number {
    return this.spans.size;
  }
  has(name: string): boolean {
    return this.spans.has(name);
  }
  get(name: string): ApiClass | undefined {
    let c = this.parsed.get(name);
    if (c === undefined) {
      const span = this.spans.get(name);
      if (span === undefined) return undefined;
      c = JSON.parse(this.bytes.toString('utf8', span[0], span[1])) as ApiClass;
      this.parsed.set(name, c);
    }
    return c;
  }
  *entries(): MapIterator<[string, ApiClass]> {
    for (const name of this.spans.keys()) yield [name, this.get(name)!];
  }
  keys(): MapIterator<string> {
    return this.spans.keys();
  }
  *values(): MapIterator<ApiClass> {
    for (const name of this.spans.keys()) yield this.get(name)!;
  }
  forEach(fn: (value: ApiClass, key: string, map: ReadonlyMap<string, ApiClass>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, ApiClass]> {
    return this.entries();
  }
}

const NL = 0x0a;
const TAB = 0x09;

/**
 * The names index of a cache file, kept next to it (`….ndjson.idx.json`): building it means a
 * scan of all 13 MB for line and tab positions, ~20 ms of CPU in every process and every farm
 * device thread that loads the index; reading it, ~5 ms. It names the cache file's size and
 * mtime, so an index of another version of the file is not used (then rebuilt).
 */
interface NamesIndex {
  size: number;
  mtimeMs: number;
  names: string[];
  /** [start, end) byte offsets of each class's JSON, in `names` order. */
  spans: number[];
}

export function indexPath(cache: string): string {
  return `${cache}.idx.json`;
}

function readIndex(cache: string, bytes: Buffer, mtimeMs: number): Map<string, [number, number]> | undefined {
  try {
    const idx = JSON.parse(readFileSync(indexPath(cache), 'utf8')) as NamesIndex;
    if (idx.size !== bytes.length || idx.mtimeMs !== mtimeMs || idx.spans.length !== idx.names.length * 2)
      return undefined;
    // Spans follow their name's tab and end a line: an index that does not fit (checked on every
    // 64th span and the last; size and mtime already tell a rewritten file) is not used.
    const n = idx.names.length;
    for (let i = 0; i < n; i = i === n - 1 ? n : Math.min(i + 64, n - 1)) {
      const start = idx.spans[2 * i]!;
      const end = idx.spans[2 * i + 1]!;
      if (bytes[start - 1] !== TAB || (end !== bytes.length && bytes[end] !== NL)) return undefined;
    }
    const spans = new Map<string, [number, number]>();
    for (let i = 0; i < n; i++) spans.set(idx.names[i]!, [idx.spans[2 * i]!, idx.spans[2 * i + 1]!]);
    return spans;
  } catch {
    return undefined; // none yet, or unreadable: scan
  }
}

function writeIndex(
  cache: string,
  size: number,
  mtimeMs: number,
  spans: Map<string, [number, number]>,
): void {
  try {
    const idx: NamesIndex = { size, mtimeMs, names: [...spans.keys()], spans: [...spans.values()].flat() };
    const path = indexPath(cache);
    const tmp = `${path}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, JSON.stringify(idx));
    renameSync(tmp, path); // atomic: a parallel reader never sees half a file
  } catch (err) {
    log.warn(`cannot write ${indexPath(cache)}: ${errorMessage(err)}`);
  }
}

/** The classes of a cache file (undefined: missing, stale or corrupt), indexed by name. */
export function readCache(path: string, pkgVersion: string): ReadonlyMap<string, ApiClass> | undefined {
  try {
    // Kept as bytes, not decoded: decoding 13 MB of UTF-8 cost ~130 ms per process (a farm's
    // device processes each paid it); a class's line is decoded when it is first asked for.
    const { mtimeMs } = statSync(path);
    const bytes = readFileSync(path);
    const nl = bytes.indexOf(NL);
    const header = JSON.parse(bytes.toString('utf8', 0, nl)) as CacheHeader;
    if (header.parserVersion !== PARSER_VERSION || header.pkgVersion !== pkgVersion) {
      log.info(`stale cache ${path}; re-parsing`);
      return undefined;
    }
    let spans = readIndex(path, bytes, mtimeMs);
    if (!spans) {
      spans = new Map<string, [number, number]>();
      for (let at = nl + 1; at < bytes.length; ) {
        let end = bytes.indexOf(NL, at);
        if (end === -1) end = bytes.length;
        const tab = bytes.indexOf(TAB, at);
        if (tab === -1 || tab > end) throw new Error('corrupt line');
        spans.set(bytes.toString('utf8', at, tab), [tab + 1, end]);
        at = end + 1;
      }
      writeIndex(path, bytes.length, mtimeMs, spans);
    }
    return new LazyClasses(bytes, spans);
  } catch {
    // Missing or corrupt cache: parse again.
  }
  return undefined;
}

function writeCache(path: string, pkgVersion: string, classes: readonly ApiClass[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const header: CacheHeader = { parserVersion: PARSER_VERSION, pkgVersion };
    const lines = [JSON.stringify(header), ...classes.map((c) => `${c.name}\t${JSON.stringify(c)}`)];
    writeFileSync(tmp, `${lines.join('\n')}\n`);
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

/** The Android API index, parsed once per process (and once per package version on disk). */
export function loadAndroidApi(): AndroidApi {
  if (cached) return cached;
  const version = packageVersion();
  const path = cachePath(version);
  let classes: readonly ApiClass[] | ReadonlyMap<string, ApiClass> | undefined = readCache(path, version);
  if (!classes) {
    const started = Date.now();
    const parsed = parseAndroidApiUncached();
    log.info(`parsed ${parsed.length} classes in ${Date.now() - started} ms`);
    writeCache(path, version, parsed);
    classes = parsed;
  }
  cached = buildAndroidApi(classes, HIDDEN_CLASSES, HIDDEN_METHODS, (c) =>
    log.warn(`hidden methods for unknown class ${c}`),
  );
  return cached;
}
