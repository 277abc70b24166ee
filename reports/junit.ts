// JUnit XML for CI: one <testsuite> per run with one <testcase> per rule (every known rule plus
// any rule found; it fails when it has findings at or above the threshold) and one per `expect`
// assertion (a failed one fails with its evidence whatever the threshold; an inconclusive one is
// an error; a skipped one is skipped). Every text is XML-escaped, characters XML cannot carry stripped.
import { escapeXml as x } from './escape.ts';
import { fmtCount, fmtOffset } from './format.ts';
import type { ExpectationInfo, FindingInfo, ReportModel } from './model-types.ts';
import { EXPECTATION_RULE_IDS, KNOWN_RULES, ruleDescription } from './rules.ts';
import { atLeast, type Severity, severityRank } from './severity.ts';

export function findingText(f: FindingInfo, m: ReportModel): string {
  const lines = [
    `[${f.severity}] ${f.title}${f.category ? ` · ${f.category}` : ''}${f.sdk ? ` · ${f.sdk}` : ''} (${fmtCount(f.count)} events)`,
    `  ${f.detail}`,
  ];
  for (const e of f.evidence.slice(0, 5)) {
    lines.push(`  ${fmtOffset(e.time, m.origin)} ${e.phase} ${e.api} ${e.args ?? ''} on ${e.thread}`);
  }
  return lines.join('\n');
}

/** The finding a failed expectation became (reports/sarif.ts uses it for the scenario line too). */
export function expectationFinding(m: ReportModel, e: ExpectationInfo): FindingInfo | undefined {
  const what = e.label.replace(/^expect: /, '');
  if (what.startsWith('setting-found')) return m.findings.find((f) => f.rule === 'missing-privacy-switch');
  return m.findings.find((f) => f.rule === 'failed-expectation' && f.title === `expectation failed: ${what}`);
}

export interface JunitSuite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** One run as one <testsuite> (the farm's junit.xml holds one per job). */
/** `threshold` null: findings never fail a rule's test case (a farm without fail-on). */
export function junitSuite(m: ReportModel, threshold: Severity | null = 'low', name?: string): JunitSuite {
  const byRule = new Map<string, FindingInfo[]>();
  for (const r of KNOWN_RULES) if (!EXPECTATION_RULE_IDS.includes(r)) byRule.set(r, []);
  for (const f of m.findings)
    if (!EXPECTATION_RULE_IDS.includes(f.rule)) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const suite = name ?? `overreach run ${m.run.id}: ${m.run.package}`;
  const cls = `overreach.${m.run.package}`;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const cases: string[] = [];
  const testcase = (caseName: string, body: string) =>
    `    <testcase classname="${x(cls)}" name="${x(caseName)}" time="0">${body}${body ? '\n    ' : ''}</testcase>`;
  for (const [rule, list] of byRule) {
    const failing = threshold === null ? [] : list.filter((f) => atLeast(f.severity, threshold));
    const passing = threshold === null ? list : list.filter((f) => !atLeast(f.severity, threshold));
    let body = '';
    if (failing.length > 0) {
      failures++;
      const worst = failing.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
      const msg = `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${threshold} (worst: ${worst.severity})`;
      body += `\n      <failure message="${x(msg)}" type="${x(worst.severity)}">${x(failing.map((f) => findingText(f, m)).join('\n\n'))}</failure>`;
    }
    if (passing.length > 0) {
      const head = threshold === null ? 'findings (no fail-on threshold)' : `below ${threshold}`;
      body += `\n      <system-out>${x(`${head}:\n${passing.map((f) => findingText(f, m)).join('\n\n')}`)}</system-out>`;
    }
    cases.push(testcase(`${rule}: ${ruleDescription(rule)}`, body));
  }
  for (const e of m.expectations) {
    let body = '';
    if (e.outcome === 'failed') {
      failures++;
      const f = expectationFinding(m, e);
      const text = f ? findingText(f, m) : (e.detail ?? '');
      body = `\n      <failure message="${x(`${e.label}: ${e.detail ?? 'failed'}`)}" type="expectation">${x(text)}</failure>`;
    } else if (e.outcome === 'inconclusive') {
      errors++;
      body = `\n      <error message="${x(`${e.label}: ${e.detail ?? 'inconclusive'}`)}" type="inconclusive"/>`;
    } else if (e.outcome === 'skipped') {
      skipped++;
      body = `\n      <skipped message="${x(e.detail ?? 'skipped')}"/>`;
    }
    cases.push(testcase(e.label, body));
  }
  const timestamp = new Date(m.run.startedAt).toISOString().replace(/\.\d+Z$/, '');
  const seconds = m.run.endedAt === null ? 0 : (m.run.endedAt - m.run.startedAt) / 1000;
  const xml = `  <testsuite name="${x(suite)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${timestamp}" time="${seconds.toFixed(3)}" hostname="${x(m.run.device)}">
    <properties>
      <property name="run" value="${m.run.id}"/>
      <property name="package" value="${x(m.run.package)}"/>
      <property name="scenario" value="${x(m.run.scenario)}"/>
      <property name="status" value="${x(m.run.status)}"/>
      <property name="events" value="${m.totals.events}"/>
      <property name="fail-on" value="${threshold ?? 'none'}"/>
    </properties>
${cases.join('\n')}
  </testsuite>`;
  return { xml, tests: cases.length, failures, errors, skipped };
}

/** Wraps suites in one <testsuites> document. */
export function junitDocument(name: string, suites: readonly JunitSuite[]): string {
  const sum = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(name)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}">
${suites.map((s) => s.xml).join('\n')}
</testsuites>
`;
}

export function renderJunit(m: ReportModel, threshold: Severity = 'low'): string {
  return junitDocument('overreach', [junitSuite(m, threshold)]);
}
