// The static scan: which catalog targets the APK's code references, and from which SDK.
// Every classes*.dex is read with our DEX reader; each invoke of a method reference that reaches
// a catalog hook (catalog-targets.ts) is a sensitive call site, attributed to the SDK whose
// package prefix is the longest match for the calling class (harness/knowledge/sdks.ts).
import type { DataCategory } from '../../agent/protocol/messages.ts';
import { loadAndroidApi } from '../android-api/load.ts';
import type { AndroidApi } from '../android-api/types.ts';
import { InputError } from '../errors.ts';
import { defaultAttributor, type SdkAttributor } from '../knowledge/sdks.ts';
import { CatalogTargets, descriptorToJava, protoParams } from './catalog-targets.ts';
import { type DexFile, DexFormatError, dexEntryNames, readDex } from './dex.ts';
import { parseApk, readApkBytes } from './read-apk.ts';
import { ZipArchive } from './zip.ts';

/** One sensitive API as referenced by one SDK (or the app). */
export interface StaticCall {
  /** "app" for the app itself (or code no prefix claims), else an SDK id or "third-party:<pkg>". */
  sdk: string;
  hook: string;
  /** "class.method" of the catalog entry, as `overreach hooks` prints it. */
  api: string;
  category: DataCategory;
  callSites: number;
  /** Up to five calling methods, "com.foo.Bar.baz". */
  callers: string[];
}

export interface ApkCallScan {
  file: string;
  package: string;
  sha256: string;
  dexFiles: string[];
  classes: number;
  methods: number;
  invokes: number;
  /** Sum of callSites over `calls`. */
  sensitiveCallSites: number;
  /** Known SDKs (signature ids) whose classes the APK carries, with or without sensitive calls. */
  sdks: { sdk: string; classes: number; sensitiveCallSites: number }[];
  /** Sorted by SDK, then hook. */
  calls: StaticCall[];
}

export interface ScanOptions {
  api?: AndroidApi;
  attributor?: SdkAttributor;
}

/** Scans APK bytes; errors are one-line InputErrors naming `file` and the dex entry. */
export function scanApkCalls(buf: Buffer, file: string, opts: ScanOptions = {}): ApkCallScan {
  const info = parseApk(buf, file);
  const zip = new ZipArchive(buf);
  const names = dexEntryNames(zip.entries.keys());
  const dexes: DexFile[] = [];
  for (const name of names) {
    try {
      const bytes = zip.read(name);
      if (bytes) dexes.push(readDex(bytes, name));
    } catch (err) {
      throw new InputError(`${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    return scanDexes(dexes, names, info.package, file, info.sha256, opts);
  } catch (err) {
    if (err instanceof DexFormatError) throw new InputError(`${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

export function scanApkFile(path: string, displayName = path, opts: ScanOptions = {}): ApkCallScan {
  return scanApkCalls(readApkBytes(path, displayName), displayName, opts);
}

function scanDexes(
  dexes: DexFile[],
  names: string[],
  appPackage: string,
  file: string,
  sha256: string,
  opts: ScanOptions,
): ApkCallScan {
  const attributor = opts.attributor ?? defaultAttributor();
  const supers = new Map<string, string | null>();
  let classes = 0;
  let methods = 0;
  for (const dex of dexes) {
    for (const c of dex.classes()) {
      const name = descriptorToJava(c.descriptor);
      if (!supers.has(name)) supers.set(name, c.superclass ? descriptorToJava(c.superclass) : null);
      classes++;
      methods += c.methods.length;
    }
  }
  const targets = new CatalogTargets(opts.api ?? loadAndroidApi(), supers);
  // Attribution depends only on the package: resolve each package once.
  const byPackage = new Map<string, string>();
  const sdkOfClass = (cls: string): string => {
    const pkg = cls.slice(0, Math.max(0, cls.lastIndexOf('.')));
    let sdk = byPackage.get(pkg);
    if (sdk === undefined) {
      sdk = attributor.attribute([`${pkg ? `${pkg}.` : ''}C.x(Unknown Source)`], { appPackage }).sdk ?? 'app';
      byPackage.set(pkg, sdk);
    }
    return sdk;
  };
  const found = new Map<string, number>();
  for (const name of supers.keys()) {
    const sdk = sdkOfClass(name);
    if (sdk !== 'app' && !sdk.startsWith('third-party:')) found.set(sdk, (found.get(sdk) ?? 0) + 1);
  }
  const byKey = new Map<string, StaticCall>();
  let invokes = 0;
  for (const dex of dexes) {
    // Per method reference: the entries it reaches (resolved once per dex).
    const resolved: (readonly { id: string; api: string; category: DataCategory }[] | null)[] = new Array(
      dex.methodCount,
    );
    for (const c of dex.classes()) {
      const caller = descriptorToJava(c.descriptor);
      const sdk = sdkOfClass(caller);
      for (const m of c.methods) {
        dex.eachInvoke(m, (idx) => {
          invokes++;
          let hits = resolved[idx];
          if (hits === undefined) {
            hits = resolve(dex, idx, targets);
            resolved[idx] = hits;
          }
          if (hits === null) return;
          for (const hit of hits) {
            const key = `${sdk}\n${hit.id}`;
            let call = byKey.get(key);
            if (!call) {
              call = { sdk, hook: hit.id, api: hit.api, category: hit.category, callSites: 0, callers: [] };
              byKey.set(key, call);
            }
            call.callSites++;
            if (call.callers.length < 5) {
              const where = `${caller}.${dex.methodName(m.methodIdx)}`;
              if (!call.callers.includes(where)) call.callers.push(where);
            }
          }
        });
      }
    }
  }
  const calls = [...byKey.values()].sort((a, b) =>
    a.sdk === b.sdk ? a.hook.localeCompare(b.hook) : a.sdk.localeCompare(b.sdk),
  );
  return {
    file,
    package: appPackage,
    sha256,
    dexFiles: names,
    classes,
    methods,
    invokes,
    sensitiveCallSites: calls.reduce((n, c) => n + c.callSites, 0),
    sdks: [...found]
      .map(([sdk, n]) => ({
        sdk,
        classes: n,
        sensitiveCallSites: calls.filter((c) => c.sdk === sdk).reduce((k, c) => k + c.callSites, 0),
      }))
      .sort((a, b) => b.classes - a.classes || a.sdk.localeCompare(b.sdk)),
    calls,
  };
}

function resolve(
  dex: DexFile,
  idx: number,
  targets: CatalogTargets,
): { id: string; api: string; category: DataCategory }[] | null {
  const name = dex.methodName(idx);
  if (!targets.hasMethod(name)) return null;
  const cls = descriptorToJava(dex.methodClass(idx));
  const entries = targets.resolve(cls, name, protoParams(dex.methodProto(idx)));
  if (entries.length === 0) return null;
  return entries.map((e) => ({ id: e.id, api: `${e.className}.${e.method}`, category: e.category }));
}
