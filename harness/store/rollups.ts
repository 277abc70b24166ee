// Per-run roll-ups of the events table, kept while ingesting so analysis and reports read
// thousands of rows instead of millions (docs/schema.md "Roll-ups"):
//   event_groups   one row per (category, SDK, phase, foreground, API): count, first and last
//                  time, and the first SAMPLE_LIMIT events in time order (evidence);
//   event_steps    events per (scenario step, SDK, API): the report's steps, SDKs and APIs;
//   event_seconds  events per (category, phase, second of the epoch): rates and timelines;
//                  since v12 with their id range and per-SDK counts (time spans, span-seconds.ts);
//   run_stacks     the distinct stacks a run's events use (SDK attribution);
//   rollup_runs    marks a run whose roll-ups are complete, with how many events they cover.
// The TraceWriter maintains them for runs it creates. A run without a rollup_runs row (merged
// in, written by an older overreach, or re-attributed) is rolled up by ONE scan of its events
// when first read (rollup-read.ts): stored when the connection may write, else kept in memory.
import type Database from 'better-sqlite3';
import {
  decodeSample,
  groupKey,
  SAMPLE_LIMIT,
  SampleSlab,
  secondKey,
  stepKey,
  TwoLevel,
} from './rollup-parts.ts';
import { encodeSdks, statements } from './rollup-statements.ts';

export { decodeSample, SAMPLE_LIMIT };

export interface RollupGroup {
  categoryId: number;
  sdkId: number | null;
  phaseId: number;
  foreground: number;
  apiId: number;
  n: number;
  first: number;
  last: number;
  /** The group's first events in time order, at most SAMPLE_LIMIT, delta-encoded (decodeSample). */
  sample: string;
}

export interface RollupStep {
  stepId: number | null;
  sdkId: number | null;
  apiId: number;
  n: number;
}

export interface RollupSecond {
  categoryId: number;
  phaseId: number;
  second: number;
  n: number;
}

export interface RunRollup {
  groups: RollupGroup[];
  steps: RollupStep[];
  seconds: RollupSecond[];
  stacks: number[];
  events: number;
}

/** A second's row while accumulating: since v12 also its id range and per-SDK counts. */
interface SecondState extends RollupSecond {
  firstId: number;
  lastId: number;
  /** (sdk id, or 0 for none; count) pairs, flat: a second's events come from a few SDKs. */
  sdks: number[];
}

interface GroupState extends Omit<RollupGroup, 'sample'> {
  /** The group's sample: its offset in the accumulator's SampleSlab and how many it holds. */
  sampleAt: number;
  sampleN: number;
  /** Time of the sample's last entry once it holds SAMPLE_LIMIT (else +∞): the common case (a
   * later event, nothing to sample) reads nothing more. */
  sampleCut: number;
  /** Events without a step since the last fold into `steps` (foldStepless). */
  noStep: number;
  rowid: number;
  dirty: boolean;
  sampleDirty: boolean;
}

/** Numbers per queued event (queue/addQueued). */
const QUEUED = 9;
/** Ids up to this are passed on as small integers (see addQueued). */
const INT32_MAX = 0x7fffffff;

/**
 * Accumulates roll-ups of one run in memory; `write` stores what changed since the last write
 * (call it inside the transaction that inserted the events).
 */
export class RollupAccumulator {
  /** api id → (sdk, phase, foreground, category) → group. */
  private readonly groups = new TwoLevel<GroupState>();
  private readonly samples = new SampleSlab();
  /** second → (category, phase) → count. */
  private seconds = new TwoLevel<SecondState>();
  /** step id (0: none) → (sdk, api) → count. */
  private steps = new TwoLevel<RollupStep>();
  private readonly stacks = new Set<number>();
  private newStacks: number[] = [];
  events = 0;
  /** Events added since the last write. */
  unwritten = 0;
  private stale = false;

  /** Whether events were added since the last write. */
  get pending(): boolean {
    return this.unwritten > 0;
  }

  constructor(readonly runId: number) {}

  /** A reused buffer of queued events (QUEUED numbers each), added by addQueued. */
  private queued = new Float64Array(0);
  /** Every lookup id queued so far fits an int32 (always, short of two billion rows). */
  private narrow = true;

  /** Queues event number `i` of a batch (the same arguments as add); addQueued adds them. */
  queue(
    i: number,
    id: number,
    time: number,
    categoryId: number,
    sdkId: number | null,
    phaseId: number,
    foreground: number,
    apiId: number,
    stepId: number | null,
    stackId: number | null,
  ): void {
    const o = i * QUEUED;
    if (o + QUEUED > this.queued.length) {
      const grown = new Float64Array(Math.max(2 * this.queued.length, (i + 1) * QUEUED, 1024 * QUEUED));
      grown.set(this.queued);
      this.queued = grown;
    }
    const q = this.queued;
    q[o] = id;
    q[o + 1] = time;
    q[o + 2] = categoryId;
    q[o + 3] = sdkId ?? -1;
    q[o + 4] = phaseId;
    q[o + 5] = foreground;
    q[o + 6] = apiId;
    q[o + 7] = stepId ?? -1;
    q[o + 8] = stackId ?? -1;
    if (
      this.narrow &&
      (apiId > INT32_MAX ||
        categoryId > INT32_MAX ||
        phaseId > INT32_MAX ||
        (sdkId ?? 0) > INT32_MAX ||
        (stepId ?? 0) > INT32_MAX ||
        (stackId ?? 0) > INT32_MAX)
    )
      this.narrow = false;
  }

  /** Adds the first `count` queued events. */
  addQueued(count: number): void {
    const q = this.queued;
    if (this.narrow) {
      // The ids as int32 (`| 0`, exact here): V8 then keys the maps and stores the groups' fields
      // as small integers instead of boxing doubles read from the Float64Array (measured: about
      // a quarter of the roll-ups' time at 100k events).
      for (let i = 0, o = 0; i < count; i++, o += QUEUED) {
        const sdk = q[o + 3]! | 0;
        const step = q[o + 7]! | 0;
        const stack = q[o + 8]! | 0;
        this.add(
          q[o]!,
          q[o + 1]!,
          q[o + 2]! | 0,
          sdk < 0 ? null : sdk,
          q[o + 4]! | 0,
          q[o + 5]! | 0,
          q[o + 6]! | 0,
          step < 0 ? null : step,
          stack < 0 ? null : stack,
        );
      }
      return;
    }
    for (let i = 0, o = 0; i < count; i++, o += QUEUED) {
      const sdk = q[o + 3]!;
      const step = q[o + 7]!;
      const stack = q[o + 8]!;
      this.add(
        q[o]!,
        q[o + 1]!,
        q[o + 2]!,
        sdk < 0 ? null : sdk,
        q[o + 4]!,
        q[o + 5]!,
        q[o + 6]!,
        step < 0 ? null : step,
        stack < 0 ? null : stack,
      );
    }
  }

  /** One event (ids as stored in `events`). */
  add(
    id: number,
    time: number,
    categoryId: number,
    sdkId: number | null,
    phaseId: number,
    foreground: number,
    apiId: number,
    stepId: number | null,
    stackId: number | null,
  ): void {
    this.events++;
    this.unwritten++;
    const byApi = this.groups.inner(apiId);
    const key = groupKey(sdkId, phaseId, foreground, categoryId);
    let g = byApi.get(key);
    if (g === undefined) {
      g = {
        categoryId,
        sdkId,
        phaseId,
        foreground,
        apiId,
        n: 0,
        first: time,
        last: time,
        sampleAt: this.samples.alloc(),
        sampleN: 0,
        rowid: 0,
        dirty: true,
        sampleDirty: true,
        noStep: 0,
        sampleCut: Number.POSITIVE_INFINITY,
      };
      byApi.set(key, g);
    }
    g.n++;
    g.dirty = true;
    if (time < g.first) g.first = time;
    if (time > g.last) g.last = time;
    if (time < g.sampleCut) {
      const n = this.samples.add(g.sampleAt, g.sampleN, id, time);
      g.sampleN = n;
      if (n === SAMPLE_LIMIT) g.sampleCut = this.samples.time(g.sampleAt, SAMPLE_LIMIT - 1);
      g.sampleDirty = true;
    }
    const second = Math.floor(time / 1000);
    const inSecond = this.seconds.inner(second);
    const skey = secondKey(categoryId, phaseId);
    const sec = inSecond.get(skey);
    const sdk = sdkId ?? 0;
    if (sec === undefined)
      inSecond.set(skey, { categoryId, phaseId, second, n: 1, firstId: id, lastId: id, sdks: [sdk, 1] });
    else {
      sec.n++;
      if (id > sec.lastId) sec.lastId = id;
      else if (id < sec.firstId) sec.firstId = id;
      const pairs = sec.sdks;
      let i = 0;
      while (i < pairs.length && pairs[i] !== sdk) i += 2;
      if (i < pairs.length) pairs[i + 1]!++;
      else pairs.push(sdk, 1);
    }
    // Without a step (always, for an ingested trace) the group counts it: the group fixes the
    // step row's (SDK, API), and foldStepless adds the counts up when the steps are read.
    if (stepId === null) g.noStep++;
    else {
      const inStep = this.steps.inner(stepId);
      const tkey = stepKey(sdkId, apiId);
      const st = inStep.get(tkey);
      if (st === undefined) inStep.set(tkey, { stepId, sdkId, apiId, n: 1 });
      else st.n++;
    }
    if (stackId !== null && !this.stacks.has(stackId)) {
      this.stacks.add(stackId);
      this.newStacks.push(stackId);
    }
  }

  /** Loads the stored roll-ups of the run (appending to it continues them). */
  load(db: Database.Database): void {
    const rows = db
      .prepare<[number], Omit<RollupGroup, 'sample'> & { rowid: number; sample: string }>(
        `SELECT rowid, category_id AS categoryId, sdk_id AS sdkId, phase_id AS phaseId, foreground,
           api_id AS apiId, n, first, last, sample FROM event_groups WHERE run_id = ?`,
      )
      .all(this.runId);
    for (const { sample, ...r } of rows) {
      const at = this.samples.alloc();
      let n = 0;
      for (const [id, time] of decodeSample(sample).slice(0, SAMPLE_LIMIT))
        n = this.samples.add(at, n, id, time);
      const g: GroupState = {
        ...r,
        sampleAt: at,
        sampleN: n,
        sampleCut: n >= SAMPLE_LIMIT ? this.samples.time(at, SAMPLE_LIMIT - 1) : Number.POSITIVE_INFINITY,
        dirty: false,
        sampleDirty: false,
        noStep: 0,
      };
      this.groups.inner(g.apiId).set(groupKey(g.sdkId, g.phaseId, g.foreground, g.categoryId), g);
    }
    for (const s of db
      .prepare<[number], number>('SELECT stack_id FROM run_stacks WHERE run_id = ?')
      .pluck()
      .all(this.runId))
      this.stacks.add(s);
    this.events =
      db
        .prepare<[number], number>('SELECT events FROM rollup_runs WHERE run_id = ?')
        .pluck()
        .get(this.runId) ?? 0;
  }

  /** Drops the run's "complete" mark until the next write (its events ran ahead of them). */
  markStale(db: Database.Database): void {
    if (this.stale) return;
    statements(db).unmark.run(this.runId);
    this.stale = true;
  }

  /** Moves the groups' step-less counts into `steps` (step 0: none), as add once did per event. */
  private foldStepless(): void {
    for (const g of this.groups.values()) {
      if (g.noStep === 0) continue;
      const inStep = this.steps.inner(0);
      const tkey = stepKey(g.sdkId, g.apiId);
      const st = inStep.get(tkey);
      if (st === undefined) inStep.set(tkey, { stepId: null, sdkId: g.sdkId, apiId: g.apiId, n: g.noStep });
      else st.n += g.noStep;
      g.noStep = 0;
    }
  }

  /** Stores what changed since the last write and marks the run's roll-ups complete. */
  write(db: Database.Database): void {
    this.foldStepless();
    const st = statements(db);
    this.unwritten = 0;
    this.stale = false;
    for (const g of this.groups.values()) {
      if (!g.dirty) continue;
      if (g.rowid === 0) {
        g.rowid = Number(
          st.addGroup.run(
            this.runId,
            g.categoryId,
            g.sdkId,
            g.phaseId,
            g.foreground,
            g.apiId,
            g.n,
            g.first,
            g.last,
            this.samples.encode(g.sampleAt, g.sampleN),
          ).lastInsertRowid,
        );
      } else if (g.sampleDirty)
        st.setGroupSample.run(g.n, g.first, g.last, this.samples.encode(g.sampleAt, g.sampleN), g.rowid);
      else st.setGroup.run(g.n, g.first, g.last, g.rowid);
      g.dirty = false;
      g.sampleDirty = false;
    }
    for (const s of this.seconds.values())
      if (st.v12)
        st.addSecond.run(
          this.runId,
          s.categoryId,
          s.phaseId,
          s.second,
          s.n,
          s.firstId,
          s.lastId,
          encodeSdks(s.sdks),
        );
      else st.addSecond.run(this.runId, s.categoryId, s.phaseId, s.second, s.n);
    this.seconds = new TwoLevel();
    for (const t of this.steps.values())
      st.addStep.run(this.runId, t.stepId ?? 0, t.sdkId ?? 0, t.apiId, t.n);
    this.steps = new TwoLevel();
    for (const id of this.newStacks) st.addStack.run(this.runId, id);
    this.newStacks = [];
    st.mark.run(this.runId, this.events);
  }

  /** The roll-ups as rows (after a scan, for a read-only connection). */
  result(): RunRollup {
    this.foldStepless();
    return {
      groups: [...this.groups.values()].map(
        ({ rowid: _r, dirty: _d, sampleDirty: _s, sampleCut: _c, noStep: _n, sampleAt, sampleN, ...g }) => ({
          ...g,
          sample: this.samples.encode(sampleAt, sampleN),
        }),
      ),
      steps: [...this.steps.values()],
      seconds: [...this.seconds.values()].map(({ categoryId, phaseId, second, n }) => ({
        categoryId,
        phaseId,
        second,
        n,
      })),
      stacks: [...this.stacks],
      events: this.events,
    };
  }
}
