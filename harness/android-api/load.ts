// Loads the Android API index: parses @nativescript/types-android once, caches the result as
// compact JSON under node_modules/.cache/overreach/, and merges the hand-written hidden classes.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  cached = buildAndroidApi(classes, HIDDEN_CLASSES, HIDDEN_METHODS, (c) =>
    log.warn(`hidden methods for unknown class ${c}`),
  );
  return cached;
}
