// Builds the report model of one run with set-based SQL: every per-event figure comes from a
// GROUP BY (two passes over the run's events), evidence is bounded per finding, so a
// 1,000,000-event run stays fast. Renderers never touch the database.
import type Database from 'better-sqlite3';
import { bundledVsRan } from '../harness/analysis/bundled-vs-ran.ts';
import { declaredPermissions, runApiLevel } from '../harness/analysis/declared.ts';
import { runOrigin } from '../harness/analysis/origin.ts';
import { PopupIndex } from '../harness/analysis/popup-texts.ts';
import { StoreError } from '../harness/errors.ts';
import { lookupNames, readRollup } from '../harness/store/rollup-read.ts';
import type { RunRollup } from '../harness/store/rollups.ts';
import { EVENT_JOINS } from '../harness/store/schema.ts';
import { capFrames, capValue, FindingBudget, REPORT_LIMITS } from './limits.ts';
import { buildChecklist, findingScenarios, nearestScreenshot, uiMomentAt } from './model-checklist.ts';
import { analysisContext, expectations, runSources, storedPolicyCategories } from './model-run.ts';
import { appOps, declaredVsUsed, hookCoverage, problems, sdkRows } from './model-sections.ts';
import { buildTimeline, timelineRange } from './model-timeline.ts';
import { transmissionsSection } from './model-transmissions.ts';
import type {
  ApiCount,
  BuildOptions,
  EvidenceEvent,
  FindingInfo,
  PhaseInfo,
  ReportModel,
  RunInfo,
  StackInfo,
  StepInfo,
} from './model-types.ts';
import { ruleDescription } from './rules.ts';
import { SEVERITIES, severityRank } from './severity.ts';

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

interface EvidenceRow extends Omit<EvidenceEvent, 'foreground'> {
  findingId: number;
  foreground: number;
}

/**
 * The analysis stores `title\ndetail\nevidence: K of N events` in `findings.detail`; a plain
 * one-line detail (other writers) is kept whole.
 */
export function splitStoredDetail(text: string): { title?: string; detail: string; count?: number } {
  const lines = text.split('\n');
  const m = /^evidence: \d+ of (\d+) events$/.exec(lines[lines.length - 1] ?? '');
  const count = m ? Number(m[1]) : undefined;
  if (m) lines.pop();
  if (lines.length < 2) return { detail: lines.join('\n'), ...(count === undefined ? {} : { count }) };
  return { title: lines[0]!, detail: lines.slice(1).join('\n'), ...(count === undefined ? {} : { count }) };
}

function findings(
  db: Database.Database,
  runId: number,
  evidenceLimit: number,
  raw: boolean,
): { findings: FindingInfo[]; stacks: Record<string, StackInfo> } {
  // Schema v4 has title / event_count columns; older rows packed them into detail (see below).
  const title = 'f.title';
  const count = 'f.event_count';
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
        count: number | null;
        linked: number;
      }
    >(
      `SELECT f.id, f.rule, f.severity, f.category, f.sdk, f.detail, ${title} AS title, ${count} AS count,
         (SELECT count(*) FROM finding_events fe WHERE fe.finding_id = f.id) AS linked
       FROM findings f WHERE f.run_id = ?`,
    )
    .all(runId);
  const evidence = db
    .prepare<[number, number, number], EvidenceRow>(
      `SELECT x.finding_id AS findingId, e.id AS id, e.time AS time, p.name AS process, t.name AS thread,
         a.hook AS hook, a.signature AS api, c.name AS category, ph.name AS phase, e.foreground AS foreground,
         st.idx AS step, st.label AS stepLabel, sd.name AS sdk, sa.text AS args, sr.text AS result,
         e.value_hash AS valueHash, CASE WHEN ? THEN e.raw END AS raw, e.stack_id AS stackId
       FROM (SELECT fe.finding_id, fe.event_id,
               row_number() OVER (PARTITION BY fe.finding_id ORDER BY ev.time, ev.id) AS rn
             FROM findings f JOIN finding_events fe ON fe.finding_id = f.id JOIN events ev ON ev.id = fe.event_id
             WHERE f.run_id = ?) x
       JOIN events e ON e.id = x.event_id
       ${EVENT_JOINS}
       WHERE x.rn <= ?
       ORDER BY x.finding_id, e.time, e.id`,
    )
    .all(raw ? 1 : 0, runId, evidenceLimit);
  const byFinding = new Map<number, EvidenceEvent[]>();
  const stackIds = new Set<number>();
  // Long app values are capped per value and per finding (limits.ts); the database keeps them whole.
  const budgets = new Map<number, FindingBudget>();
  for (const { findingId, foreground, ...e } of evidence) {
    const list = byFinding.get(findingId) ?? [];
    const budget = budgets.get(findingId) ?? new FindingBudget();
    budgets.set(findingId, budget);
    const where = `event ${e.id}`;
    e.args = budget.take(e.args, where);
    e.result = budget.take(e.result, where);
    e.raw = budget.take(e.raw, where);
    list.push({ ...e, foreground: foreground === 1 });
    byFinding.set(findingId, list);
    if (e.stackId !== null) stackIds.add(e.stackId);
  }
  const stacks: Record<string, StackInfo> = {};
  const getStack = db.prepare<[number], { id: number; frames: string; native: number; sdk: string | null }>(
    'SELECT s.id, s.frames, s.native, sd.name AS sdk FROM stacks s LEFT JOIN sdks sd ON sd.id = s.sdk_id WHERE s.id = ?',
  );
  for (const id of [...stackIds].sort((a, b) => a - b)) {
    const s = getStack.get(id);
    if (s)
      stacks[String(id)] = {
        id,
        frames: s.frames === '' ? [] : capFrames(s.frames.split('\n'), `stack ${id}`),
        native: s.native === 1,
        sdk: s.sdk,
      };
  }
  const scenarios = findingScenarios(db, runId);
  const list: FindingInfo[] = rows.map((r) => {
    // Rows from before schema v4 have no title column and pack it into detail.
    const stored = r.title === null ? splitStoredDetail(r.detail) : { detail: r.detail };
    return {
      id: r.id,
      rule: r.rule,
      severity: r.severity,
      category: r.category,
      sdk: r.sdk,
      title: capValue(
        r.title ?? ('title' in stored ? stored.title : undefined) ?? ruleDescription(r.rule),
        REPORT_LIMITS.valueChars,
        `finding ${r.id}`,
      ),
      detail: capValue(stored.detail, REPORT_LIMITS.valueChars, `finding ${r.id}`),
      count: Math.max(r.count ?? ('count' in stored ? stored.count : undefined) ?? 0, r.linked),
      evidence: byFinding.get(r.id) ?? [],
      scenarios: scenarios.get(r.id) ?? [],
      ui: null,
      screenshot: null,
    };
  });
  let popups: PopupIndex | undefined;
  for (const f of list) {
    const at = f.evidence[0]?.time;
    if (at === undefined) continue;
    popups ??= new PopupIndex(db, runId);
    f.ui = uiMomentAt(db, runId, at, popups);
    f.screenshot = nearestScreenshot(db, runId, at);
  }
  list.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      (a.category ?? '').localeCompare(b.category ?? '') ||
      (a.sdk ?? '').localeCompare(b.sdk ?? '') ||
      a.id - b.id,
  );
  return { findings: list, stacks };
}

/** Evidence rows a report shows in all: thousands of findings still render a readable file. */
export const EVIDENCE_BUDGET = 2000;

/** `wanted` per finding, lowered so all findings together show at most EVIDENCE_BUDGET (≥ 1 each). */
function evidencePerFinding(db: Database.Database, runId: number, wanted: number): number {
  const n =
    db.prepare<[number], number>('SELECT count(*) FROM findings WHERE run_id = ?').pluck().get(runId) ?? 0;
  return n === 0 ? wanted : Math.min(wanted, Math.max(1, Math.floor(EVIDENCE_BUDGET / n)));
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
  const rollup = readRollup(db, runId);
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
  const f = findings(db, runId, evidencePerFinding(db, runId, opts.evidence ?? 20), raw);
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
    timeline: buildTimeline(db, runId, range, stepList, opts.buckets ?? 120, rollup),
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
