// SARIF 2.1.0 that GitHub code scanning accepts (validated against the schema in
// test/report-sarif.test.ts): one run, the rules found, one result per finding with its level
// from severity, a physical location (the scenario line of the step or expectation behind it,
// else the APK, else the scenario or trace file), logical locations from the evidence API and
// stack, and partialFingerprints that stay the same for the same finding in the next build.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectationFinding } from './junit.ts';
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

export interface SarifOptions {
  /** Relative URIs are relative to this folder (%SRCROOT%); default: the working directory. */
  baseDir?: string;
}

interface PhysicalLocation {
  artifactLocation: { uri: string; uriBaseId?: string };
  region?: { startLine: number };
}

/** A file as a SARIF URI: relative to the base (with %SRCROOT%) when inside it, else file://. */
function artifact(file: string, baseDir: string): PhysicalLocation['artifactLocation'] {
  const abs = isAbsolute(file) ? file : resolve(baseDir, file);
  const rel = relative(baseDir, abs);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
    return { uri: encodeURI(rel.split(sep).join('/')), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(abs).href };
}

/** Where a finding comes from, as a file and line. */
export function physicalLocation(f: FindingInfo, m: ReportModel, baseDir: string): PhysicalLocation {
  const src = m.sources;
  const at = (file: string, line: number | null | undefined): PhysicalLocation => ({
    artifactLocation: artifact(file, baseDir),
    ...(line ? { region: { startLine: line } } : {}),
  });
  if (src.scenarioFile) {
    const i = m.expectations.findIndex((e) => expectationFinding(m, e) === f);
    if (i >= 0) return at(src.scenarioFile, src.expectLines[i]);
    const step = f.evidence.find((e) => e.step !== null && src.stepLines[String(e.step)])?.step;
    if (step !== undefined && step !== null) return at(src.scenarioFile, src.stepLines[String(step)]);
  }
  if (src.apk) return at(src.apk, null);
  if (src.scenarioFile) return at(src.scenarioFile, null);
  if (src.ingestedFrom) return at(src.ingestedFrom, null);
  return { artifactLocation: { uri: encodeURIComponent(`${m.run.package}.apk`) } };
}

/** Stable across builds: what the finding is about, never its counts, ids or times. */
export function fingerprint(f: FindingInfo, m: ReportModel): string {
  const title = f.title.replace(/\d+(?:\.\d+)?/g, '#');
  return createHash('sha256')
    .update([m.run.package, f.rule, f.category ?? '', f.sdk ?? '', title].join('\n'))
    .digest('hex')
    .slice(0, 32);
}

function locations(
  f: FindingInfo,
  m: ReportModel,
  baseDir: string,
): { physicalLocation: PhysicalLocation; logicalLocations: LogicalLocation[]; message?: { text: string } }[] {
  const physical = physicalLocation(f, m, baseDir);
  const first = f.evidence[0];
  if (!first) {
    const name = f.category ?? f.rule;
    return [
      { physicalLocation: physical, logicalLocations: [{ fullyQualifiedName: name, name, kind: 'module' }] },
    ];
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
      physicalLocation: physical,
      logicalLocations: logical,
      message: { text: `${first.hook} in phase ${first.phase} on thread ${first.thread}` },
    },
  ];
}

/** One SARIF run object for a report model (the farm puts one per job into one log). */
export function sarifRun(m: ReportModel, o: SarifOptions = {}): Record<string, unknown> {
  const baseDir = o.baseDir ?? process.cwd();
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
  // Two findings alike in everything stable get an occurrence number, so each stays one alert.
  const seen = new Map<string, number>();
  const fingerprintOf = (f: FindingInfo) => {
    const fp = fingerprint(f, m);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return n === 1 ? fp : `${fp}:${n}`;
  };
  const results = m.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIds.indexOf(f.rule),
    level: sarifLevel(f.severity),
    message: { text: `${f.title}: ${f.detail}` },
    locations: locations(f, m, baseDir),
    partialFingerprints: { 'overreachFinding/v1': fingerprintOf(f) },
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
    originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(`${resolve(baseDir)}${sep}`).href } },
    properties: {
      run: r.id,
      package: r.package,
      device: r.device,
      scenario: r.scenario,
      status: r.status,
      events: m.totals.events,
    },
  };
}

/** A SARIF log with one run per model. */
export function sarifLog(models: readonly ReportModel[], o: SarifOptions = {}): Record<string, unknown> {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: models.map((m) => sarifRun(m, o)) };
}

export function buildSarif(m: ReportModel, o: SarifOptions = {}): Record<string, unknown> {
  return sarifLog([m], o);
}

export function renderSarif(m: ReportModel, o: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(m, o), null, 2)}\n`;
}
