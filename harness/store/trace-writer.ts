// TraceWriter: records one run's agent messages and scenario steps.
//
//   writer.handle(msg)        a validated AgentMessage (parseAgentMessage). Messages are queued and
//                             written in ONE transaction per batch (default every 5,000 events, or
//                             1,000 queued messages), so a crash loses at most the open batch.
//   writer.beginStep({...})   → step id; endStep(id, outcome). An event belongs to the step whose
//                             [started_at, ended_at) contains its time (resolved when written).
//   writer.flush()            commits the queue; call before store.endRun().
// Stack ids in messages are scoped per pid: (pid, agent stack id) → interned `stacks` row, whose
// content hash makes identical stacks from any pid or run share one row.
import type Database from 'better-sqlite3';
import type {
  AgentMessage,
  EventsMessage,
  HelloMessage,
  HookStatusMessage,
  StackRecord,
} from '../../agent/protocol/messages.ts';
import { StoreError } from '../errors.ts';
import type { EndpointMap } from '../knowledge/endpoints.ts';
import { MessageError } from '../protocol/validate.ts';
import { EventChunks } from './event-chunks.ts';
import { packHash } from './event-rows.ts';
import { ApiInterner, Interner } from './interner.ts';
import { hasRollupTables, rollupStored } from './rollup-read.ts';
import { RollupAccumulator } from './rollups.ts';
import { stackHash, stackKey } from './stack-hash.ts';
import { type StepInput, type StepOutcome, StepSpans } from './step-spans.ts';
import { TrafficWriter } from './traffic-writer.ts';

export interface TraceWriterOptions {
  /** Names the SDK a stack belongs to (called once per distinct stack); default: none. */
  attributeSdk?: (frames: string[], native: boolean) => string | null;
  /** Events per transaction (default 5,000). */
  batchSize?: number;
  /** Called after each committed transaction (progress, crash-safety tests). */
  onCommit?: (stats: Readonly<WriterStats>) => void;
  /** Organisation behind a send's host (default: harness/knowledge/data/endpoints.json). */
  endpoints?: EndpointMap;
}

export interface WriterStats {
  messages: number;
  events: number;
  committedEvents: number;
  /** New rows in `stacks` created by this writer (identical stacks are stored once). */
  stacks: number;
  batches: number;
  dropped: number;
  lostBatches: number;
}

interface StackRow {
  id: number;
  sdkId: number | null;
}

interface PidState {
  processId: number;
  name: string;
  lastSeq: number;
  /** agent stack id → row; null while the defining message is still queued. */
  stacks: Map<number, StackRow | null>;
}

const COLS = 15;
/** Cached stacks (keys are whole stack texts, ~0.5 KB each: a tighter bound than the interners'). */
const STACK_CACHE_LIMIT = 20_000;
const MAX_QUEUED_MESSAGES = 1000;
/** Events between two writes of the roll-ups (besides every flush()). */
const ROLLUP_EVERY = 250_000;
// The physical table (schema v10): time is stored as offset_ms from runs.time_base.
// Ids are assigned by EventChunks (schema v11: id blocks per run, category and phase).
const EVENT_COLUMNS =
  'id, run_id, offset_ms, process_id, thread_id, api_id, category_id, phase_id, foreground, step_id, stack_id, sdk_id, args_id, result_id, value_hash';

export class TraceWriter {
  readonly stats: WriterStats = {
    messages: 0,
    events: 0,
    committedEvents: 0,
    stacks: 0,
    batches: 0,
    dropped: 0,
    lostBatches: 0,
  };
  private readonly batchSize: number;
  private queue: AgentMessage[] = [];
  private queuedEvents = 0;
  private broken: Error | null = null;
  private readonly pids = new Map<number, PidState>();
  /** Frames text → row, for Java [0] and native [1] stacks: a stack every pid sends is hashed once. */
  private readonly stackCache = [new Map<string, StackRow>(), new Map<string, StackRow>()] as const;
  private readonly steps: StepSpans;
  private readonly threads: Interner;
  private readonly phases: Interner;
  private readonly categories: Interner;
  private readonly sdks: Interner;
  private readonly summaries: Interner;
  private readonly apis: ApiInterner;
  private readonly insertEvent: Database.Statement<unknown[]>;
  private readonly sql: Record<string, Database.Statement<unknown[]>>;
  private readonly commit: () => void;
  private readonly traffic: TrafficWriter;
  private finalCommit = false;
  /** runs.time_base: event times are stored as offsets from it (set by the first event). */
  private timeBase: number | null = null;
  /** Roll-ups kept while writing (rollups.ts); null when the run predates them. */
  private readonly rollup: RollupAccumulator | null = null;
  private readonly chunks: EventChunks;

  constructor(
    private readonly db: Database.Database,
    readonly runId: number,
    private readonly options: TraceWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.threads = new Interner(db, 'threads');
    this.phases = new Interner(db, 'phases');
    this.categories = new Interner(db, 'categories');
    this.sdks = new Interner(db, 'sdks');
    this.summaries = new Interner(db, 'summaries', 'text');
    this.apis = new ApiInterner(db);
    // One single-row statement: measured faster in SQLite than multi-row VALUES lists.
    this.insertEvent = db.prepare(
      `INSERT INTO event_rows (${EVENT_COLUMNS}) VALUES (${new Array(COLS).fill('?').join(', ')})`,
    );
    const p = (s: string) => db.prepare<unknown[]>(s);
    this.sql = {
      process: p(
        'INSERT INTO processes (run_id, pid, name) VALUES (?, ?, ?) ON CONFLICT (run_id, pid) DO UPDATE SET name = excluded.name RETURNING id',
      ).pluck(),
      hello: p('UPDATE processes SET agent_version = ?, api_level = ?, hello_at = ? WHERE id = ?'),
      runAgent: p('UPDATE runs SET agent_version = coalesce(agent_version, ?) WHERE id = ?'),
      stackFind: p('SELECT id, sdk_id AS sdkId FROM stacks WHERE hash = ?'),
      stackAdd: p('INSERT INTO stacks (hash, frames, frame_count, native, sdk_id) VALUES (?, ?, ?, ?, ?)'),
      hookStatus: p(
        `INSERT INTO hook_status (run_id, process_id, hook, state, detail, overloads, time) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET state = excluded.state, detail = excluded.detail, overloads = excluded.overloads, time = excluded.time`,
      ),
      lifecycle: p('INSERT INTO lifecycle (run_id, process_id, time, kind, detail) VALUES (?, ?, ?, ?, ?)'),
      agentError: p(
        'INSERT INTO agent_errors (run_id, process_id, time, hook, message) VALUES (?, ?, ?, ?, ?)',
      ),
      counters: p(
        'UPDATE runs SET events_dropped = events_dropped + ?, batches_lost = batches_lost + ? WHERE id = ?',
      ),
      timeBase: p('SELECT time_base FROM runs WHERE id = ?').pluck(),
      raw: p('INSERT INTO event_raw (event_id, raw) VALUES (?, ?)'),
      setTimeBase: p('UPDATE runs SET time_base = ? WHERE id = ? AND time_base IS NULL'),
    };
    // Immediate: the batch reads (interned ids, stacks) before it writes; a deferred transaction
    // would fail with "database is locked" when another writer committed in between, without
    // waiting on the busy timeout.
    const tx = db.transaction(() => this.writeQueue());
    this.commit = () => tx.immediate();
    this.traffic = new TrafficWriter(db, runId, options.endpoints);
    this.steps = new StepSpans(db, runId);
    this.chunks = new EventChunks(db, runId);
    if (hasRollupTables(db)) {
      if (rollupStored(db, runId)) {
        this.rollup = new RollupAccumulator(runId);
        this.rollup.load(db);
      } else if (db.prepare('SELECT 1 FROM event_chunks WHERE run_id = ? LIMIT 1').get(runId) === undefined)
        this.rollup = new RollupAccumulator(runId);
      // else: events written without roll-ups; readers roll the run up with one scan.
    }
  }

  /**
   * Queues one validated message. Throws MessageError (nothing queued) when an event refers to a
   * stack its pid never sent; throws StoreError if an earlier batch failed to commit.
   */
  handle(msg: AgentMessage): void {
    if (this.broken) throw new StoreError(`run ${this.runId}: writer stopped: ${this.broken.message}`);
    if (msg.type === 'events') {
      this.checkStacks(msg);
      this.queuedEvents += msg.events.length;
      this.stats.events += msg.events.length;
    }
    this.stats.messages++;
    this.queue.push(msg);
    if (this.queuedEvents >= this.batchSize || this.queue.length >= MAX_QUEUED_MESSAGES)
      this.commitQueue(false);
  }

  private pidState(pid: number, name: string): PidState {
    let s = this.pids.get(pid);
    if (!s) {
      s = { processId: 0, name, lastSeq: 0, stacks: new Map() };
      this.pids.set(pid, s);
    }
    return s;
  }

  private checkStacks(msg: EventsMessage): void {
    const state = this.pidState(msg.pid, msg.process);
    const added: number[] = [];
    for (const s of msg.stacks) {
      if (!state.stacks.has(s.id)) {
        state.stacks.set(s.id, null);
        added.push(s.id);
      }
    }
    const events = msg.events;
    for (let i = 0; i < events.length; i++) {
      const ref = events[i]!.stack;
      if (ref !== undefined && !state.stacks.has(ref)) {
        for (const id of added) state.stacks.delete(id);
        throw new MessageError(`events[${i}].stack`, `stack ${ref} was never sent by pid ${msg.pid}`);
      }
    }
  }

  /** Commits everything queued in one transaction, with the run's roll-ups. */
  flush(): void {
    this.commitQueue(true);
  }

  private commitQueue(final: boolean): void {
    if (this.queue.length === 0 && !(final && this.rollup?.pending)) return;
    this.finalCommit = final;
    if (this.broken) throw new StoreError(`run ${this.runId}: writer stopped: ${this.broken.message}`);
    try {
      this.commit();
    } catch (err) {
      // Cached ids may point at rolled-back rows: stop rather than write inconsistent data.
      this.broken = err as Error;
      for (const i of [this.threads, this.phases, this.categories, this.sdks, this.summaries, this.apis])
        i.reset();
      this.chunks.reset();
      for (const c of this.stackCache) c.clear();
      throw new StoreError(`run ${this.runId}: could not commit a batch: ${(err as Error).message}`, {
        cause: err,
      });
    }
    this.stats.committedEvents += this.queuedEvents;
    this.stats.batches++;
    this.queue = [];
    this.queuedEvents = 0;
    this.options.onCommit?.(this.stats);
  }

  private writeQueue(): void {
    let dropped = 0;
    let lost = 0;
    for (const msg of this.queue) {
      const state = this.pidState(msg.pid, msg.process);
      if (state.processId === 0 || state.name !== msg.process) {
        state.processId = this.sql['process']!.get(this.runId, msg.pid, msg.process) as number;
        state.name = msg.process;
      }
      switch (msg.type) {
        case 'events':
          if (state.lastSeq > 0 && msg.seq > state.lastSeq + 1) lost += msg.seq - state.lastSeq - 1;
          if (msg.seq > state.lastSeq) state.lastSeq = msg.seq;
          dropped += msg.dropped;
          for (const s of msg.stacks) state.stacks.set(s.id, this.internStack(s));
          this.writeEvents(msg, state);
          break;
        case 'hello':
          this.writeHello(msg, state.processId);
          break;
        case 'hook-status':
          this.writeHookStatus(msg, state.processId);
          break;
        case 'lifecycle':
          this.sql['lifecycle']!.run(this.runId, state.processId, msg.time, msg.kind, msg.detail ?? null);
          break;
        case 'agent-error':
          this.sql['agentError']!.run(this.runId, state.processId, msg.time, msg.hook ?? null, msg.message);
          break;
      }
    }
    this.chunks.write();
    // Roll-ups are stored on flush() and every ROLLUP_EVERY events; in between the run is
    // marked as not rolled up, so a crash leaves readers to roll it up from its events.
    if (this.rollup) {
      if (this.finalCommit || this.rollup.unwritten >= ROLLUP_EVERY) this.rollup.write(this.db);
      else this.rollup.markStale(this.db);
    }
    if (dropped > 0 || lost > 0) this.sql['counters']!.run(dropped, lost, this.runId);
    this.stats.dropped += dropped;
    this.stats.lostBatches += lost;
  }

  private writeHello(msg: HelloMessage, processId: number): void {
    this.sql['hello']!.run(msg.agentVersion, msg.apiLevel ?? null, msg.time, processId);
    this.sql['runAgent']!.run(msg.agentVersion, this.runId);
  }

  private writeHookStatus(msg: HookStatusMessage, processId: number): void {
    for (const s of msg.statuses) {
      this.sql['hookStatus']!.run(
        this.runId,
        processId,
        s.hook,
        s.state,
        s.detail ?? null,
        s.overloads ?? null,
        msg.time,
      );
    }
  }

  private internStack(s: StackRecord): StackRow {
    const text = s.frames.join('\n');
    const native = s.native === true ? 1 : 0;
    // Keyed by the text itself: a prefixed key would be a cons string V8 flattens on every lookup.
    const cache = this.stackCache[native];
    const cached = cache.get(text);
    if (cached) return cached;
    const hash = stackHash(stackKey(text, native === 1));
    let row = this.sql['stackFind']!.get(hash) as StackRow | undefined;
    if (!row) {
      const sdk = this.options.attributeSdk?.(s.frames, native === 1) ?? null;
      const sdkId = sdk ? this.sdks.id(sdk) : null;
      const id = Number(
        this.sql['stackAdd']!.run(hash, text, s.frames.length, native, sdkId).lastInsertRowid,
      );
      row = { id, sdkId };
      this.stats.stacks++;
    } else if (this.options.attributeSdk) {
      // A stack stored by another run (maybe of another app): "the app itself" depends on this
      // run's package, so its events get this run's attribution (events.sdk_id is per run).
      const sdk = this.options.attributeSdk(s.frames, native === 1);
      row = { id: row.id, sdkId: sdk ? this.sdks.id(sdk) : null };
    }
    if (cache.size >= STACK_CACHE_LIMIT) cache.clear();
    cache.set(text, row);
    return row;
  }

  // The hot path: no per-event allocation; the row is bound from arguments, not an array
  // (better-sqlite3 reads an array's elements through the V8 API: ~0.3 µs more per row).
  private writeEvents(msg: EventsMessage, state: PidState): void {
    const events = msg.events;
    if (events.length === 0) return;
    const insert = this.insertEvent;
    const stacks = state.stacks;
    const hasSteps = !this.steps.empty;
    const rollup = this.rollup;
    const chunks = this.chunks;
    const runId = this.runId;
    const processId = state.processId;
    const base = this.timeBase ?? this.initTimeBase(events[0]!.time);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const categoryId = this.categories.id(e.category);
      const stack = e.stack === undefined ? null : stacks.get(e.stack);
      const apiId = this.apis.id(e.hook, e.api, categoryId);
      const phaseId = this.phases.id(e.phase);
      const foreground = e.foreground ? 1 : 0;
      const stepId = hasSteps ? this.steps.at(e.time) : null;
      const stackId = stack ? stack.id : null;
      const sdkId = stack ? stack.sdkId : null;
      const offset = e.time - base;
      const id = chunks.next(categoryId, phaseId, offset);
      insert.run(
        id,
        runId,
        offset,
        processId,
        this.threads.id(e.thread),
        apiId,
        categoryId,
        phaseId,
        foreground,
        stepId,
        stackId,
        sdkId,
        e.args === undefined ? null : this.summaries.id(e.args),
        e.result === undefined ? null : this.summaries.id(e.result),
        e.valueHash === undefined ? null : packHash(e.valueHash),
      );
      if (e.raw !== undefined) this.sql['raw']!.run(id, e.raw);
      if (TrafficWriter.wants(e)) this.traffic.record(msg.pid, e, id);
      rollup?.queue(i, id, e.time, categoryId, sdkId, phaseId, foreground, apiId, stepId, stackId);
    }
    // The message's roll-ups in one loop after its inserts: the roll-up maps stay in the CPU
    // caches instead of being evicted by SQLite's work between two events.
    rollup?.addQueued(events.length);
  }

  /** The run's time base: stored, or this first event's time floored (inside the batch's transaction). */
  private initTimeBase(first: number): number {
    let base = this.sql['timeBase']!.get(this.runId) as number | null | undefined;
    if (base === null || base === undefined) {
      base = Math.floor(first);
      this.sql['setTimeBase']!.run(base, this.runId);
    }
    this.timeBase = base;
    return base;
  }

  beginStep(step: StepInput): number {
    return this.steps.begin(step);
  }

  endStep(id: number, outcome: Exclude<StepOutcome, 'running'>, detail?: string, time = Date.now()): void {
    this.steps.end(id, outcome, detail, time);
  }
}
