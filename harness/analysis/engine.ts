// analyzeRun: runs every enabled rule over one run and REPLACES that run's rows in
// findings / finding_events (idempotent): title, explanation (detail), total event count
// (event_count) and the bounded evidence ids (finding_events).
import { SEVERITIES } from '../scenario/types.ts';
import { Store } from '../store/store.ts';
import { compareText } from '../util/compare-text.ts';
import { resolveLimits } from './config.ts';
import { AnalysisContext } from './context.ts';
import { declaredPermissions } from './declared.ts';
import { evaluateExpectation, expectationDrafts } from './expectations.ts';
import { scenariosOf } from './miit/rule-scenarios.ts';
import { RULES } from './rules/index.ts';
import { splitStoredDetail } from './stored-detail.ts';
import type { AnalysisResult, AnalyzeOptions, Db, Finding, FindingDraft, RuleId, RuleSkip } from './types.ts';

// Ranks by map, not indexOf/findIndex per comparison: sorting ~550 findings made ~5,000
// comparisons, each scanning the rule list twice with a closure, in code that runs cold.
const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
// Rules outside the rule list (the expectation rules) sort after it.
// Reversed: a repeated id keeps its first place, as findIndex gave.
const RULE_RANK = new Map<string, number>(RULES.map((r, i) => [r.id, i]).reverse() as [string, number][]);
const severityRank = (s: string) => SEVERITY_RANK.get(s) ?? -1;
const ruleRank = (r: string) => RULE_RANK.get(r) ?? RULES.length;

function dbOf(store: Store | Db): Db {
  return store instanceof Store ? store.db : store;
}

export function compareFindings(a: FindingDraft, b: FindingDraft): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    ruleRank(a.rule) - ruleRank(b.rule) ||
    compareText(a.category ?? '', b.category ?? '') ||
    compareText(a.sdk ?? '', b.sdk ?? '') ||
    (a.evidence[0] ?? 0) - (b.evidence[0] ?? 0)
  );
}

/** Runs the rules, stores the findings (replacing the run's previous ones) and returns details. */
export function analyzeRunDetailed(
  store: Store | Db,
  runId: number,
  opts: AnalyzeOptions = {},
): AnalysisResult {
  const db = dbOf(store);
  const t0 = performance.now();
  const limits = resolveLimits(opts.limits);
  const ctx = new AnalysisContext(db, runId, limits, opts.profile, opts.pack);
  ctx.declared = opts.permissions
    ? new Set(opts.permissions)
    : declaredPermissions(db, ctx.run.appId, ctx.run.apiLevel);
  const timings: Record<string, number> = { prepare: performance.now() - t0 };
  const drafts: FindingDraft[] = [];
  const skipped: RuleSkip[] = [];
  ctx.drafts = drafts;
  for (const rule of RULES) {
    const sw = limits.rules[rule.id];
    if (sw?.enabled === false || (opts.only && !opts.only.includes(rule.id))) continue;
    const t = performance.now();
    const result = rule.run(ctx);
    timings[rule.id] = performance.now() - t;
    if (typeof result === 'string') {
      skipped.push({ rule: rule.id, reason: result });
      continue;
    }
    for (const d of result) drafts.push(sw?.severity ? { ...d, severity: sw.severity } : d);
  }
  drafts.sort(compareFindings);
  const t = performance.now();
  const findings = writeFindings(db, runId, drafts);
  if (opts.expectations && opts.expectations.length > 0) {
    // After the rule findings are stored: `no-finding` expectations read them.
    const results = opts.expectations.map((e) => evaluateExpectation(db, runId, e, true));
    const extra = expectationDrafts(results, opts.expectations, opts.expectationLines)
      .filter((d) => limits.rules[d.rule]?.enabled !== false)
      .map((d) => {
        const sev = limits.rules[d.rule]?.severity;
        return sev ? { ...d, severity: sev } : d;
      });
    findings.push(...writeFindings(db, runId, extra, { append: true }));
    findings.sort(compareFindings);
  }
  timings['write'] = performance.now() - t;
  timings['total'] = performance.now() - t0;
  return { findings, skipped, timings };
}

/** Runs every enabled rule on run `runId`; stores and returns the findings, most severe first. */
export function analyzeRun(store: Store | Db, runId: number, opts: AnalyzeOptions = {}): Finding[] {
  return analyzeRunDetailed(store, runId, opts).findings;
}

/** Replaces run `runId`'s findings with `drafts` (or adds them: `append`) in one transaction. */
export function writeFindings(
  db: Db,
  runId: number,
  drafts: readonly FindingDraft[],
  opts: { append?: boolean } = {},
): Finding[] {
  // Immediate: a writer from the start, so a busy database is waited for (busy timeout).
  const tx = db.transaction(() => {
    if (!opts.append) {
      db.prepare(
        'DELETE FROM finding_events WHERE finding_id IN (SELECT id FROM findings WHERE run_id = ?)',
      ).run(runId);
      db.prepare('DELETE FROM findings WHERE run_id = ?').run(runId);
    }
    // The ids SQLite would give (largest + 1, the table has no AUTOINCREMENT), given here so the
    // evidence of all findings goes in with ONE statement: finding `first + i` gets the i-th
    // list (json_each's key) — one statement per finding cost ~3× as much (~11,000 rows at 1M).
    const first = db.prepare<[], number>('SELECT coalesce(max(id), 0) + 1 FROM findings').pluck().get() ?? 1;
    const add = db.prepare(
      `INSERT INTO findings (id, run_id, rule, severity, category, sdk, title, detail, event_count, created_at, scenarios)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = Date.now();
    const out = drafts.map((raw, i) => {
      // A finding never covers fewer events than its evidence shows (analyze and reports agree).
      const d = { ...raw, count: Math.max(raw.count, new Set(raw.evidence).size) };
      const id = first + i;
      const scenarios = scenariosOf(d.rule, d.scenarios);
      add.run(
        id,
        runId,
        d.rule,
        d.severity,
        d.category,
        d.sdk,
        d.title,
        d.detail,
        d.count,
        now,
        JSON.stringify(scenarios),
      );
      return { ...d, id, runId, scenarios };
    });
    if (drafts.some((d) => d.evidence.length > 0))
      db.prepare(
        `INSERT OR IGNORE INTO finding_events (finding_id, event_id)
         SELECT f.key + ?, e.value FROM json_each(?) AS f, json_each(f.value) AS e`,
      ).run(first, JSON.stringify(drafts.map((d) => d.evidence)));
    return out;
  });
  // The evidence ids are this analysis' own reads of the run's event rows: the foreign-key check
  // of each finding_events row (a lookup into event_rows, ~11,000 at 1M events) proves nothing
  // new. The old findings' evidence is deleted explicitly above, not by cascade. (The pragma is
  // a no-op inside an outer transaction: the checks then stay on.)
  const fk = db.pragma('foreign_keys', { simple: true }) === 1;
  if (fk && !db.inTransaction) db.pragma('foreign_keys = OFF');
  try {
    return tx.immediate();
  } finally {
    if (fk) db.pragma('foreign_keys = ON');
  }
}

/** The stored findings of a run (as analyzeRun returned them), most severe first. */
export function readFindings(store: Store | Db, runId: number): Finding[] {
  const db = dbOf(store);
  const rows = db
    .prepare<
      [number],
      {
        id: number;
        rule: string;
        severity: string;
        category: string | null;
        sdk: string | null;
        detail: string;
        title: string | null;
        eventCount: number | null;
        ids: string | null;
        scenarios: string | null;
      }
    >(
      `SELECT f.id, f.rule, f.severity, f.category, f.sdk, f.detail, f.title, f.event_count AS eventCount, f.scenarios,
         (SELECT group_concat(event_id) FROM (SELECT fe.event_id FROM finding_events fe JOIN events e ON e.id = fe.event_id
           WHERE fe.finding_id = f.id ORDER BY e.time, e.id)) AS ids
       FROM findings f WHERE f.run_id = ? ORDER BY f.id`,
    )
    .all(runId);
  return rows
    .map((r) => {
      const evidence = r.ids ? r.ids.split(',').map(Number) : [];
      const scenarios = scenariosOf(r.rule, r.scenarios ? (JSON.parse(r.scenarios) as string[]) : null);
      // Rows written before schema v4 packed the title and evidence count into detail.
      const packed = r.title === null ? splitStoredDetail(r.detail) : undefined;
      return {
        id: r.id,
        runId,
        rule: r.rule as RuleId,
        severity: r.severity as Finding['severity'],
        category: r.category as Finding['category'],
        sdk: r.sdk,
        title: r.title ?? packed?.title ?? packed?.detail ?? '',
        detail: packed ? (packed.title === undefined ? '' : packed.detail) : r.detail,
        evidence,
        count: (r.title !== null ? r.eventCount : packed?.count) ?? evidence.length,
        scenarios,
      };
    })
    .sort(compareFindings);
}
