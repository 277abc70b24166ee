// Console output of a run: live step lines and the closing summary (events per category).
import { readFindings } from '../analysis/engine.ts';
import { SEVERITIES } from '../scenario/types.ts';
import type { Store } from '../store/store.ts';
import type { RunProgress } from './run-context.ts';
import type { RunResult } from './run-scenario.ts';

const MARK = { ok: 'ok', failed: 'FAILED', skipped: 'skipped', inconclusive: 'INCONCLUSIVE' } as const;

/** One line per finished top-level step or expectation (explore actions are summarised by their step). */
export function progressLine(p: RunProgress): string | undefined {
  if (p.type !== 'step-end' || p.nested || p.outcome === undefined) return undefined;
  const head = p.index > 0 ? `${String(p.index).padStart(4)}. ${p.label}` : `      ${p.label}`;
  const detail = p.detail ? `  ${p.detail.split('\n')[0]}` : '';
  return `${head}  ${MARK[p.outcome]}${detail}\n`;
}

export function eventCounts(store: Store, runId: number): { category: string; events: number }[] {
  return store.db
    .prepare<[number], { category: string; events: number }>(
      `SELECT c.name AS category, count(*) AS events FROM events e JOIN categories c ON c.id = e.category_id
       WHERE e.run_id = ? GROUP BY c.name ORDER BY events DESC, category`,
    )
    .all(runId);
}

/** "left the device: 2 values in 3 sends to ByteDance (Pangle/穿山甲), api.example.com", or nothing. */
export function transmissionLine(store: Store, runId: number): string[] {
  const r = store.db
    .prepare<[number], { sends: number; reads: number; orgs: string | null }>(
      `SELECT count(DISTINCT send_event) AS sends, count(DISTINCT coalesce(value_hash, read_event)) AS reads,
         group_concat(DISTINCT organisation) AS orgs FROM v_transmissions WHERE run = ?`,
    )
    .get(runId);
  if (!r || r.sends === 0) return [];
  return [
    `left the device: ${r.reads} value(s) in ${r.sends} send(s) to ${(r.orgs ?? 'unknown hosts').replace(/,/g, ', ')}`,
  ];
}

export function summaryText(store: Store, result: RunResult, dbPath: string): string {
  const counts = eventCounts(store, result.runId);
  const total = counts.reduce((n, c) => n + c.events, 0);
  const failedSteps = result.steps.filter((s) => s.outcome === 'failed').length;
  const failedExpect = result.expectations.filter((e) => e.outcome === 'failed').length;
  const inconclusive = result.expectations.filter((e) => e.outcome === 'inconclusive').length;
  const lines = [
    '',
    `run ${result.runId}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`,
    `steps: ${result.steps.length} (${failedSteps} failed)` +
      (result.expectations.length > 0
        ? `; expectations: ${result.expectations.length} (${failedExpect} failed${inconclusive ? `, ${inconclusive} inconclusive` : ''})`
        : ''),
    `events: ${total}${result.malformedMessages > 0 ? ` (${result.malformedMessages} malformed agent messages skipped)` : ''}`,
    ...counts.map((c) => `  ${c.category.padEnd(20)} ${String(c.events).padStart(6)}`),
    ...findingsSummary(store, result.runId),
    ...transmissionLine(store, result.runId),
    `database: ${dbPath}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** "findings: 12 (high 5, medium 6, low 1)" and the MIIT 164 scenario ids they violate. */
export function findingsSummary(store: Store, runId: number): string[] {
  const findings = readFindings(store, runId);
  if (findings.length === 0) return ['findings: none'];
  const bySev = [...SEVERITIES]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0);
  const ids = new Map<string, number>();
  for (const f of findings) for (const s of f.scenarios ?? []) ids.set(s, (ids.get(s) ?? 0) + 1);
  const sorted = [...ids].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return [
    `findings: ${findings.length} (${bySev.map(([s, n]) => `${s} ${n}`).join(', ')})`,
    ...(sorted.length
      ? [`MIIT 164 scenarios violated: ${sorted.map(([id, n]) => (n > 1 ? `${id} ×${n}` : id)).join(', ')}`]
      : []),
  ];
}
