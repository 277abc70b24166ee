// The analysis context a run was made with — app profile, policy pack, rules file, APK manifest —
// stored with the run in `runs.config` under "analysis", so `analyze`, `report`, `diff` and the
// farm judge the run the same way without being told again. Files are stored with their text
// (what the run was judged with), so a moved or edited file does not silently change a verdict;
// a flag given later overrides the stored value and the override is recorded in "overrides".
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { apkAppInfo, readApk } from '../apk/read-apk.ts';
import { InputError } from '../errors.ts';
import { BUILT_IN_PACKS, parsePolicyPack } from '../knowledge/policy/pack.ts';
import type { PolicyPack } from '../knowledge/policy/types.ts';
import { type AppProfile, parseProfile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';
import { readInputFile } from '../util/read-input.ts';
import { parseRulesConfig, type RuleLimits } from './config.ts';
import type { Db } from './types.ts';

/** A user file as the run saw it: absolute path and its text. */
export interface StoredFile {
  file: string;
  text: string;
}

export const SETTING_KEYS = ['profile', 'pack', 'rules', 'apk'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export interface RunAnalysisSettings {
  profile?: StoredFile;
  /** A built-in pack id, or a pack file. */
  pack?: { id: string } | StoredFile;
  rules?: StoredFile;
  /** The APK whose manifest is the app's (its permissions are in app_permissions). */
  apk?: string;
  /** Later flags that replaced a stored value: which, when, by which command. */
  overrides?: { at: number; command: string; keys: SettingKey[] }[];
  /** The package SDK attribution was done for (once; every command reads the stored result). */
  sdkPackage?: string;
  /** The `apk` whose manifest was recorded as the run's app (done once per APK). */
  apkApplied?: string;
}

/** What the command line gave (paths relative to `cwd`, or a built-in pack id). */
export interface SettingFlags {
  profile?: string;
  pack?: string;
  rules?: string;
  apk?: string;
}

/** The parsed context the analysis and the reports use. */
export interface LoadedSettings {
  profile?: AppProfile;
  pack?: PolicyPack;
  limits?: RuleLimits;
}

function readConfig(db: Db, runId: number): Record<string, unknown> {
  const text = db.prepare<[number], string>('SELECT config FROM runs WHERE id = ?').pluck().get(runId);
  if (text === undefined) throw new InputError(`no run ${runId}`);
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The run's stored analysis settings (empty for runs made before they were stored). */
export function readRunSettings(db: Db, runId: number): RunAnalysisSettings {
  const a = readConfig(db, runId)['analysis'];
  return a !== null && typeof a === 'object' ? (a as RunAnalysisSettings) : {};
}

export function writeRunSettings(db: Db, runId: number, settings: RunAnalysisSettings): void {
  const config = readConfig(db, runId);
  config['analysis'] = settings;
  db.prepare('UPDATE runs SET config = ? WHERE id = ?').run(JSON.stringify(config), runId);
}

function storedFile(path: string, label: string): StoredFile {
  return { file: path, text: readInputFile(path, label) };
}

/**
 * Reads the files the flags name (a missing or unreadable one is an InputError, exit 2).
 * `profileFallback` is the scenario's own `app.profile` (absolute), used when no flag names one.
 */
export function settingsFromFlags(
  flags: SettingFlags,
  cwd: string,
  profileFallback?: string,
): RunAnalysisSettings {
  const s: RunAnalysisSettings = {};
  const abs = (p: string) => resolve(cwd, p);
  if (flags.profile) s.profile = storedFile(abs(flags.profile), flags.profile);
  else if (profileFallback) s.profile = storedFile(profileFallback, profileFallback);
  if (flags.pack) {
    if (BUILT_IN_PACKS[flags.pack]) s.pack = { id: flags.pack };
    else {
      const path = abs(flags.pack);
      try {
        s.pack = storedFile(path, flags.pack);
      } catch (err) {
        throw new InputError(
          `${flags.pack}: neither a policy pack file nor a built-in pack (${Object.keys(BUILT_IN_PACKS).join(', ')})`,
          { cause: err },
        );
      }
    }
  }
  if (flags.rules) s.rules = storedFile(abs(flags.rules), flags.rules);
  if (flags.apk) s.apk = abs(flags.apk);
  // Parse now, naming the files as the user did: a bad file is bad input before anything runs.
  const loaded = loadSettings(s, {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.pack ? { pack: flags.pack } : {}),
    ...(flags.rules ? { rules: flags.rules } : {}),
  });
  const named = loaded.profile?.apk;
  if (named !== undefined && !s.apk) {
    // A profile that names an APK means it: a missing or unreadable one is bad input (exit 2).
    if (!existsSync(named)) throw new InputError(`${loaded.profile?.file}: apk: ${named}: no such file`);
    readApk(named, `${loaded.profile?.file}: apk: ${named}`);
    s.apk = named;
  }
  return s;
}

/** Parses stored settings; `labels` name the files in error messages (default: their paths). */
export function loadSettings(
  s: RunAnalysisSettings,
  labels: Partial<Record<'profile' | 'pack' | 'rules', string>> = {},
): LoadedSettings {
  const out: LoadedSettings = {};
  if (s.profile)
    out.profile = parseProfile(s.profile.text, labels.profile ?? s.profile.file, dirname(s.profile.file));
  if (s.pack)
    out.pack =
      'id' in s.pack ? BUILT_IN_PACKS[s.pack.id] : parsePolicyPack(s.pack.text, labels.pack ?? s.pack.file);
  if (s.pack && 'id' in s.pack && !out.pack)
    throw new InputError(
      `pack "${s.pack.id}": not a built-in pack (${Object.keys(BUILT_IN_PACKS).join(', ')})`,
    );
  if (s.rules) out.limits = parseRulesConfig(s.rules.text, labels.rules ?? s.rules.file);
  return out;
}

/** Stored settings with `given` laid over them; the keys a flag changed are recorded as an override. */
export function mergeSettings(
  stored: RunAnalysisSettings,
  given: RunAnalysisSettings,
  command: string,
  now = Date.now(),
): { settings: RunAnalysisSettings; changed: SettingKey[] } {
  const settings: RunAnalysisSettings = { ...stored };
  const changed: SettingKey[] = [];
  for (const k of SETTING_KEYS) {
    const v = given[k];
    if (v === undefined) continue;
    if (JSON.stringify(stored[k]) !== JSON.stringify(v)) changed.push(k);
    (settings as Record<SettingKey, unknown>)[k] = v;
  }
  // Settings are stored when the run is made; anything a later command changes is an override.
  if (changed.length > 0)
    settings.overrides = [...(stored.overrides ?? []), { at: now, command, keys: changed }];
  return { settings, changed };
}

/**
 * Records an APK's manifest as the run's app (one row per package + version + APK hash), with
 * maxSdkVersion per permission: the APK named by --apk or the profile is the app's.
 */
export function applyApkManifest(store: Store, runId: number, apkPath: string): void {
  const appId = store.upsertApp(apkAppInfo(readApk(apkPath)));
  store.db.prepare('UPDATE runs SET app_id = ? WHERE id = ?').run(appId, runId);
}

/** One line naming where each setting came from, for command output. */
export function describeSettings(s: RunAnalysisSettings): string {
  const parts: string[] = [];
  if (s.profile) parts.push(`profile ${s.profile.file}`);
  if (s.pack) parts.push(`pack ${'id' in s.pack ? s.pack.id : s.pack.file}`);
  if (s.rules) parts.push(`rules ${s.rules.file}`);
  if (s.apk) parts.push(`apk ${s.apk}`);
  return parts.length > 0 ? parts.join(', ') : 'defaults (no profile, built-in pack and rules)';
}
