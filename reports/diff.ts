// `overreach diff`: what changed between two runs (two versions of an app, or two scenarios):
// APIs (hooks), categories, SDKs, SDK × category pairs and findings (rule + category + sdk),
// each with counts before and after. One GROUP BY pass over each run's events, plus the hosts
// its sends went to (destinations: a new tracker endpoint in a new version shows up here).
import type Database from 'better-sqlite3';
import { printable } from '../harness/store/query.ts';
import { fmtCount } from './format.ts';

export const DIFF_DIMENSIONS = [
  'apis',
  'categories',
  'sdks',
  'sdkCategories',
  'findings',
  'destinations',
] as const;
export type DiffDimension = (typeof DIFF_DIMENSIONS)[number];

export interface DiffEntry {
  key: string;
  before: number;
  after: number;
}

export interface DimensionDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: DiffEntry[];
  unchanged: number;
}

export interface RunSide {
  id: number;
  package: string;
  version: string | null;
  scenario: string;
  device: string;
  events: number;
}

export interface RunDiff {
  a: RunSide;
  b: RunSide;
  apis: DimensionDiff;
  categories: DimensionDiff;
  sdks: DimensionDiff;
  sdkCategories: DimensionDiff;
  findings: DimensionDiff;
  destinations: DimensionDiff;
}

/** The name used for accesses no SDK was attributed to. */
export const UNATTRIBUTED = '(unattributed)';

type Counts = Map<string, number>;

function add(m: Counts, key: string, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

function side(
  db: Database.Database,
  runId: number,
): { info: RunSide; counts: Record<DiffDimension, Counts> } {
  const r = db
    .prepare<[number], { package: string; scenario: string; device: string; version: string | null }>(
      `SELECT r.package, r.scenario, r.device, coalesce(a.version_name, CAST(a.version_code AS TEXT)) AS version
       FROM runs r LEFT JOIN apps a ON a.id = r.app_id WHERE r.id = ?`,
    )
    .get(runId)!;
  const rows = db
    .prepare<[number], { hook: string; api: string; category: string; sdk: string | null; n: number }>(
      `SELECT a.hook AS hook, a.signature AS api, c.name AS category, sd.name AS sdk, g.n AS n
       FROM (SELECT sdk_id, api_id, count(*) AS n FROM events WHERE run_id = ? GROUP BY sdk_id, api_id) g
       JOIN apis a ON a.id = g.api_id JOIN categories c ON c.id = a.category_id
       LEFT JOIN sdks sd ON sd.id = g.sdk_id`,
    )
    .all(runId);
  const counts: Record<DiffDimension, Counts> = {
    apis: new Map(),
    categories: new Map(),
    sdks: new Map(),
    sdkCategories: new Map(),
    findings: new Map(),
    destinations: new Map(),
  };
  let events = 0;
  for (const x of rows) {
    const sdk = x.sdk ?? UNATTRIBUTED;
    events += x.n;
    add(counts.apis, `${x.hook} ${x.api}`, x.n);
    add(counts.categories, x.category, x.n);
    add(counts.sdks, sdk, x.n);
    add(counts.sdkCategories, `${sdk} × ${x.category}`, x.n);
  }
  // A finding counts its events, as in `analyze` and every report (not 1 per finding row).
  for (const f of db
    .prepare<[number], { rule: string; category: string | null; sdk: string | null; n: number }>(
      `SELECT rule, category, sdk,
         max(coalesce(event_count, 0), (SELECT count(*) FROM finding_events fe WHERE fe.finding_id = findings.id)) AS n
       FROM findings WHERE run_id = ?`,
    )
    .all(runId)) {
    add(counts.findings, [f.rule, f.category ?? '-', f.sdk ?? '-'].join(' · '), f.n);
  }
  for (const d of db
    .prepare<[number], { host: string | null; organisation: string | null; n: number }>(
      'SELECT host, organisation, count(*) AS n FROM sends WHERE run_id = ? GROUP BY host, organisation',
    )
    .all(runId)) {
    const host = d.host ?? '(unknown host)';
    add(counts.destinations, d.organisation ? `${host} (${d.organisation})` : host, d.n);
  }
  return {
    info: {
      id: runId,
      package: r.package,
      version: r.version,
      scenario: r.scenario,
      device: r.device,
      events,
    },
    counts,
  };
}

function compare(a: Counts, b: Counts): DimensionDiff {
  const d: DimensionDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const key of keys) {
    const before = a.get(key) ?? 0;
    const after = b.get(key) ?? 0;
    const e = { key, before, after };
    // Presence decides added/removed (a finding may cover 0 events: a missing privacy switch).
    if (!a.has(key)) d.added.push(e);
    else if (!b.has(key)) d.removed.push(e);
    else if (before !== after) d.changed.push(e);
    else d.unchanged++;
  }
  return d;
}

export function buildDiff(db: Database.Database, runA: number, runB: number): RunDiff {
  const a = side(db, runA);
  const b = side(db, runB);
  const out = { a: a.info, b: b.info } as RunDiff;
  for (const dim of DIFF_DIMENSIONS) out[dim] = compare(a.counts[dim], b.counts[dim]);
  return out;
}

const TITLES: Readonly<Record<DiffDimension, string>> = {
  apis: 'APIs (hook + signature)',
  categories: 'categories',
  sdks: 'SDKs',
  sdkCategories: 'SDK × category',
  findings: 'findings (rule · category · sdk: events)',
  destinations: 'destinations (host, organisation: sends)',
};

function describeSide(s: RunSide): string {
  return printable(
    `run ${s.id} (${s.package}${s.version ? ` ${s.version}` : ''}, ${s.scenario}, ${fmtCount(s.events)} accesses)`,
  );
}

/** Human-readable diff; trace strings are made terminal-safe with `printable`. */
export function renderDiffText(d: RunDiff): string {
  const lines = [`diff ${describeSide(d.a)} → ${describeSide(d.b)}`];
  for (const dim of DIFF_DIMENSIONS) {
    const x = d[dim];
    lines.push('');
    lines.push(
      `${TITLES[dim]}: ${x.added.length} added, ${x.removed.length} removed, ${x.changed.length} changed, ${x.unchanged} unchanged`,
    );
    const row = (mark: string, e: DiffEntry) =>
      `  ${mark} ${printable(e.key)}  ${fmtCount(e.before)} → ${fmtCount(e.after)}`;
    for (const e of x.added) lines.push(row('+', e));
    for (const e of x.removed) lines.push(row('-', e));
    for (const e of x.changed) lines.push(row('~', e));
  }
  return `${lines.join('\n')}\n`;
}
