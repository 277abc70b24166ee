// The findings section of the report model: each finding with its first evidence events (capped
// per finding and in all, EVIDENCE_BUDGET), their stacks, and what was on screen at the first.

import type Database from 'better-sqlite3';
import { PopupIndex } from '../harness/analysis/popup-texts.ts';
import { splitStoredDetail } from '../harness/analysis/stored-detail.ts';
import { EVENT_JOINS } from '../harness/store/schema.ts';
import { compareText } from '../harness/util/compare-text.ts';
import { capFrames, capValue, FindingBudget, REPORT_LIMITS } from './limits.ts';
import { findingScenarios, nearestScreenshot, uiMomentAt } from './model-checklist.ts';
import type { EvidenceEvent, FindingInfo, StackInfo } from './model-types.ts';
import { ruleDescription } from './rules.ts';
import { severityRank } from './severity.ts';

export interface FindingsSection {
  findings: FindingInfo[];
  stacks: Record<string, StackInfo>;
}

interface EvidenceRow extends Omit<EvidenceEvent, 'foreground'> {
  findingId: number;
  foreground: number;
}

function findings(
  db: Database.Database,
  runId: number,
  evidenceLimit: number,
  raw: boolean,
): FindingsSection {
  // Rows from before schema v4 have NULL title / event_count and pack them into detail (below).
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
      `SELECT f.id, f.rule, f.severity, f.category, f.sdk, f.detail, f.title AS title, f.event_count AS count,
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
      compareText(a.category ?? '', b.category ?? '') ||
      compareText(a.sdk ?? '', b.sdk ?? '') ||
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

/** The run's findings, most severe first, each with its evidence within the report's budget. */
export function findingsSection(
  db: Database.Database,
  runId: number,
  wantedEvidence: number,
  raw: boolean,
): FindingsSection {
  return findings(db, runId, evidencePerFinding(db, runId, wantedEvidence), raw);
}
