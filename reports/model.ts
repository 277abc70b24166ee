// Builds the report model of one run with set-based SQL: every per-event figure comes from a
// GROUP BY (two passes over the run's events), evidence is bounded per finding, so a
// 1,000,000-event run stays fast. Renderers never touch the database. Findings and their
// evidence are model-findings.ts.
import type Database from 'better-sqlite3';
import { bundledVsRan } from '../harness/analysis/bundled-vs-ran.ts';
import { declaredPermissions, runApiLevel } from '../harness/analysis/declared.ts';
import { runOrigin } from '../harness/analysis/origin.ts';
import { StoreError } from '../harness/errors.ts';
import { lookupNames, readRollup, rollupStored } from '../harness/store/rollup-read.ts';
import type { RunRollup } from '../harness/store/rollups.ts';
import { capValue, REPORT_LIMITS } from './limits.ts';
import { buildChecklist } from './model-checklist.ts';
import { findingsSection } from './model-findings.ts';
import { analysisContext, expectations, runSources, storedPolicyCategories } from './model-run.ts';
import { appOps, declaredVsUsed, hookCoverage, problems, sdkRows } from './model-sections.ts';
import { buildTimeline, timelineRange } from './model-timeline.ts';
import { transmissionsSection } from './model-transmissions.ts';
import type { ApiCount, BuildOptions, PhaseInfo, ReportModel, RunInfo, StepInfo } from './model-types.ts';
import { SEVERITIES } from './severity.ts';

interface RunRowJoined {
  id: number;
  package: string;
  device: string;
  scenario: string;
  status: string;
  status_reason: string | null;
  started_at: number;
  ended_at: number | null;
  tool_version: string;
  agent_version: string | null;
  events_dropped: number;
  batches_lost: number;
  app_id: number | null;
  label: string | null;
  version_name: string | null;
  version_code: number | null;
}

function runInfo(db: Database.Database, runId: number): RunInfo & { appId: number | null } {
  const r = db
    .prepare<[number], RunRowJoined>(
      `SELECT r.*, a.label, a.version_name, a.version_code
       FROM runs r LEFT JOIN apps a ON a.id = r.app_id WHERE r.id = ?`,
    )
    .get(runId);
  if (!r) throw new StoreError(`no run ${runId}`);
  const processes = db
    .prepare<[number], { pid: number; name: string; apiLevel: number | null }>(
      'SELECT pid, name, api_level AS apiLevel FROM processes WHERE run_id = ? ORDER BY id',
    )
    .all(runId);
  return {
    id: r.id,
    package: r.package,
    appLabel: r.label,
    versionName: r.version_name,
    versionCode: r.version_code,
    device: r.device,
    scenario: r.scenario,
    status: r.status,
    statusReason: r.status_reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    toolVersion: r.tool_version,
    agentVersion: r.agent_version,
    processes,
    eventsDropped: r.events_dropped,
    batchesLost: r.batches_lost,
    appId: r.app_id,
  };
}

interface Aggregate {
  step: number | null;
  sdk: string | null;
  hook: string;
  api: string;
  category: string;
  n: number;
}

/** Id → name of a small lookup table. */
/** Accesses per (step, SDK, API) from the run's roll-up; steps, SDKs and APIs are folded from it. */
function aggregate(db: Database.Database, rollup: RunRollup): Aggregate[] {
  const sdks = lookupNames(db, 'sdks');
  const apis = new Map(
    db
      .prepare<[], { id: number; hook: string; api: string; category: string }>(
        'SELECT a.id, a.hook, a.signature AS api, c.name AS category FROM apis a JOIN categories c ON c.id = a.category_id',
      )
      .all()
      .map((r) => [r.id, r]),
  );
  return rollup.steps.map((g) => {
    const a = apis.get(g.apiId);
    return {
      step: g.stepId,
      sdk: g.sdkId === null ? null : (sdks.get(g.sdkId) ?? null),
      hook: a?.hook ?? '',
      api: a?.api ?? '',
      category: a?.category ?? '',
      n: g.n,
    };
  });
}

function phases(db: Database.Database, rollup: RunRollup): PhaseInfo[] {
  const phaseNames = lookupNames(db, 'phases');
  const categoryNames = lookupNames(db, 'categories');
  const rows = rollup.groups.map((g) => ({
    phase: phaseNames.get(g.phaseId) ?? '',
    category: categoryNames.get(g.categoryId) ?? '',
    n: g.n,
    first: g.first,
    last: g.last,
  }));
  const byPhase = new Map<string, PhaseInfo>();
  for (const r of rows) {
    const p = byPhase.get(r.phase) ?? {
      phase: r.phase,
      events: 0,
      firstAt: r.first,
      lastAt: r.last,
      categories: {},
    };
    p.events += r.n;
    p.firstAt = Math.min(p.firstAt, r.first);
    p.lastAt = Math.max(p.lastAt, r.last);
    p.categories[r.category] = (p.categories[r.category] ?? 0) + r.n;
    byPhase.set(r.phase, p);
  }
  return [...byPhase.values()].sort((a, b) => a.firstAt - b.firstAt);
}

function steps(db: Database.Database, runId: number, agg: readonly Aggregate[]): StepInfo[] {
  const list = db
    .prepare<[number], Omit<StepInfo, 'events' | 'categories'>>(
      `SELECT id, idx, kind, label, phase, started_at AS startedAt, ended_at AS endedAt, outcome, detail
       FROM steps WHERE run_id = ? ORDER BY idx`,
    )
    .all(runId)
    .map((s) => ({
      ...s,
      label: capValue(s.label, REPORT_LIMITS.valueChars, `step ${s.id}`),
      detail: s.detail === null ? null : capValue(s.detail, REPORT_LIMITS.valueChars, `step ${s.id}`),
      events: 0,
      categories: {} as Record<string, number>,
    }));
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const a of agg) {
    const s = a.step === null ? undefined : byId.get(a.step);
    if (!s) continue;
    s.events += a.n;
    s.categories[a.category] = (s.categories[a.category] ?? 0) + a.n;
  }
  return list;
}

function apiCounts(agg: readonly Aggregate[]): ApiCount[] {
  const m = new Map<string, ApiCount>();
  for (const a of agg) {
    const key = `${a.hook}\n${a.api}`;
    const c = m.get(key) ?? { hook: a.hook, api: a.api, category: a.category, accesses: 0 };
    c.accesses += a.n;
    m.set(key, c);
  }
  return [...m.values()].sort((a, b) => b.accesses - a.accesses || (a.hook < b.hook ? -1 : 1));
}

/** The manifest as the analysis sees it (maxSdkVersion honoured for the run's API level). */
function manifestPermissions(
  db: Database.Database,
  runId: number,
  appId: number | null,
  given?: readonly string[],
): string[] | null {
  if (given) return [...given];
  const set = declaredPermissions(db, appId, runApiLevel(db, runId));
  return set ? [...set].sort() : null;
}

export function buildReportModel(db: Database.Database, runId: number, opts: BuildOptions = {}): ReportModel {
  const { appId, ...run } = runInfo(db, runId);
  const raw = opts.raw === true;
  // Counts come from the run's roll-up (kept while ingesting), not from passes over its events.
  // Stored: its per-second part is summed into the timeline's buckets by SQL, not read here.
  const stored = rollupStored(db, runId);
  const rollup = readRollup(db, runId, { seconds: !stored });
  const t = { n: 0, first: null as number | null, last: null as number | null };
  for (const g of rollup.groups) {
    t.n += g.n;
    t.first = t.first === null ? g.first : Math.min(t.first, g.first);
    t.last = t.last === null ? g.last : Math.max(t.last, g.last);
  }
  const agg = aggregate(db, rollup);
  const stepList = steps(db, runId, agg);
  const phaseList = phases(db, rollup);
  const used = new Map<string, number>();
  for (const p of phaseList)
    for (const [c, n] of Object.entries(p.categories)) used.set(c, (used.get(c) ?? 0) + n);
  const sdkPairs = new Map<string, { sdk: string | null; category: string; n: number }>();
  for (const a of agg) {
    const key = `${a.sdk ?? ''}\n${a.category}`;
    const p = sdkPairs.get(key) ?? { sdk: a.sdk, category: a.category, n: 0 };
    p.n += a.n;
    sdkPairs.set(key, p);
  }
  const apis = apiCounts(agg);
  const f = findingsSection(db, runId, opts.evidence ?? 20, raw);
  const bySeverity: Record<string, number> = {};
  for (const s of SEVERITIES) bySeverity[s] = 0;
  for (const x of f.findings) bySeverity[x.severity] = (bySeverity[x.severity] ?? 0) + 1;
  // One origin for every time in the report, the same as the analysis's "+12.3 s".
  const origin = runOrigin(db, runId, t.first);
  const drawn = timelineRange(t.first, t.last, stepList);
  const range = { start: Math.min(drawn.start, origin), end: Math.max(drawn.end, origin + 1) };
  const policy = opts.policyCategories ? [...opts.policyCategories] : storedPolicyCategories(db, runId);
  const undeclared = new Set(
    f.findings.filter((x) => x.rule === 'undeclared-collection' && x.category).map((x) => x.category!),
  );
  const dvu = declaredVsUsed(
    used,
    manifestPermissions(db, runId, appId, opts.permissions),
    policy,
    undeclared,
  );
  return {
    schema: 'overreach-report/1',
    generatedAt: opts.now ?? Date.now(),
    raw,
    run,
    origin,
    context: analysisContext(db, runId),
    expectations: expectations(db, runId),
    sources: runSources(db, runId),
    totals: {
      events: t.n,
      firstEventAt: t.first,
      lastEventAt: t.last,
      categories: used.size,
      apis: apis.length,
      findings: f.findings.length,
      bySeverity,
    },
    steps: stepList,
    phases: phaseList,
    timeline: buildTimeline(db, runId, range, stepList, opts.buckets ?? 120, rollup, stored),
    findings: f.findings,
    stacks: f.stacks,
    declaredVsUsed: dvu,
    sdks: sdkRows([...sdkPairs.values()]),
    apis,
    hooks: hookCoverage(db, runId),
    appops: appOps(db, runId),
    problems: problems(db, runId),
    bundledVsRan: bundledVsRan(db, runId),
    transmissions: transmissionsSection(db, runId, raw),
    checklist: buildChecklist(db, runId, run.package, f.findings, dvu.policyKnown),
    lang: opts.lang ?? 'en',
  };
}
