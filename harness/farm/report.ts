// Farm-level results: the summary table, findings per app / SDK / rule (text + JSON) and a
// JUnit file with one testsuite per app (each job a testcase; a failed run or a finding at or
// above --fail-on fails it). Every app-produced string is escaped for its format.
import type BetterSqlite3 from 'better-sqlite3';
import { escapeXml } from '../../reports/escape.ts';
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
  findings: { rule: string; severity: string; title: string }[];
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
    { rule: string; severity: string; title: string | null; sdk: string | null }
  >('SELECT rule, severity, title, sdk FROM findings WHERE run_id = ? ORDER BY id');
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
      findings: f.map((x) => ({ rule: x.rule, severity: x.severity, title: x.title ?? x.rule })),
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

export function reportText(r: FarmReport): string {
  const jobs = table([
    ['job', 'app', 'scenario', 'status', 'run', 'attempts', 'findings', 'reason'],
    ...r.jobs.map((j) => [
      String(j.job),
      safe(j.app),
      safe(j.scenario),
      j.status,
      j.runId === undefined ? '-' : String(j.runId),
      `${j.attempts} (${j.devices.join(',')})`,
      String(j.findings.length),
      safe(j.reason ?? ''),
    ]),
  ]);
  const section = (title: string, rows: string[][]) =>
    rows.length > 1 ? `\n${title}\n${table(rows)}\n` : '';
  return `${jobs}\n${section('findings per app', [['app', 'findings'], ...r.perApp.map((a) => [safe(a.app), String(a.findings)])])}${section('findings per SDK', [['sdk', 'findings'], ...r.perSdk.map((a) => [safe(a.sdk), String(a.findings)])])}${section('findings per rule', [['rule', 'severity', 'findings'], ...r.perRule.map((a) => [a.rule, a.severity, String(a.findings)])])}`;
}

const xml = (s: string) => escapeXml(s);

/** JUnit XML, one testsuite per app. */
export function reportJunit(r: FarmReport, failOn: Severity | undefined): string {
  const apps = [...new Set(r.jobs.map((j) => j.app))];
  const suites = apps.map((app) => {
    const jobs = r.jobs.filter((j) => j.app === app);
    const cases = jobs.map((j) => {
      const bad = failOn ? j.findings.filter((f) => atLeast(f.severity, failOn)) : [];
      let body = '';
      if (j.status === 'failed') body = `<error message="${xml(j.reason ?? 'run failed')}"/>`;
      else if (bad.length > 0)
        body = `<failure message="${bad.length} finding(s) at or above ${failOn}">${xml(bad.map((f) => `[${f.severity}] ${f.rule}: ${f.title}`).join('\n'))}</failure>`;
      return {
        failed: j.status === 'completed' && bad.length > 0,
        errored: j.status === 'failed',
        text: `    <testcase classname="${xml(app)}" name="${xml(`job ${j.job}: ${j.scenario}`)}">${body}</testcase>`,
      };
    });
    const failures = cases.filter((c) => c.failed).length;
    const errors = cases.filter((c) => c.errored).length;
    return `  <testsuite name="${xml(app)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.map((c) => c.text).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="overreach farm">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** 0 all good; 1 a job failed; 3 a finding at or above failOn (as for `overreach run` expectations). */
export function farmExitCode(r: FarmReport, failOn: Severity | undefined): number {
  if (r.jobs.some((j) => j.status === 'failed')) return 1;
  if (failOn && r.jobs.some((j) => j.findings.some((f) => atLeast(f.severity, failOn)))) return 3;
  return 0;
}
