// Report sections built from small tables or from the per-(step, sdk, api) aggregate:
// declared-vs-used matrix, SDK breakdown, hook coverage, AppOps, agent errors and device logs.
import type Database from 'better-sqlite3';
import { DATA_CATEGORIES, type DataCategory } from '../agent/protocol/messages.ts';
import { CATEGORY_PERMISSIONS } from '../harness/knowledge/category-permissions.ts';
import { BEHAVIOUR_CATEGORIES } from '../harness/knowledge/policy/types.ts';
import { defaultAttributor } from '../harness/knowledge/sdks.ts';
import { compareText } from '../harness/util/compare-text.ts';
import { capValue, REPORT_LIMITS } from './limits.ts';
import type {
  AppOpsRow,
  DeclaredUsedRow,
  HookCoverage,
  LogLine,
  ReportModel,
  SdkRow,
} from './model-types.ts';

const MAX_PROBLEMS = 200;
const MAX_LOG_LINES = 200;

export function declaredVsUsed(
  used: ReadonlyMap<string, number>,
  manifest: readonly string[] | null,
  policy: readonly string[] | null,
  /** Categories with an undeclared-collection finding: never shown as declared. */
  undeclared: ReadonlySet<string> = new Set(),
): ReportModel['declaredVsUsed'] {
  const declared = manifest ? new Set(manifest) : null;
  const inPolicy = policy ? new Set(policy) : null;
  const rows: DeclaredUsedRow[] = [];
  const guarded = new Set<string>();
  for (const category of DATA_CATEGORIES) {
    const permissions = [...CATEGORY_PERMISSIONS[category]];
    for (const p of permissions) guarded.add(p);
    // Behaviours (dialogs, lifecycle …) are not data anyone declares; timing rules judge them.
    if ((BEHAVIOUR_CATEGORIES as readonly DataCategory[]).includes(category)) continue;
    const declaredPermissions = declared ? permissions.filter((p) => declared.has(p)) : null;
    const accesses = used.get(category) ?? 0;
    const policyHas = inPolicy ? inPolicy.has(category) : null;
    const isDeclared = (declaredPermissions?.length ?? 0) > 0 || policyHas === true;
    if (accesses === 0 && !isDeclared) continue;
    let verdict: DeclaredUsedRow['verdict'];
    if (accesses === 0) verdict = 'declared-unused';
    // Collecting data is declared by the privacy policy, not by holding a permission; the same
    // test as the undeclared-collection rule, whose findings win when they disagree.
    else if (undeclared.has(category)) verdict = 'used-undeclared';
    else if (policyHas === true) verdict = 'used-declared';
    else if (policyHas === false) verdict = 'used-undeclared';
    else if (permissions.length === 0) verdict = 'used-no-permission';
    else verdict = 'unknown';
    rows.push({ category, permissions, declaredPermissions, inPolicy: policyHas, accesses, verdict });
  }
  // Categories outside the protocol list (a newer agent) still show when used.
  for (const [category, accesses] of used) {
    if ((DATA_CATEGORIES as readonly string[]).includes(category)) continue;
    rows.push({
      category,
      permissions: [],
      declaredPermissions: declared ? [] : null,
      inPolicy: inPolicy ? inPolicy.has(category) : null,
      accesses,
      verdict: 'unknown',
    });
  }
  rows.sort((a, b) => b.accesses - a.accesses || (a.category < b.category ? -1 : 1));
  return {
    manifestKnown: declared !== null,
    policyKnown: inPolicy !== null,
    rows,
    otherPermissions: manifest ? manifest.filter((p) => !guarded.has(p)).sort() : [],
  };
}

export function sdkRows(pairs: readonly { sdk: string | null; category: string; n: number }[]): SdkRow[] {
  const bySdk = new Map<string | null, SdkRow>();
  const attributor = defaultAttributor();
  for (const p of pairs) {
    let row = bySdk.get(p.sdk);
    if (!row) {
      const sig = p.sdk ? attributor.signature(p.sdk) : undefined;
      const name =
        p.sdk === null
          ? '(unattributed)'
          : p.sdk === 'app'
            ? '(the app itself)'
            : (sig?.name ?? p.sdk.replace(/^third-party:/, ''));
      row = {
        sdk: p.sdk,
        name,
        vendor: sig?.vendor ?? null,
        kind: sig?.kind ?? (p.sdk?.startsWith('third-party:') ? 'unknown third party' : null),
        total: 0,
        categories: {},
      };
      bySdk.set(p.sdk, row);
    }
    row.total += p.n;
    row.categories[p.category] = (row.categories[p.category] ?? 0) + p.n;
  }
  return [...bySdk.values()].sort((a, b) => b.total - a.total || compareText(a.name, b.name));
}

export function hookCoverage(db: Database.Database, runId: number): HookCoverage {
  const counts: Record<string, number> = {};
  for (const r of db
    .prepare<[number], { state: string; n: number }>(
      'SELECT state, count(*) AS n FROM hook_status WHERE run_id = ? GROUP BY state ORDER BY state',
    )
    .all(runId))
    counts[r.state] = r.n;
  const problems = db
    .prepare<[number, number], HookCoverage['problems'][number]>(
      `SELECT p.name AS process, h.hook AS hook, h.state AS state, h.detail AS detail
       FROM hook_status h JOIN processes p ON p.id = h.process_id
       WHERE h.run_id = ? AND h.state <> 'installed' ORDER BY h.state, h.hook, p.name LIMIT ?`,
    )
    .all(runId, MAX_PROBLEMS)
    .map((p) => ({
      ...p,
      detail: p.detail === null ? null : capValue(p.detail, REPORT_LIMITS.valueChars, 'hook_status'),
    }));
  const total = Object.entries(counts).reduce((n, [s, c]) => (s === 'installed' ? n : n + c), 0);
  return { counts, problems, problemsTotal: total };
}

export function appOps(db: Database.Database, runId: number): AppOpsRow[] {
  const rows = db
    .prepare<[number], { when: string; op: string; mode: string | null; last: string | null }>(
      'SELECT "when", op, mode, last_access AS last FROM appops WHERE run_id = ? ORDER BY op, id',
    )
    .all(runId);
  const byOp = new Map<string, AppOpsRow>();
  for (const r of rows) {
    const row = byOp.get(r.op) ?? { op: r.op, before: null, after: null, changed: false };
    const v = { mode: r.mode, lastAccess: r.last };
    if (r.when === 'before') row.before = v;
    else row.after = v;
    byOp.set(r.op, row);
  }
  for (const row of byOp.values()) {
    row.changed = row.before?.mode !== row.after?.mode || row.before?.lastAccess !== row.after?.lastAccess;
  }
  return [...byOp.values()];
}

export function problems(db: Database.Database, runId: number): ReportModel['problems'] {
  const count = (sql: string) => db.prepare<[number], number>(sql).pluck().get(runId) ?? 0;
  const lines = db
    .prepare<[number, number, number], LogLine>(
      `SELECT time, source, what, detail FROM (
         SELECT a.time AS time, 'agent-error' AS source, coalesce(a.hook, p.name) AS what, a.message AS detail
         FROM agent_errors a JOIN processes p ON p.id = a.process_id WHERE a.run_id = ?
         UNION ALL
         SELECT time, 'device', kind, coalesce(process, '') || ': ' || coalesce(detail, '') FROM device_logs WHERE run_id = ?)
       ORDER BY time LIMIT ?`,
    )
    .all(runId, runId, MAX_LOG_LINES)
    .map((l) => ({
      ...l,
      detail: capValue(
        l.detail,
        REPORT_LIMITS.valueChars,
        l.source === 'device' ? 'device_logs' : 'agent_errors',
      ),
    }));
  return {
    agentErrors: count('SELECT count(*) FROM agent_errors WHERE run_id = ?'),
    deviceLogs: count('SELECT count(*) FROM device_logs WHERE run_id = ?'),
    lines,
  };
}
