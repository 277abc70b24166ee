// JUnit XML for CI: one <testsuite> per run, one <testcase> per rule (every known rule plus
// any rule found); a test case fails when it has findings at or above the threshold.
// Every text is XML-escaped with characters XML cannot carry stripped.
import { escapeXml as x } from './escape.ts';
import { fmtCount, fmtOffset } from './format.ts';
import type { FindingInfo, ReportModel } from './model-types.ts';
import { KNOWN_RULES, ruleDescription } from './rules.ts';
import { atLeast, type Severity, severityRank } from './severity.ts';

function findingText(f: FindingInfo, m: ReportModel): string {
  const lines = [
    `[${f.severity}] ${f.title}${f.category ? ` · ${f.category}` : ''}${f.sdk ? ` · ${f.sdk}` : ''} (${fmtCount(f.count)} events)`,
    `  ${f.detail}`,
  ];
  for (const e of f.evidence.slice(0, 5)) {
    lines.push(`  ${fmtOffset(e.time, m.origin)} ${e.phase} ${e.api} ${e.args ?? ''} on ${e.thread}`);
  }
  return lines.join('\n');
}

export function renderJunit(m: ReportModel, threshold: Severity = 'low'): string {
  const byRule = new Map<string, FindingInfo[]>();
  for (const r of KNOWN_RULES) byRule.set(r, []);
  for (const f of m.findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const suite = `overreach run ${m.run.id}: ${m.run.package}`;
  const cls = `overreach.${m.run.package}`;
  let failures = 0;
  const cases: string[] = [];
  for (const [rule, list] of byRule) {
    const failing = list.filter((f) => atLeast(f.severity, threshold));
    const passing = list.filter((f) => !atLeast(f.severity, threshold));
    let body = '';
    if (failing.length > 0) {
      failures++;
      const worst = failing.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
      const msg = `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${threshold} (worst: ${worst.severity})`;
      body += `\n      <failure message="${x(msg)}" type="${x(worst.severity)}">${x(failing.map((f) => findingText(f, m)).join('\n\n'))}</failure>`;
    }
    if (passing.length > 0) {
      body += `\n      <system-out>${x(`below ${threshold}:\n${passing.map((f) => findingText(f, m)).join('\n\n')}`)}</system-out>`;
    }
    cases.push(
      `    <testcase classname="${x(cls)}" name="${x(`${rule}: ${ruleDescription(rule)}`)}" time="0">${body}${body ? '\n    ' : ''}</testcase>`,
    );
  }
  const timestamp = new Date(m.run.startedAt).toISOString().replace(/\.\d+Z$/, '');
  const seconds = m.run.endedAt === null ? 0 : (m.run.endedAt - m.run.startedAt) / 1000;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="overreach" tests="${cases.length}" failures="${failures}" errors="0">
  <testsuite name="${x(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${timestamp}" time="${seconds.toFixed(3)}" hostname="${x(m.run.device)}">
    <properties>
      <property name="run" value="${m.run.id}"/>
      <property name="package" value="${x(m.run.package)}"/>
      <property name="scenario" value="${x(m.run.scenario)}"/>
      <property name="status" value="${x(m.run.status)}"/>
      <property name="events" value="${m.totals.events}"/>
      <property name="fail-on" value="${threshold}"/>
    </properties>
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}
