// App profiles: what the app says about itself, kept next to a scenario as YAML.
//   package: com.example.shop
//   category: online_shopping        # a 2021 category key, or `custom`
//   apk: ./shop.apk                  # optional, relative to the profile
//   privacyPolicy:
//     declares:
//       - { category: location, purposes: [store-finder], sdk: amap-location }
//     sdks: [umeng-analytics, Tencent Bugly]
// See docs/profiles.md.
import { dirname, resolve } from 'node:path';
import { DATA_CATEGORIES, type DataCategory } from '../../agent/protocol/messages.ts';
import { APP_CATEGORIES_2021, type AppCategory2021 } from '../knowledge/policy/necessary-2021.ts';
import { builtInSignature, builtInSignatures } from '../knowledge/sdks.ts';
import { readInputFile } from '../util/read-input.ts';
import { expectList, expectMap, expectOneOf, expectString, YamlSource } from './yaml-source.ts';

export const PROFILE_CATEGORIES = [...APP_CATEGORIES_2021, 'custom'] as const;
export type ProfileCategory = AppCategory2021 | 'custom';

export interface Declaration {
  category: DataCategory;
  purposes: string[];
  /** SDK id when it names a known SDK, else the name as written. */
  sdk?: string;
}

export interface AppProfile {
  /** The profile file as given (for messages). */
  file: string;
  package: string;
  category: ProfileCategory;
  /** Absolute path of the APK, resolved against the profile's directory. */
  apk?: string;
  /** For `custom` only: the data the app's own basic function needs. */
  necessary?: DataCategory[];
  privacyPolicy: {
    declares: Declaration[];
    /** SDK ids where the name or id is known, else the name as written. */
    sdks: string[];
    /** Names that match no known SDK signature (kept, reported). */
    unknownSdks: string[];
  };
}

const PACKAGE_RE = /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/;

let sdkNames: Map<string, string> | undefined;
/** Lower-cased id and name → id. */
function sdkIndex(): Map<string, string> {
  if (!sdkNames) {
    sdkNames = new Map();
    for (const s of builtInSignatures()) {
      sdkNames.set(s.name.toLowerCase(), s.id);
      sdkNames.set(s.id.toLowerCase(), s.id);
    }
  }
  return sdkNames;
}

export function resolveSdkName(name: string): string | undefined {
  const id = sdkIndex().get(name.trim().toLowerCase());
  return id && builtInSignature(id) ? id : undefined;
}

export function parseProfile(text: string, file: string, baseDir = dirname(file)): AppProfile {
  const src = new YamlSource(text, file);
  const top = expectMap(src, [], src.value, ['package', 'category', 'apk', 'necessary', 'privacyPolicy']);
  const pkg = expectString(src, ['package'], top['package']);
  if (!PACKAGE_RE.test(pkg))
    src.fail(['package'], `expected a Java package name like com.example.app, got ${JSON.stringify(pkg)}`);
  const category = expectOneOf(src, ['category'], top['category'], PROFILE_CATEGORIES);
  const profile: AppProfile = {
    file,
    package: pkg,
    category,
    privacyPolicy: { declares: [], sdks: [], unknownSdks: [] },
  };
  if (top['apk'] !== undefined) profile.apk = resolve(baseDir, expectString(src, ['apk'], top['apk']));
  if (top['necessary'] !== undefined) {
    if (category !== 'custom') src.fail(['necessary'], 'only allowed with category: custom', true);
    profile.necessary = expectList(src, ['necessary'], top['necessary']).map((v, i) =>
      expectOneOf(src, ['necessary', i], v, DATA_CATEGORIES),
    );
  }
  if (top['privacyPolicy'] === undefined) src.fail([], 'missing key privacyPolicy');
  const pp = expectMap(src, ['privacyPolicy'], top['privacyPolicy'], ['declares', 'sdks']);
  const declares =
    pp['declares'] === undefined ? [] : expectList(src, ['privacyPolicy', 'declares'], pp['declares']);
  declares.forEach((raw, i) => {
    const path = ['privacyPolicy', 'declares', i];
    const d = expectMap(src, path, raw, ['category', 'purposes', 'sdk']);
    if (d['category'] === undefined) src.fail(path, 'missing key category');
    const decl: Declaration = {
      category: expectOneOf(src, [...path, 'category'], d['category'], DATA_CATEGORIES),
      purposes:
        d['purposes'] === undefined
          ? []
          : expectList(src, [...path, 'purposes'], d['purposes']).map((p, j) =>
              expectString(src, [...path, 'purposes', j], p),
            ),
    };
    if (d['sdk'] !== undefined) {
      const name = expectString(src, [...path, 'sdk'], d['sdk']);
      decl.sdk = resolveSdkName(name) ?? name;
    }
    profile.privacyPolicy.declares.push(decl);
  });
  const sdks = pp['sdks'] === undefined ? [] : expectList(src, ['privacyPolicy', 'sdks'], pp['sdks']);
  sdks.forEach((raw, i) => {
    const name = expectString(src, ['privacyPolicy', 'sdks', i], raw);
    const id = resolveSdkName(name);
    profile.privacyPolicy.sdks.push(id ?? name);
    if (!id) profile.privacyPolicy.unknownSdks.push(name);
  });
  return profile;
}

/** Loads a profile; `displayName` is how errors name the file (default: the path). */
export function loadProfile(path: string, displayName = path): AppProfile {
  return parseProfile(readInputFile(path, displayName), displayName, dirname(path));
}
