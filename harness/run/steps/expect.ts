// `expect` assertions, evaluated against the stored trace at the end of a run with SQL.
import type Database from 'better-sqlite3';
import { DEFAULT_SETTING_LABELS, type Expectation, SEVERITIES } from '../../scenario/types.ts';

export interface ExpectResult {
  /** `expect: no-access location in pre-consent` */
  label: string;
  outcome: 'ok' | 'failed' | 'skipped';
  detail: string;
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

function eventTimes(db: Database.Database, runId: number, category: string, phase?: string): number[] {
  const sql = `SELECT e.time AS t FROM events e JOIN categories c ON c.id = e.category_id
    ${phase ? 'JOIN phases p ON p.id = e.phase_id AND p.name = @phase' : ''}
    WHERE e.run_id = @run AND c.name = @category ORDER BY e.time`;
  return db
    .prepare<Record<string, unknown>, { t: number }>(sql)
    .all({ run: runId, category, ...(phase ? { phase } : {}) })
    .map((r) => r.t);
}

/** The largest number of times within any 60-second window (two pointers over sorted times). */
export function maxPerMinute(times: readonly number[]): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= 60_000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export function evaluateExpectation(
  db: Database.Database,
  runId: number,
  e: Expectation,
  analysed: boolean,
): ExpectResult {
  const label = expectLabel(e);
  const result = (ok: boolean, detail: string): ExpectResult => ({
    label,
    outcome: ok ? 'ok' : 'failed',
    detail,
  });
  switch (e.kind) {
    case 'no-access': {
      const n = eventTimes(db, runId, e.category, e.phase).length;
      return result(
        n === 0,
        `${n} ${e.category} event${n === 1 ? '' : 's'}${e.phase ? ` in ${e.phase}` : ''}`,
      );
    }
    case 'max-count': {
      const n = eventTimes(db, runId, e.category, e.phase).length;
      return result(n <= e.count, `${n} ${e.category} events (limit ${e.count})`);
    }
    case 'max-rate': {
      const peak = maxPerMinute(eventTimes(db, runId, e.category, e.phase));
      return result(
        peak <= e.perMinute,
        `peak ${peak} ${e.category} events in one minute (limit ${e.perMinute})`,
      );
    }
    case 'no-finding': {
      if (!analysed || !tableExists(db, 'findings'))
        return { label, outcome: 'skipped', detail: 'no analysis ran for this run: findings unknown' };
      const min = SEVERITIES.indexOf(e.severity ?? 'info');
      const rows = db
        .prepare<[number], { rule: string; severity: string }>(
          'SELECT rule, severity FROM findings WHERE run_id = ?',
        )
        .all(runId)
        .filter(
          (f) =>
            (e.rule === undefined || f.rule === e.rule) &&
            SEVERITIES.indexOf(f.severity as (typeof SEVERITIES)[number]) >= min,
        );
      const rules = [...new Set(rows.map((r) => `${r.rule} (${r.severity})`))].slice(0, 5).join(', ');
      return result(
        rows.length === 0,
        rows.length === 0 ? 'no matching finding' : `${rows.length} findings: ${rules}`,
      );
    }
    case 'setting-found': {
      const labels = e.labels.length > 0 ? e.labels : DEFAULT_SETTING_LABELS;
      const found = db
        .prepare<[number], { detail: string | null }>(
          "SELECT detail FROM steps WHERE run_id = ? AND kind = 'check-setting' AND detail LIKE 'found: %'",
        )
        .all(runId)
        .map((r) => /^found: (.*) @ /.exec(r.detail ?? '')?.[1] ?? '')
        .filter((l) => labels.some((want) => want.toLowerCase() === l.toLowerCase()));
      return result(
        found.length > 0,
        found.length > 0 ? `found ${found[0]}` : 'no check-setting step found it',
      );
    }
  }
}
