// What every rule reads: the run, its options, and ONE aggregate of the run's events (a single
// pass over the events table), plus chunk-backed helpers for bounded evidence.
import type { Statement } from 'better-sqlite3';
import type { DataCategory } from '../../agent/protocol/messages.ts';
import { NECESSARY_2021 } from '../knowledge/policy/necessary-2021.ts';
import { PERSONAL_DATA_CATEGORIES, type PolicyPack } from '../knowledge/policy/types.ts';
import { builtInSignature } from '../knowledge/sdks.ts';
import type { AppProfile } from '../profile/profile.ts';
import { hasEventChunks, streamRows, timeBase } from '../store/event-rows.ts';
import { readRollup, readStoredBuckets, rollupStored, type SecondBucket } from '../store/rollup-read.ts';
import { decodeSample, type RunRollup, SAMPLE_LIMIT } from '../store/rollups.ts';
import type { RuleLimits } from './config.ts';
import { runApiLevel } from './declared.ts';
import { loadGroups, loadStoredGroups } from './event-groups.ts';
import { runOrigin } from './origin.ts';
import { before, mergeFirst } from './sample-merge.ts';
import type { Db, FindingDraft } from './types.ts';

export interface RunInfo {
  id: number;
  package: string;
  appId: number | null;
  startedAt: number;
  endedAt: number | null;
  /** The run's earliest recorded time (analysis/origin.ts); the origin of "+12.3 s". */
  origin: number;
  /** Android API level reported by the agent, when known. */
  apiLevel: number | null;
}

/** Events of the run grouped by everything the rules filter on. */
export interface EventGroup {
  categoryId: number;
  category: DataCategory;
  sdkId: number | null;
  sdk: string | null;
  phaseId: number;
  phase: string;
  foreground: boolean;
  apiId: number;
  hook: string;
  n: number;
  first: number;
  last: number;
  /** Stored samples of the roll-up rows merged here (decodeSample): each their first events. */
  samples: string[];
}

export interface EventInfo {
  id: number;
  time: number;
  hook: string;
  api: string;
  category: string;
  phase: string;
  foreground: number;
  step: string | null;
  sdk: string | null;
  args: string | null;
  result: string | null;
  process: string;
}

const PERSONAL = new Set<string>(PERSONAL_DATA_CATEGORIES);

export function isPersonal(category: string): boolean {
  return PERSONAL.has(category);
}

/** "umeng-common (Umeng Common …)", "the app itself", "unknown code in com.foo.bar". */
export function sdkLabel(sdk: string | null): string {
  if (sdk === null || sdk === 'app') return 'the app itself';
  if (sdk.startsWith('third-party:')) return `unidentified code in ${sdk.slice('third-party:'.length)}`;
  const sig = builtInSignature(sdk);
  return sig ? `${sdk} (${sig.name})` : sdk;
}

/** Short form for titles: the SDK id, "the app itself", "code in com.foo.bar". */
export function sdkShort(sdk: string | null): string {
  if (sdk === null || sdk === 'app') return 'the app itself';
  return sdk.startsWith('third-party:') ? `code in ${sdk.slice('third-party:'.length)}` : sdk;
}

export class AnalysisContext {
  readonly run: RunInfo;
  readonly groups: readonly EventGroup[];
  readonly pack: PolicyPack;
  /** Declared manifest permissions (app_permissions or the caller's list); null = unknown. */
  declared: ReadonlySet<string> | null = null;
  /** Drafts of the rules run so far (the engine fills it), for rules that build on findings. */
  drafts: readonly FindingDraft[] = [];
  private readonly evidenceCache = new Map<string, Statement<unknown[], { id: number; time: number }>>();
  private eventStmt: Statement<[number], EventInfo> | undefined;
  private readonly events = new Map<number, EventInfo>();
  private byCategory: Map<number, EventGroup[]> | undefined;
  private readonly decoded = new WeakMap<EventGroup, readonly [number, number][]>();
  private readonly byFirst = new Map<number, EventGroup[]>();
  private readonly bySdkFirst = new Map<string, EventGroup[]>();
  /** The run's roll-ups when they had to be rebuilt here (none stored): kept in memory. */
  private readonly rebuilt: RunRollup | null;

  constructor(
    readonly db: Db,
    runId: number,
    readonly limits: RuleLimits,
    readonly profile: AppProfile | undefined,
    pack: PolicyPack | undefined,
  ) {
    this.pack = pack ?? NECESSARY_2021;
    // The run's roll-up (kept while ingesting): thousands of rows, not a pass over the events.
    // Stored roll-ups are read part by part: the groups now, per-second counts when a rate rule
    // asks (secondBuckets); the report's step and stack parts not at all.
    this.rebuilt = rollupStored(db, runId) ? null : readRollup(db, runId);
    this.groups = this.rebuilt ? loadGroups(db, this.rebuilt.groups) : loadStoredGroups(db, runId);
    // The first event time comes from the roll-up (no second scan of the events).
    let first: number | null = null;
    for (const g of this.groups) if (first === null || g.first < first) first = g.first;
    this.run = loadRun(db, runId, first);
  }

  /**
   * Events of `categoryIds` per bucket of `per` whole seconds since the epoch, in (category,
   * bucket) order, from the per-second roll-up (event_seconds).
   */
  secondBuckets(categoryIds: readonly number[], per: number): SecondBucket[] {
    if (!this.rebuilt) return readStoredBuckets(this.db, this.run.id, categoryIds, per);
    const wanted = new Set(categoryIds);
    const m = new Map<string, SecondBucket>();
    for (const s of this.rebuilt.seconds) {
      if (!wanted.has(s.categoryId)) continue;
      const b = Math.floor(s.second / per);
      const key = `${s.categoryId},${b}`;
      const x = m.get(key);
      if (x) x.n += s.n;
      else m.set(key, { c: s.categoryId, b, n: s.n });
    }
    return [...m.values()].sort((x, y) => x.c - y.c || x.b - y.b);
  }

  /** The groups of one category by their first event's time (evidence from samples). */
  private inCategoryByFirst(categoryId: number): readonly EventGroup[] {
    let list = this.byFirst.get(categoryId);
    if (!list) {
      list = [...this.inCategory(categoryId)].sort((a, b) => a.first - b.first);
      this.byFirst.set(categoryId, list);
    }
    return list;
  }

  /** The groups of one (category, SDK) by their first event's time. */
  private sdkByFirst(categoryId: number, sdkId: number | null): readonly EventGroup[] {
    const key = `${categoryId}/${sdkId}`;
    let list = this.bySdkFirst.get(key);
    if (!list) {
      list = this.inCategoryByFirst(categoryId).filter((g) => g.sdkId === sdkId);
      this.bySdkFirst.set(key, list);
    }
    return list;
  }

  /** The groups of one category (indexed once: rules ask per finding). */
  inCategory(categoryId: number): readonly EventGroup[] {
    if (!this.byCategory) {
      this.byCategory = new Map();
      for (const g of this.groups) {
        const list = this.byCategory.get(g.categoryId);
        if (list) list.push(g);
        else this.byCategory.set(g.categoryId, [g]);
      }
    }
    return this.byCategory.get(categoryId) ?? [];
  }

  /** Groups matching `keep`, merged on (category, sdk): total count, first/last time. */
  byCategorySdk(keep: (g: EventGroup) => boolean): EventGroup[] {
    // Category → SDK → merged group (no string key per group: rules call this on every group).
    const out = new Map<number, Map<number | null, EventGroup>>();
    const merged: EventGroup[] = [];
    for (const g of this.groups) {
      if (!keep(g)) continue;
      let bySdk = out.get(g.categoryId);
      if (!bySdk) {
        bySdk = new Map();
        out.set(g.categoryId, bySdk);
      }
      const m = bySdk.get(g.sdkId);
      if (!m) {
        const copy = { ...g };
        bySdk.set(g.sdkId, copy);
        merged.push(copy);
      } else {
        m.n += g.n;
        m.first = Math.min(m.first, g.first);
        m.last = Math.max(m.last, g.last);
      }
    }
    return merged.sort((a, b) => a.first - b.first || a.categoryId - b.categoryId);
  }

  /**
   * First `limits.evidence` event ids (time order) of category `categoryId` matching `where` (SQL
   * over the `events` columns, `?` placeholders). One query per phase over the stream's chunks
   * (a timeRange() condition reads only the chunks overlapping it), sorted by offset up to
   * `limit`; the per-phase lists are merged here.
   */
  evidence(
    categoryId: number,
    where = '1',
    params: readonly unknown[] = [],
    keep: (g: EventGroup) => boolean = () => true,
    limit = this.limits.evidence,
  ): number[] {
    // Group-level evidence comes from the roll-up's samples (each group's first events).
    if (where === '1' && limit <= SAMPLE_LIMIT)
      return this.fromSamples(this.inCategoryByFirst(categoryId), keep, limit);
    const phases = new Set<number>();
    for (const g of this.inCategory(categoryId)) if (keep(g)) phases.add(g.phaseId);
    if (phases.size === 0) return [];
    // One statement over all the phases' chunks (phase_id IN …), not one per phase: the first
    // `limit` rows by offset of all phases are the first of the per-phase lists merged.
    const key = `${phases.size}\u0000${where}`;
    let stmt = this.evidenceCache.get(key);
    if (!stmt) {
      // The physical table with the `events` column names, ordered by offset (the view's computed
      // time would cost an expression per row).
      // The stream's chunks (streamRows) with their offset span as chunk_first/chunk_last, so a
      // timeRange() condition skips whole chunks through the chunk index.
      const span = hasEventChunks(this.db)
        ? 'k.first_ms AS chunk_first, k.last_ms'
        : 'e.offset_ms AS chunk_first, e.offset_ms';
      stmt = this.db.prepare<unknown[], { id: number; time: number }>(
        `SELECT id, time FROM (SELECT e.id AS id, e.run_id AS run_id, e.offset_ms + ? AS time, e.offset_ms AS offset_ms,
           e.process_id AS process_id, e.thread_id AS thread_id, e.api_id AS api_id, e.category_id AS category_id,
           e.phase_id AS phase_id, e.foreground AS foreground, e.step_id AS step_id, e.stack_id AS stack_id,
           e.sdk_id AS sdk_id, e.args_id AS args_id, e.result_id AS result_id, ${span} AS chunk_last
           FROM ${streamRows(this.db, { category: true, phase: phases.size })})
         WHERE (${where}) ORDER BY offset_ms, id LIMIT ?`,
      );
      this.evidenceCache.set(key, stmt);
    }
    const base = timeBase(this.db, this.run.id);
    const rows = stmt.all(base, this.run.id, categoryId, ...phases, ...params, limit);
    rows.sort((x, y) => x.time - y.time || x.id - y.id);
    return rows.slice(0, limit).map((r) => r.id);
  }

  /**
   * The first `limit` events by (time, id) of the groups in `list` (by first event) with `keep`,
   * from their samples. Once `limit` rows are held and a group starts after the last of them,
   * neither it nor any later group can add one (its samples are its first events), so most
   * groups are never decoded.
   */
  private fromSamples(
    list: readonly EventGroup[],
    keep: (g: EventGroup) => boolean,
    limit: number,
  ): number[] {
    let rows: (readonly [number, number])[] = [];
    for (const g of list) {
      if (limit <= 0 || (rows.length >= limit && g.first > rows[limit - 1]![1])) break;
      if (!keep(g)) continue;
      // Decoded once per group: several rules ask for the same groups' evidence.
      let decoded = this.decoded.get(g);
      if (!decoded) {
        // Each sample is in (time, id) order (rollup-parts.ts), a group merged from several
        // roll-up rows joins several: sorted once here, then merged (not re-sorted) per group.
        decoded = g.samples.flatMap(decodeSample);
        if (!decoded.every((r, i) => i === 0 || before(decoded![i - 1]!, r)))
          decoded = [...decoded].sort((x, y) => x[1] - y[1] || x[0] - y[0]);
        this.decoded.set(g, decoded);
      }
      rows = mergeFirst(rows, decoded, limit);
    }
    return rows.map((r) => r[0]);
  }

  /**
   * [from, to) in ms since the epoch as an `evidence()` condition: offsets from the run's time
   * base, and the chunks' offset spans so only chunks overlapping it are read.
   */
  timeRange(from: number, to: number): { where: string; params: number[] } {
    const base = timeBase(this.db, this.run.id);
    const lo = from - base;
    const hi = to - base;
    return {
      where: 'chunk_last >= ? AND chunk_first < ? AND offset_ms >= ? AND offset_ms < ?',
      params: [lo, hi, lo, hi],
    };
  }

  /** Evidence of one (category, sdk) group, optionally narrowed by more SQL and by group. */
  groupEvidence(
    g: { categoryId: number; sdkId: number | null },
    extra = '1',
    params: readonly unknown[] = [],
    keep: (x: EventGroup) => boolean = () => true,
  ): number[] {
    const same = (x: EventGroup) => x.sdkId === g.sdkId && keep(x);
    // From the samples of the (category, SDK)'s own groups, not all the category's (rules ask per
    // finding: ~260 asks at 1M events, each walked ~175 groups of several SDKs).
    if (extra === '1' && this.limits.evidence <= SAMPLE_LIMIT)
      return this.fromSamples(this.sdkByFirst(g.categoryId, g.sdkId), keep, this.limits.evidence);
    if (extra === '1') return this.evidence(g.categoryId, '1', [], same);
    return this.evidence(g.categoryId, `sdk_id IS ? AND (${extra})`, [g.sdkId, ...params], same);
  }

  /** One event with its names; read once per id (rules of one group share its first event). */
  event(id: number): EventInfo {
    let e = this.events.get(id);
    if (!e) {
      e = this.readEvent(id);
      this.events.set(id, e);
    }
    return e;
  }

  private readEvent(id: number): EventInfo {
    this.eventStmt ??= this.db.prepare<[number], EventInfo>(
      `SELECT e.id, e.time, a.hook, a.signature AS api, c.name AS category, ph.name AS phase, e.foreground,
           st.label AS step, sd.name AS sdk, sa.text AS args, sr.text AS result, p.name AS process
         FROM events e JOIN apis a ON a.id = e.api_id JOIN categories c ON c.id = e.category_id
         JOIN phases ph ON ph.id = e.phase_id JOIN processes p ON p.id = e.process_id
         LEFT JOIN steps st ON st.id = e.step_id LEFT JOIN sdks sd ON sd.id = e.sdk_id
         LEFT JOIN summaries sa ON sa.id = e.args_id LEFT JOIN summaries sr ON sr.id = e.result_id
         WHERE e.id = ?`,
    );
    return this.eventStmt.get(id) as EventInfo;
  }

  /** "+12.345 s" since the run's first agent time. */
  at(time: number): string {
    const origin = Number.isFinite(this.run.origin) ? this.run.origin : this.run.startedAt;
    return `+${((time - origin) / 1000).toFixed(3)} s`;
  }

  /** One sentence about the first event of a finding: when, API, phase, step, args. */
  firstAccess(id: number | undefined): string {
    if (id === undefined) return '';
    const e = this.event(id);
    const parts = [`first at ${this.at(e.time)} via ${e.api} (${e.hook})`, `phase ${e.phase}`];
    if (e.step) parts.push(`step "${e.step}"`);
    if (e.args) parts.push(`args ${e.args}`);
    if (!e.foreground) parts.push('app in background');
    return `${parts.join(', ')}.`;
  }
}

function loadRun(db: Db, runId: number, firstEvent: number | null): RunInfo {
  const r = db
    .prepare<
      [number],
      { id: number; package: string; app_id: number | null; started_at: number; ended_at: number | null }
    >('SELECT id, package, app_id, started_at, ended_at FROM runs WHERE id = ?')
    .get(runId);
  if (!r) throw new Error(`no run ${runId}`);
  const origin = runOrigin(db, runId, firstEvent);
  const api = runApiLevel(db, runId);
  return {
    id: r.id,
    package: r.package,
    appId: r.app_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    origin,
    apiLevel: api,
  };
}
