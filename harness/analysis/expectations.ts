// `expect` assertions, judged against the stored trace with SQL — by the run for its summary and
// by the analysis, where each failed one becomes a finding of its own rule (failed-expectation;
// a privacy switch check-setting did not find is missing-privacy-switch) with its evidence.
// A run whose agent never loaded saw nothing: its data expectations are `inconclusive`, never ok.
import type Database from 'better-sqlite3';
import { DEFAULT_SETTING_LABELS, type Expectation, SEVERITIES } from '../scenario/types.ts';
import type { FindingDraft, RuleId } from './types.ts';

/** Rules whose findings come from the scenario's expectations (never from the rule list). */
export const EXPECTATION_RULES: readonly RuleId[] = ['failed-expectation', 'missing-privacy-switch'];

export const EXPECT_OUTCOMES = ['ok', 'failed', 'skipped', 'inconclusive'] as const;
export type ExpectOutcome = (typeof EXPECT_OUTCOMES)[number];

export interface ExpectResult {
  /** `expect: no-access location in pre-consent` */
  label: string;
  outcome: ExpectOutcome;
  detail: string;
  /** Events that break the expectation (first `evidence` of them, time order). */
  evidence?: number[];
  /** How many events break it in all. */
  count?: number;
}

export function expectLabel(e: Expectation): string {
  const inPhase = (p?: string) => (p ? ` in ${p}` : '');
  switch (e.kind) {
    case 'no-access':
      return `expect: no-access ${e.category}${inPhase(e.phase)}`;
    case 'max-count':
      return `expect: max-count ${e.category} ≤ ${e.count}${inPhase(e.phase)}`;
    case 'max-rate':
      return `expect: max-rate ${e.category} ≤ ${e.perMinute}/min${inPhase(e.phase)}`;
    case 'no-finding':
      return `expect: no-finding${e.rule ? ` ${e.rule}` : ''}${e.severity ? ` at or above ${e.severity}` : ''}`;
    case 'setting-found': {
      const isDefault =
        e.labels.length === DEFAULT_SETTING_LABELS.length &&
        e.labels.every((l, i) => l === DEFAULT_SETTING_LABELS[i]);
      return `expect: setting-found ${isDefault ? '(default labels)' : e.labels.join(' | ')}`;
    }
  }
}

function events(
  db: Database.Database,
  runId: number,
  category: string,
  phase?: string,
): { id: number; t: number }[] {
  const sql = `SELECT e.id AS id, e.time AS t FROM events e JOIN categories c ON c.id = e.category_id
    ${phase ? 'JOIN phases p ON p.id = e.phase_id AND p.name = @phase' : ''}
    WHERE e.run_id = @run AND c.name = @category ORDER BY e.time, e.id`;
  return db
    .prepare<Record<string, unknown>, { id: number; t: number }>(sql)
    .all({ run: runId, category, ...(phase ? { phase } : {}) });
}

/** The largest number of times within any 60-second window (two pointers over sorted times). */
export function maxPerMinute(times: readonly number[]): number {
  return peakWindow(times).n;
}

/** The busiest 60-second window: its size and first index. */
function peakWindow(times: readonly number[]): { n: number; from: number } {
  let best = { n: 0, from: 0 };
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 60_000) lo++;
    if (hi - lo + 1 > best.n) best = { n: hi - lo + 1, from: lo };
  }
  return best;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Whether any process of the run said hello: without it nothing was hooked and nothing is known. */
export function agentLoaded(db: Database.Database, runId: number): boolean {
  return (
    db.prepare('SELECT 1 FROM processes WHERE run_id = ? AND hello_at IS NOT NULL LIMIT 1').get(runId) !==
    undefined
  );
}

const EVIDENCE = 20;

export function evaluateExpectation(
  db: Database.Database,
  runId: number,
  e: Expectation,
  analysed: boolean,
): ExpectResult {
  const label = expectLabel(e);
  const result = (ok: boolean, detail: string, hits: number[] = []): ExpectResult => ({
    label,
    outcome: ok ? 'ok' : 'failed',
    detail,
    ...(ok ? {} : { evidence: hits.slice(0, EVIDENCE), count: hits.length }),
  });
  if (e.kind !== 'setting-found' && !agentLoaded(db, runId))
    return {
      label,
      outcome: 'inconclusive',
      detail: 'the agent never loaded in the app: nothing was hooked, so nothing is known',
    };
  switch (e.kind) {
    case 'no-access': {
      const hits = events(db, runId, e.category, e.phase);
      const n = hits.length;
      return result(
        n === 0,
        `${n} ${e.category} event${n === 1 ? '' : 's'}${e.phase ? ` in ${e.phase}` : ''}`,
        hits.map((h) => h.id),
      );
    }
    case 'max-count': {
      const hits = events(db, runId, e.category, e.phase);
      return result(
        hits.length <= e.count,
        `${hits.length} ${e.category} events (limit ${e.count})`,
        hits.map((h) => h.id),
      );
    }
    case 'max-rate': {
      const hits = events(db, runId, e.category, e.phase);
      const peak = peakWindow(hits.map((h) => h.t));
      return result(
        peak.n <= e.perMinute,
        `peak ${peak.n} ${e.category} events in one minute (limit ${e.perMinute})`,
        hits.slice(peak.from, peak.from + peak.n).map((h) => h.id),
      );
    }
    case 'no-finding': {
      if (!analysed || !tableExists(db, 'findings'))
        return { label, outcome: 'skipped', detail: 'no analysis ran for this run: findings unknown' };
      const min = SEVERITIES.indexOf(e.severity ?? 'info');
      const rows = db
        .prepare<[number], { id: number; rule: string; severity: string }>(
          'SELECT id, rule, severity FROM findings WHERE run_id = ?',
        )
        .all(runId)
        .filter(
          (f) =>
            !(EXPECTATION_RULES as readonly string[]).includes(f.rule) &&
            (e.rule === undefined || f.rule === e.rule) &&
            SEVERITIES.indexOf(f.severity as (typeof SEVERITIES)[number]) >= min,
        );
      const rules = [...new Set(rows.map((r) => `${r.rule} (${r.severity})`))].slice(0, 5).join(', ');
      const ids =
        rows.length === 0
          ? []
          : db
              .prepare<[], number>(
                `SELECT DISTINCT fe.event_id FROM finding_events fe JOIN events ev ON ev.id = fe.event_id
                 WHERE fe.finding_id IN (${rows.map((r) => r.id).join(',')}) ORDER BY ev.time, ev.id`,
              )
              .pluck()
              .all();
      return result(
        rows.length === 0,
        rows.length === 0 ? 'no matching finding' : `${rows.length} findings: ${rules}`,
        ids,
      );
    }
    case 'setting-found': {
      const labels = e.labels.length > 0 ? e.labels : DEFAULT_SETTING_LABELS;
      const steps = db
        .prepare<[number], { idx: number; detail: string | null }>(
          "SELECT idx, detail FROM steps WHERE run_id = ? AND kind = 'check-setting' ORDER BY idx",
        )
        .all(runId);
      const found = steps
        .filter((s) => (s.detail ?? '').startsWith('found: '))
        .map((r) => /^found: (.*) @ /.exec(r.detail ?? '')?.[1] ?? '')
        .filter((l) => labels.some((want) => want.toLowerCase() === l.toLowerCase()));
      if (found.length > 0) return result(true, `found ${found[0]}`);
      if (steps.length === 0) return result(false, 'no check-setting step looked for it');
      return result(false, steps.map((s) => `step ${s.idx}: ${s.detail ?? 'no result'}`).join('; '));
    }
  }
}

/** The findings of the failed expectations (a missing switch has its own rule). */
export function expectationDrafts(
  results: readonly ExpectResult[],
  expectations: readonly Expectation[],
  lines: readonly (number | null)[] = [],
): FindingDraft[] {
  const out: FindingDraft[] = [];
  results.forEach((r, i) => {
    if (r.outcome !== 'failed') return;
    const e = expectations[i]!;
    const line = lines[i];
    const where = line ? ` (scenario line ${line})` : '';
    const what = r.label.replace(/^expect: /, '');
    if (e.kind === 'setting-found')
      out.push({
        rule: 'missing-privacy-switch',
        severity: 'medium',
        category: null,
        sdk: null,
        title: `no privacy switch found: ${e.labels.length > 0 ? e.labels.join(' | ') : 'default labels'}`,
        detail: `The scenario expects a switch to turn off personalisation${where}; ${r.detail}.`,
        evidence: [],
        count: 0,
      });
    else
      out.push({
        rule: 'failed-expectation',
        severity: 'high',
        category: 'category' in e ? e.category : null,
        sdk: null,
        title: `expectation failed: ${what}`,
        detail: `The scenario asserts ${what}${where}; the run shows ${r.detail}.`,
        evidence: r.evidence ?? [],
        count: r.count ?? 0,
      });
  });
  return out;
}
