// Reads an APK file: ZIP → AndroidManifest.xml (AXML) + resources.arsc → ApkInfo.
// Every structural problem becomes a one-line InputError naming the file and the place.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import type { AppInfo } from '../store/store.ts';
import { nodeCrypto } from '../util/node-crypto.ts';
import { ResourceTable } from './arsc.ts';
import { parseAxml } from './axml.ts';
import { type ManifestInfo, readManifest } from './manifest.ts';
import { ZIP_LIMITS, ZipArchive } from './zip.ts';

const log = createLog('apk');

export interface ApkInfo extends ManifestInfo {
  file: string;
  sha256: string;
  size: number;
  /** Names only, in manifest order (uses-permission and uses-permission-sdk-23). */
  permissions: string[];
}

/** Parses APK bytes; `file` is used in error messages. */
export function parseApk(buf: Buffer, file: string): ApkInfo {
  const fail = (what: string, cause?: unknown): never => {
    throw new InputError(`${file}: ${what}`, { cause });
  };
  let zip: ZipArchive | undefined;
  try {
    zip = new ZipArchive(buf);
  } catch (err) {
    fail((err as Error).message, err);
  }
  if (!zip) return fail('unreadable');
  let manifestBytes: Buffer | undefined;
  try {
    manifestBytes = zip.read('AndroidManifest.xml', ZIP_LIMITS.manifestBytes);
  } catch (err) {
    fail((err as Error).message, err);
  }
  if (!manifestBytes) return fail('not an APK (no AndroidManifest.xml entry)');
  let res: ResourceTable | undefined;
  try {
    const arsc = zip.read('resources.arsc', ZIP_LIMITS.arscBytes);
    if (arsc) res = new ResourceTable(arsc);
  } catch (err) {
    // A broken resource table only costs us the label; the manifest facts still stand.
    log.warn(`${file}: resources.arsc: ${(err as Error).message}; labels stay unresolved`);
  }
  let manifest: ManifestInfo | undefined;
  try {
    manifest = readManifest(parseAxml(manifestBytes), res);
  } catch (err) {
    fail(`AndroidManifest.xml: ${(err as Error).message}`, err);
  }
  if (!manifest) return fail('AndroidManifest.xml: unreadable');
  return {
    file,
    sha256: nodeCrypto().createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    ...manifest,
    permissions: manifest.usesPermissions.map((p) => p.name),
  };
}

/** The bytes of the APK at `path`; an unreadable file is an InputError naming `displayName`. */
export function readApkBytes(path: string, displayName = path): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`${displayName}: cannot read (${code})`, { cause: err });
  }
}

/** Reads and parses the APK at `path`; errors name it as `displayName` (default: `path`). */
export function readApk(path: string, displayName = path): ApkInfo {
  return parseApk(readApkBytes(path, displayName), displayName);
}

/** The app row an APK stands for: package, versions, SDK levels, hash, permissions, components. */
export function apkAppInfo(apk: ApkInfo): AppInfo {
  return {
    package: apk.package,
    label: apk.label,
    versionCode: apk.versionCode,
    versionName: apk.versionName,
    minSdk: apk.minSdk,
    targetSdk: apk.targetSdk,
    apkSha256: apk.sha256,
    permissions: apk.usesPermissions.map((p) => ({ name: p.name, maxSdk: p.maxSdkVersion })),
    components: apk.components.map((c) => ({ kind: c.kind, name: c.name, actions: c.actions })),
  };
}
