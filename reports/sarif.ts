// SARIF 2.1.0: one run, the rules found (with short descriptions), one result per finding with
// its level mapped from severity and logical locations from the evidence API and stack frames.
import type { FindingInfo, ReportModel } from './model-types.ts';
import { ruleDescription } from './rules.ts';
import { sarifLevel, severityRank } from './severity.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SECURITY_SEVERITY = ['1.0', '3.0', '5.5', '8.0', '9.5'];

interface LogicalLocation {
  fullyQualifiedName: string;
  name: string;
  kind: 'function' | 'module';
}

/** "com.foo.Bar.baz(Bar.java:12)" → com.foo.Bar.baz; native frames keep their text. */
function frameName(frame: string): string {
  const paren = frame.indexOf('(');
  return (paren > 0 ? frame.slice(0, paren) : frame).trim();
}

function shortName(fqn: string): string {
  const noArgs = fqn.replace(/\(.*$/, '');
  const dot = noArgs.lastIndexOf('.');
  return dot < 0 ? noArgs : noArgs.slice(dot + 1);
}

function locations(
  f: FindingInfo,
  m: ReportModel,
): { logicalLocations: LogicalLocation[]; message?: { text: string } }[] {
  const first = f.evidence[0];
  if (!first) {
    const name = f.category ?? f.rule;
    return [{ logicalLocations: [{ fullyQualifiedName: name, name, kind: 'module' }] }];
  }
  const logical: LogicalLocation[] = [
    { fullyQualifiedName: first.api, name: shortName(first.api), kind: 'function' },
  ];
  const stack = first.stackId === null ? undefined : m.stacks[String(first.stackId)];
  for (const frame of stack?.frames.slice(0, 8) ?? []) {
    const fqn = frameName(frame);
    if (fqn) logical.push({ fullyQualifiedName: fqn, name: shortName(fqn), kind: 'function' });
  }
  return [
    {
      logicalLocations: logical,
      message: { text: `${first.hook} in phase ${first.phase} on thread ${first.thread}` },
    },
  ];
}

export function buildSarif(m: ReportModel): Record<string, unknown> {
  const ruleIds = [...new Set(m.findings.map((f) => f.rule))].sort();
  const worst = new Map<string, string>();
  for (const f of m.findings) {
    const w = worst.get(f.rule);
    if (w === undefined || severityRank(f.severity) > severityRank(w)) worst.set(f.rule, f.severity);
  }
  const rules = ruleIds.map((id) => ({
    id,
    name: id.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: ruleDescription(id) },
    defaultConfiguration: { level: sarifLevel(worst.get(id) ?? 'info') },
    properties: {
      'security-severity': SECURITY_SEVERITY[severityRank(worst.get(id) ?? 'info')],
      tags: ['privacy'],
    },
  }));
  const results = m.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: sarifLevel(f.severity),
    message: { text: `${f.title}: ${f.detail}` },
    locations: locations(f, m),
    partialFingerprints: { overreachFinding: `${f.rule}/${f.category ?? ''}/${f.sdk ?? ''}` },
    properties: {
      severity: f.severity,
      category: f.category,
      sdk: f.sdk,
      events: f.count,
      evidenceEventIds: f.evidence.map((e) => e.id),
    },
  }));
  const r = m.run;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'overreach',
            version: r.toolVersion,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: r.status === 'completed',
            startTimeUtc: new Date(r.startedAt).toISOString(),
            ...(r.endedAt === null ? {} : { endTimeUtc: new Date(r.endedAt).toISOString() }),
          },
        ],
        automationDetails: { id: `overreach/${r.package}/${r.scenario}/run-${r.id}` },
        results,
        properties: {
          run: r.id,
          package: r.package,
          device: r.device,
          scenario: r.scenario,
          status: r.status,
          events: m.totals.events,
        },
      },
    ],
  };
}

export function renderSarif(m: ReportModel): string {
  return `${JSON.stringify(buildSarif(m), null, 2)}\n`;
}
