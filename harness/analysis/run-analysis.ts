// The one way a stored run is analysed, whichever command asks (run, farm, analyze, report
// --analyze): its stored context (run-settings.ts) with any later flags laid over it and
// recorded, the APK manifest as the app's, SDK attribution once for the run's package, the
// rules, then the scenario's expectations as findings.
import type { Expectation } from '../scenario/types.ts';
import type { Store } from '../store/store.ts';
import { analyzeRunDetailed } from './engine.ts';
import {
  applyApkManifest,
  type LoadedSettings,
  loadSettings,
  mergeSettings,
  type RunAnalysisSettings,
  readRunSettings,
  type SettingKey,
  writeRunSettings,
} from './run-settings.ts';
import { attributeRunSdks } from './sdk-attribution.ts';
import type { AnalysisResult, Db, RuleId } from './types.ts';

export interface StoredRunAnalysisOptions {
  /** Settings from this command's flags (settingsFromFlags); they override the stored ones. */
  given?: RunAnalysisSettings;
  /** The command, recorded with an override. */
  command: string;
  only?: readonly RuleId[];
  /** Attribute SDKs again even when the run was attributed for its package already. */
  reattribute?: boolean;
  /** Skip SDK attribution entirely (benchmarks). */
  attribute?: boolean;
  /** One-line notes for the user (profile package differs …). */
  note?: (line: string) => void;
}

export interface StoredRunAnalysis extends AnalysisResult {
  settings: RunAnalysisSettings;
  loaded: LoadedSettings;
  /** Settings a flag changed in this call. */
  changed: SettingKey[];
}

interface RunFacts {
  package: string;
  expect: Expectation[];
  expectLines: (number | null)[];
}

function runFacts(db: Db, runId: number): RunFacts {
  const r = db
    .prepare<[number], { package: string; config: string }>('SELECT package, config FROM runs WHERE id = ?')
    .get(runId);
  let config: { expect?: unknown; sources?: { expectLines?: unknown } } = {};
  try {
    config = JSON.parse(r?.config ?? '{}') as typeof config;
  } catch {
    // an unreadable config only costs the stored expectations
  }
  return {
    package: r?.package ?? 'unknown',
    expect: Array.isArray(config.expect) ? (config.expect as Expectation[]) : [],
    expectLines: Array.isArray(config.sources?.expectLines)
      ? (config.sources.expectLines as (number | null)[])
      : [],
  };
}

/** The stored `expect` list of a run (empty for ingested runs and older databases). */
export function runExpectations(db: Db, runId: number): Expectation[] {
  return runFacts(db, runId).expect;
}

/** The settings a run would be analysed with now (stored, with `given` over them), parsed. */
export function effectiveSettings(
  db: Db,
  runId: number,
  given: RunAnalysisSettings = {},
  command = 'report',
): { settings: RunAnalysisSettings; loaded: LoadedSettings; changed: SettingKey[] } {
  const { settings, changed } = mergeSettings(readRunSettings(db, runId), given, command);
  return { settings, loaded: loadSettings(settings), changed };
}

export function analyzeStoredRun(
  store: Store,
  runId: number,
  o: StoredRunAnalysisOptions,
): StoredRunAnalysis {
  const db = store.db;
  const { settings, loaded, changed } = effectiveSettings(db, runId, o.given ?? {}, o.command);
  if (settings.apk && settings.apkApplied !== settings.apk) {
    applyApkManifest(store, runId, settings.apk);
    settings.apkApplied = settings.apk;
  }
  const facts = runFacts(db, runId);
  // The run's own package decides what "the app itself" is; a bare ingest has none.
  const pkg = facts.package !== 'unknown' ? facts.package : (loaded.profile?.package ?? '');
  if (loaded.profile && facts.package !== 'unknown' && loaded.profile.package !== facts.package)
    o.note?.(
      `note: profile package ${loaded.profile.package} differs from run ${runId}'s package ${facts.package}`,
    );
  if (o.attribute !== false && (o.reattribute || settings.sdkPackage !== pkg)) {
    attributeRunSdks(db, runId, pkg);
    settings.sdkPackage = pkg;
  }
  writeRunSettings(db, runId, settings);
  const result = analyzeRunDetailed(store, runId, {
    ...(loaded.profile ? { profile: loaded.profile } : {}),
    ...(loaded.pack ? { pack: loaded.pack } : {}),
    ...(loaded.limits ? { limits: loaded.limits } : {}),
    ...(o.only ? { only: o.only } : {}),
    expectations: facts.expect,
    expectationLines: facts.expectLines,
  });
  return { ...result, settings, loaded, changed };
}
