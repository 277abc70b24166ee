// Farm-level results: the summary table, findings per app / SDK / rule (text + JSON), JUnit and
// SARIF. JUnit and SARIF are the per-run renderers (reports/junit.ts, reports/sarif.ts) over each
// job's run, so a finding reads the same in `analyze`, `report` and the farm: one testsuite and
// one SARIF run per job, a failed run an error, a failed expectation a failure (exit 3).
// Every app-produced string is escaped for its format.
import type BetterSqlite3 from 'better-sqlite3';
import { escapeXml } from '../../reports/escape.ts';
import { type JunitSuite, junitDocument, junitSuite } from '../../reports/junit.ts';
import { buildReportModel } from '../../reports/model.ts';
import type { ReportModel } from '../../reports/model-types.ts';
import { EXPECTATION_RULE_IDS } from '../../reports/rules.ts';
import { sarifLog } from '../../reports/sarif.ts';
import { atLeast } from '../../reports/severity.ts';
import type { Severity } from '../scenario/types.ts';
import { printable } from '../store/query.ts';
import type { JobOutcome } from './pool.ts';

export interface JobRow {
  job: number;
  app: string;
  scenario: string;
  status: 'completed' | 'failed';
  reason?: string;
  runId?: number;
  attempts: number;
  devices: string[];
  findings: {
    rule: string;
    severity: string;
    category: string | null;
    sdk: string | null;
    count: number;
    title: string;
  }[];
  /** The scenario's expectations as the run judged them. */
  expectations: { label: string; outcome: string; detail: string | null }[];
}

export interface FarmReport {
  jobs: JobRow[];
  perApp: { app: string; findings: number }[];
  perSdk: { sdk: string; findings: number }[];
  perRule: { rule: string; severity: string; findings: number }[];
}

const tally = <T extends string>(items: readonly T[]) => {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
};

export function buildReport(db: BetterSqlite3.Database, outcomes: readonly JobOutcome[]): FarmReport {
  const runInfo = db.prepare<[number], { package: string; scenario: string }>(
    'SELECT package, scenario FROM runs WHERE id = ?',
  );
  const findingsOf = db.prepare<
    [number],
    {
      rule: string;
      severity: string;
      title: string | null;
      sdk: string | null;
      category: string | null;
      count: number;
    }
  >(
    `SELECT rule, severity, title, sdk, category,
       max(coalesce(event_count, 0), (SELECT count(*) FROM finding_events fe WHERE fe.finding_id = findings.id)) AS count
     FROM findings WHERE run_id = ? ORDER BY id`,
  );
  const expectationsOf = db.prepare<[number], { label: string; outcome: string; detail: string | null }>(
    "SELECT label, outcome, detail FROM steps WHERE run_id = ? AND kind = 'expect' ORDER BY idx",
  );
  const sdks: string[] = [];
  const rules: string[] = [];
  const jobs = outcomes.map((o): JobRow => {
    const info = o.runId === undefined ? undefined : runInfo.get(o.runId);
    const f = o.runId === undefined ? [] : findingsOf.all(o.runId);
    for (const x of f) {
      sdks.push(x.sdk ?? 'app');
      rules.push(`${x.rule}\t${x.severity}`);
    }
    return {
      job: o.job.id,
      app: info?.package ?? o.job.app?.ref ?? '?',
      scenario: info?.scenario ?? o.job.scenario,
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.runId !== undefined ? { runId: o.runId } : {}),
      attempts: o.attempts.length,
      devices: o.attempts.map((a) => a.device),
      findings: f.map((x) => ({
        rule: x.rule,
        severity: x.severity,
        category: x.category,
        sdk: x.sdk,
        count: x.count,
        title: x.title ?? x.rule,
      })),
      expectations: (o.runId === undefined ? [] : expectationsOf.all(o.runId)).map((e) => ({
        ...e,
        outcome:
          e.outcome === 'skipped' && (e.detail ?? '').startsWith('inconclusive: ')
            ? 'inconclusive'
            : e.outcome,
      })),
    };
  });
  const perApp = new Map<string, number>();
  for (const j of jobs) perApp.set(j.app, (perApp.get(j.app) ?? 0) + j.findings.length);
  return {
    jobs,
    perApp: [...perApp.entries()].map(([app, findings]) => ({ app, findings })),
    perSdk: tally(sdks).map(([sdk, findings]) => ({ sdk, findings })),
    perRule: tally(rules).map(([k, findings]) => {
      const [rule = '', severity = ''] = k.split('\t');
      return { rule, severity, findings };
    }),
  };
}

/** Control characters from the app are shown escaped so they cannot drive the terminal. */
const safe = (s: string) => printable(s);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "2/9 failed", "9 ok", "3 inconclusive" or "-". */
function expectText(j: JobRow): string {
  const n = j.expectations.length;
  if (n === 0) return '-';
  const failed = j.expectations.filter((e) => e.outcome === 'failed').length;
  const inconclusive = j.expectations.filter((e) => e.outcome === 'inconclusive').length;
  const parts = [];
  if (failed) parts.push(`${failed}/${n} failed`);
  if (inconclusive) parts.push(`${inconclusive}/${n} inconclusive`);
  return parts.length > 0 ? parts.join(', ') : `${n} ok`;
}

export function reportText(r: FarmReport): string {
  const jobs = table([
    ['job', 'app', 'scenario', 'status', 'run', 'attempts', 'findings', 'expect', 'reason'],
    ...r.jobs.map((j) => [
      String(j.job),
      safe(j.app),
      safe(j.scenario),
      j.status,
      j.runId === undefined ? '-' : String(j.runId),
      `${j.attempts} (${j.devices.join(',')})`,
      String(j.findings.length),
      expectText(j),
      safe(j.reason ?? ''),
    ]),
  ]);
  const section = (title: string, rows: string[][]) =>
    rows.length > 1 ? `\n${title}\n${table(rows)}\n` : '';
  return `${jobs}\n${section('findings per app', [['app', 'findings'], ...r.perApp.map((a) => [safe(a.app), String(a.findings)])])}${section('findings per SDK', [['sdk', 'findings'], ...r.perSdk.map((a) => [safe(a.sdk), String(a.findings)])])}${section('findings per rule', [['rule', 'severity', 'findings'], ...r.perRule.map((a) => [a.rule, a.severity, String(a.findings)])])}`;
}

const xml = (s: string) => escapeXml(s);

/** The report model of each job's run (jobs without a run have none). */
export function jobModels(db: BetterSqlite3.Database, r: FarmReport): Map<number, ReportModel> {
  const out = new Map<number, ReportModel>();
  for (const j of r.jobs)
    if (j.runId !== undefined) out.set(j.job, buildReportModel(db, j.runId, { evidence: 5 }));
  return out;
}

/** JUnit XML: one testsuite per job (per rule and per expectation, reports/junit.ts). */
export function reportJunit(
  r: FarmReport,
  failOn: Severity | undefined,
  models: ReadonlyMap<number, ReportModel>,
): string {
  const suites: JunitSuite[] = r.jobs.map((j) => {
    const name = `job ${j.job}: ${j.app} × ${j.scenario}`;
    const m = models.get(j.job);
    const suite = m ? junitSuite(m, failOn ?? null, name) : undefined;
    if (j.status !== 'failed' && suite) return suite;
    // A failed job: an error test case with the cause, before its rules and expectations.
    const err = `    <testcase classname="${xml(j.app)}" name="${xml(`job ${j.job}: run`)}"><error message="${xml(j.reason ?? 'run failed')}"/></testcase>`;
    if (!suite)
      return {
        xml: `  <testsuite name="${xml(name)}" tests="1" failures="0" errors="1" skipped="0">\n${err}\n  </testsuite>`,
        tests: 1,
        failures: 0,
        errors: 1,
        skipped: 0,
      };
    return {
      ...suite,
      xml: suite.xml
        .replace(
          /^( {2}<testsuite [^>]*?)tests="(\d+)"/,
          (_, head: string, n: string) => `${head}tests="${Number(n) + 1}"`,
        )
        .replace(/errors="(\d+)"/, (_, n: string) => `errors="${Number(n) + 1}"`)
        .replace('    </properties>\n', `    </properties>\n${err}\n`),
      tests: suite.tests + 1,
      errors: suite.errors + 1,
    };
  });
  return junitDocument('overreach farm', suites);
}

/** SARIF: one log, one run per job that has a run. */
export function reportSarif(r: FarmReport, models: ReadonlyMap<number, ReportModel>): string {
  const list = r.jobs.map((j) => models.get(j.job)).filter((m): m is ReportModel => m !== undefined);
  return `${JSON.stringify(sarifLog(list), null, 2)}\n`;
}

const isExpectation = (rule: string) => EXPECTATION_RULE_IDS.includes(rule);

/**
 * 0 all good; 1 a job failed; 3 an expectation failed or a finding at or above failOn (as for
 * `overreach run` and `report --fail-on`).
 */
export function farmExitCode(r: FarmReport, failOn: Severity | undefined): number {
  if (r.jobs.some((j) => j.status === 'failed')) return 1;
  if (r.jobs.some((j) => j.expectations.some((e) => e.outcome === 'failed'))) return 3;
  if (
    failOn &&
    r.jobs.some((j) => j.findings.some((f) => !isExpectation(f.rule) && atLeast(f.severity, failOn)))
  )
    return 3;
  return 0;
}
