// The MIIT 164 checklist of one run: each of the 42 scenarios with its status — violated (the
// findings that say so), not observed (a deciding rule had what it needs and found nothing), not
// tested (the scenario did not exercise it: no consent step, no refusal, no relaunch …), or
// needs a person (with what the report gives them). Also the UI texts nearest a finding.
import type Database from 'better-sqlite3';
import {
  PERSON_EVIDENCE,
  RULE_SCENARIOS,
  rulesDeciding,
  rulesSupporting,
  scenariosOf,
} from '../harness/analysis/miit/rule-scenarios.ts';
import { MIIT_SCENARIOS } from '../harness/analysis/miit/scenarios.ts';
import { describePopup, PopupIndex } from '../harness/analysis/popup-texts.ts';
import type { ChecklistRow, FindingInfo, UiMoment } from './model-types.ts';

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Statements a report runs once per finding (uiMomentAt, nearestScreenshot), prepared once per
 * connection: preparing one costs about as much as running it, hundreds of findings many times.
 */
const perFinding = new WeakMap<
  Database.Database,
  {
    snapshot: Database.Statement<
      [number, number, number],
      { time: number; kind: string; target: string | null; nodes: string }
    > | null;
    screenshot: Database.Statement<[number, number], { detail: string; t: number }>;
  }
>();

function perFindingStatements(db: Database.Database) {
  let s = perFinding.get(db);
  if (!s) {
    s = {
      snapshot: hasTable(db, 'ui_snapshots')
        ? db.prepare(
            `SELECT time, kind, target, nodes FROM ui_snapshots WHERE run_id = ? AND time <= ? AND time >= ?
       ORDER BY time DESC, id DESC LIMIT 1`,
          )
        : null,
      screenshot: db.prepare(
        `SELECT detail, started_at AS t FROM steps WHERE run_id = ? AND kind = 'screenshot' AND outcome = 'ok'
         AND detail IS NOT NULL ORDER BY abs(started_at - ?) LIMIT 1`,
      ),
    };
    perFinding.set(db, s);
  }
  return s;
}

export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some(
    (c) => c.name === column,
  );
}

/** The finding → scenario ids stored by the analysis (schema 5), else the rules' lists. */
export function findingScenarios(db: Database.Database, runId: number): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const col = hasColumn(db, 'findings', 'scenarios');
  const rows = db
    .prepare<[number], { id: number; rule: string; s: string | null }>(
      `SELECT id, rule, ${col ? 'scenarios' : 'NULL'} AS s FROM findings WHERE run_id = ?`,
    )
    .all(runId);
  for (const r of rows) out.set(r.id, scenariosOf(r.rule, r.s ? (JSON.parse(r.s) as string[]) : null));
  return out;
}

/** What the run gives each rule to judge; a reason when it cannot. */
function exercised(
  db: Database.Database,
  runId: number,
  pkg: string,
  policyKnown: boolean,
): Map<string, string | true> {
  const one = (sql: string, ...p: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(runId, ...p) as number;
  // Whether, not how many: EXISTS stops at the first row (a count walked a million).
  const events = one('SELECT EXISTS (SELECT 1 FROM events WHERE run_id = ?)');
  const snaps = hasTable(db, 'ui_snapshots');
  const consent = snaps ? one("SELECT count(*) FROM ui_snapshots WHERE run_id = ? AND kind = 'consent'") : 0;
  const taps = snaps ? one("SELECT count(*) FROM ui_snapshots WHERE run_id = ? AND kind = 'tap'") : 0;
  // Whether any permission result says denied / granted: the summaries (interned texts, few)
  // that say it first, then the first event with one of them ends the search.
  const answered = (word: string) => {
    const ids = db
      .prepare<[string], number>('SELECT id FROM summaries WHERE instr(text, ?) > 0')
      .pluck()
      .all(word);
    if (ids.length === 0) return false;
    const few = ids.length <= 500; // else the same set as a subquery (bound-parameter limit)
    return (
      db
        .prepare<unknown[], number>(
          `SELECT EXISTS (SELECT 1 FROM events WHERE run_id = ?
           AND category_id = (SELECT id FROM categories WHERE name = 'permission-request')
           AND args_id IN (${few ? ids.map(() => '?').join(', ') : 'SELECT id FROM summaries WHERE instr(text, ?) > 0'}))`,
        )
        .pluck()
        .get(runId, ...(few ? ids : [word])) === 1
    );
  };
  const denied = answered('=denied');
  const granted = answered('=granted');
  const launches = one(
    `SELECT count(*) FROM lifecycle l JOIN processes p ON p.id = l.process_id
     WHERE l.run_id = ? AND l.kind = 'app-start' AND p.name = ?`,
    pkg,
  );
  const background = one("SELECT count(*) FROM lifecycle WHERE run_id = ? AND kind = 'background'");
  const sends = one(
    "SELECT EXISTS (SELECT 1 FROM events WHERE run_id = ? AND category_id = (SELECT id FROM categories WHERE name = 'network-send'))",
  );
  const checkSetting = one("SELECT count(*) FROM steps WHERE run_id = ? AND kind = 'check-setting'");
  const r = (ok: boolean, why: string): string | true => (ok ? true : why);
  const noEvents = 'no events recorded';
  const m = new Map<string, string | true>([
    ['access-before-consent', r(events > 0, noEvents)],
    ['undeclared-collection', r(policyKnown, 'no app profile (privacy-policy declarations)')],
    ['background-access', r(background > 0, 'the app was never in the background (add a background step)')],
    ['excessive-rate', r(events > 0, noEvents)],
    ['periodic-collection', r(events > 0, noEvents)],
    ['permission-rerequest', r(denied, 'no permission was refused (add a permission-dialog deny step)')],
    ['consent-dialog', r(consent > 0, 'no consent step recorded the consent dialog')],
    ['refusal-exit', r(denied, 'no permission was refused at first start')],
    ['rerequest-next-start', r(denied && launches >= 2, 'needs a refusal and a relaunch step')],
    ['premature-permission', r(granted, 'no permission was granted through the dialog')],
    ['associated-start', r(events > 0, noEvents)],
    ['deceptive-download', r(taps > 0, 'no tap recorded (UI snapshots)')],
    ['reward-for-identity', r(taps + consent > 0, 'no screen recorded (UI snapshots)')],
    [
      'undisclosed-personalisation',
      r(policyKnown && checkSetting > 0, 'needs a profile and a check-setting step'),
    ],
    ['transmission-before-consent', r(sends > 0, 'no outgoing message was captured (network-send events)')],
    ['undisclosed-recipient', r(policyKnown && sends > 0, 'needs a profile and captured network sends')],
  ]);
  return m;
}

export function buildChecklist(
  db: Database.Database,
  runId: number,
  pkg: string,
  findings: readonly FindingInfo[],
  policyKnown: boolean,
): ChecklistRow[] {
  const ex = exercised(db, runId, pkg, policyKnown);
  return MIIT_SCENARIOS.map((s) => {
    const hits = findings.filter((f) => f.scenarios.includes(s.id));
    const deciding = rulesDeciding(s.id);
    const supporting = rulesSupporting(s.id);
    const row: ChecklistRow = {
      id: s.id,
      zh: s.zh,
      en: s.en,
      person: s.person,
      status: 'not-observed',
      rules: s.person ? supporting : deciding,
      findings: hits.map((f) => f.id),
      note: '',
    };
    if (s.person) {
      row.status = 'person';
      const support = findings.filter((f) => supporting.includes(f.rule)).map((f) => f.id);
      row.findings = support;
      row.note = PERSON_EVIDENCE[s.id] ?? '';
      return row;
    }
    if (hits.length > 0) {
      row.status = 'violated';
      return row;
    }
    const judged = deciding.filter((rule) => ex.get(rule) === true);
    if (judged.length > 0) {
      row.note = `judged by ${judged.join(', ')}`;
      return row;
    }
    row.status = 'not-tested';
    row.note = deciding
      .map((rule) => ex.get(rule))
      .filter((x): x is string => typeof x === 'string')
      .filter((x, i, a) => a.indexOf(x) === i)
      .join('; ');
    return row;
  });
}

/**
 * The screen nearest before `time` (within 30 s): what the user saw when the finding began. The
 * notifications, toasts and dialogs the app showed in those 30 s come first, with their texts
 * (`notification title="…" text="…"`), so a download lured by a notification shows its words.
 */
export function uiMomentAt(
  db: Database.Database,
  runId: number,
  time: number,
  popupIndex: PopupIndex = new PopupIndex(db, runId),
): UiMoment | null {
  const popups = popupIndex.between(time - 30_000, time + 1, 4).map(describePopup);
  const r = perFindingStatements(db).snapshot?.get(runId, time + 1, time - 30_000);
  if (!r) return popups.length ? { time, kind: 'popup', target: null, texts: popups } : null;
  const nodes = JSON.parse(r.nodes) as {
    text: string;
    desc: string;
    clickable: boolean;
    checkable: boolean;
    checked: boolean;
  }[];
  const target = r.target ? (JSON.parse(r.target) as { text: string; desc: string }) : null;
  return {
    time: r.time,
    kind: r.kind,
    target: target ? target.text || target.desc || null : null,
    texts: [
      ...popups,
      ...nodes
        .filter((n) => n.text || n.desc)
        .slice(0, 16)
        .map((n) => `${n.checkable ? (n.checked ? '[x] ' : '[ ] ') : ''}${n.text || n.desc}`),
    ],
  };
}

/** The screenshot step nearest in time to `time` (either side): its file as the step recorded it. */
export function nearestScreenshot(
  db: Database.Database,
  runId: number,
  time: number,
): { file: string; time: number } | null {
  const r = perFindingStatements(db).screenshot.get(runId, time);
  return r ? { file: r.detail, time: r.t } : null;
}

export const KNOWN_CHECKLIST_RULES = Object.keys(RULE_SCENARIOS);
