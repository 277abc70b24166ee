// What the report model takes from the run's record rather than its events: the analysis
// context stored with it, the files its findings point at, its expectations as judged.
import type Database from 'better-sqlite3';
import { effectiveSettings } from '../harness/analysis/run-analysis.ts';
import { readRunSettings } from '../harness/analysis/run-settings.ts';
import type { ExpectationInfo, ReportModel } from './model-types.ts';

/** The run's stored analysis context (profile, pack, rules, APK) as file names. */
export function analysisContext(db: Database.Database, runId: number): ReportModel['context'] {
  const s = readRunSettings(db, runId);
  return {
    profile: s.profile?.file ?? null,
    pack: s.pack ? ('id' in s.pack ? s.pack.id : s.pack.file) : null,
    rules: s.rules?.file ?? null,
    apk: s.apk ?? null,
    overrides: (s.overrides ?? []).map((o) => ({ at: o.at, command: o.command, keys: [...o.keys] })),
  };
}

export function runSources(db: Database.Database, runId: number): ReportModel['sources'] {
  const text = db.prepare<[number], string>('SELECT config FROM runs WHERE id = ?').pluck().get(runId);
  let c: Record<string, unknown> = {};
  try {
    c = JSON.parse(text ?? '{}') as Record<string, unknown>;
  } catch {
    // an unreadable config: no sources
  }
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const src = (c['sources'] ?? {}) as { stepLines?: unknown; expectLines?: unknown };
  const stepLines =
    src.stepLines && typeof src.stepLines === 'object'
      ? (src.stepLines as Record<string, number | null>)
      : {};
  return {
    scenarioFile: str(c['scenarioFile']),
    stepLines,
    expectLines: Array.isArray(src.expectLines) ? (src.expectLines as (number | null)[]) : [],
    apk: readRunSettings(db, runId).apk ?? null,
    ingestedFrom: str(c['ingestedFrom']),
  };
}

/** Categories the run's stored profile declares, or null without one. */
export function storedPolicyCategories(db: Database.Database, runId: number): string[] | null {
  const profile = effectiveSettings(db, runId).loaded.profile;
  return profile ? profile.privacyPolicy.declares.map((d) => d.category) : null;
}

/** The scenario's expectations as the run judged them (steps of kind expect). */
export function expectations(db: Database.Database, runId: number): ExpectationInfo[] {
  return db
    .prepare<[number], { idx: number; label: string; outcome: string; detail: string | null }>(
      "SELECT idx, label, outcome, detail FROM steps WHERE run_id = ? AND kind = 'expect' ORDER BY idx",
    )
    .all(runId)
    .map((r) => ({
      label: r.label,
      // steps.outcome has no 'inconclusive'; the run stores it as skipped with that word first.
      outcome:
        r.outcome === 'skipped' && (r.detail ?? '').startsWith('inconclusive: ') ? 'inconclusive' : r.outcome,
      detail: r.detail,
    }));
}
