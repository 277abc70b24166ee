// The live state of one run, as step executors see it (StepContext): the app session and its
// agent messages, the phase, the clock, expected vs. unexpected app exits, nested steps. The UI
// session and its snapshots are run-ui.ts.

import type {
  AgentRpcClient,
  AppSession,
  DetachReason,
  Device,
  JsRuntime,
  ProcessInfo,
  TapTarget,
  UiDriver,
} from '../device/types.ts';
import { errorMessage, StoreError } from '../errors.ts';
import { createLog } from '../log.ts';
import { MessageError, parseAgentMessage } from '../protocol/validate.ts';
import { PRE_CONSENT, type Scenario } from '../scenario/types.ts';
import type { Store } from '../store/store.ts';
import type { TraceWriter } from '../store/trace-writer.ts';
import type { RunClock } from './clock.ts';
import type { DeviceCaps } from './device-caps.ts';
import { writeDetach } from './device-records.ts';
import { RunUi, usesUi } from './run-ui.ts';
import type { StepContext } from './steps/context.ts';
import type { UiSnapshotKind } from './ui-snapshot.ts';

const log = createLog('run');

export interface RunProgress {
  type: 'step-start' | 'step-end';
  /** 1-based index among top-level steps; 0 for nested (explore actions) and expectations. */
  index: number;
  kind: string;
  label: string;
  nested: boolean;
  outcome?: 'ok' | 'failed' | 'skipped' | 'inconclusive';
  detail?: string;
}

/** How long a launch waits for the agent's hello before the run stops (real devices: script load over USB). */
export const HELLO_TIMEOUT_MS = 10_000;

export interface ContextOptions {
  scenario: Scenario;
  device: Device;
  caps: DeviceCaps;
  clock: RunClock;
  store: Store;
  runId: number;
  writer: TraceWriter;
  outDir: string;
  signal: AbortSignal | undefined;
  appLabel: string | undefined;
  agentSource: string;
  hashSalt: string;
  rawValues: boolean;
  jsRuntime: JsRuntime;
  honey?: boolean;
  /** Installs (APK path or app model path) and returns the package name. */
  install: (apk?: string) => Promise<string>;
  onProgress: (p: RunProgress) => void;
  note: (line: string) => void;
  /** How long a launch waits for the agent's hello (default HELLO_TIMEOUT_MS). */
  helloTimeoutMs?: number;
}

interface SessionToken {
  session: AppSession | undefined;
}

export class RunContext implements StepContext {
  readonly scenario: Scenario;
  readonly pkg: string;
  readonly device: Device;
  readonly caps: DeviceCaps;
  readonly clock: RunClock;
  readonly outDir: string;
  readonly signal: AbortSignal | undefined;
  readonly appLabel: string | undefined;
  phase: string = PRE_CONSENT;
  /** Set when the device went away: the run fails with this cause. */
  lost: string | undefined;
  /** An unexpected app exit or crash during the current step. */
  pendingFailure: string | undefined;
  /** Writing to the store failed: the run cannot go on. */
  fatal: Error | undefined;
  malformed = 0;
  /** Host time of the last agent message (to wait for the last batch on a real device). */
  lastMessageAt = 0;
  /** An agent said hello in one of the app's processes: something is being observed. */
  agentSeen = false;
  /** Hellos so far (each launch waits for a new one). */
  private hellos = 0;
  private token: SessionToken = { session: undefined };
  private expecting = 0;
  /** The innermost open step (its `steps.id`), for UI snapshots. */
  private stepIds: number[] = [];
  private readonly runUi: RunUi;

  constructor(private readonly o: ContextOptions) {
    this.scenario = o.scenario;
    this.pkg = o.scenario.app.package;
    this.device = o.device;
    this.caps = o.caps;
    this.clock = o.clock;
    this.outDir = o.outDir;
    this.signal = o.signal;
    this.appLabel = o.appLabel;
    this.runUi = new RunUi({
      device: o.device,
      clock: o.clock,
      store: o.store,
      runId: o.runId,
      rawValues: o.rawValues,
      currentStep: () => this.stepIds.at(-1),
    });
  }

  ui(): Promise<UiDriver> {
    return this.runUi.ui();
  }

  /** Stores what the focused window shows now, and what `target` designates (run-ui.ts). */
  recordUi(kind: UiSnapshotKind, target?: TapTarget): Promise<void> {
    return this.runUi.record(kind, target);
  }

  session(): AppSession | undefined {
    const s = this.token.session;
    return s && s.detachReason === undefined ? s : undefined;
  }

  install(apk?: string): Promise<string> {
    return this.o.install(apk);
  }

  note(message: string): void {
    this.o.note(message);
  }

  /** Host-side handling of one agent message: validate, record; malformed ones are counted. */
  private onMessage(raw: unknown, process: ProcessInfo): void {
    this.lastMessageAt = Date.now();
    let msg: ReturnType<typeof parseAgentMessage>;
    try {
      msg = parseAgentMessage(raw);
    } catch (err) {
      this.malformed++;
      log.warn(`${process.name}: malformed agent message ignored: ${errorMessage(err)}`);
      return;
    }
    if (msg.type === 'hello') {
      this.clock.noteHello?.(msg.time);
      this.agentSeen = true;
      this.hellos++;
    }
    // The app showed a dialog or a pop-up window: keep its texts as evidence (best effort).
    if (msg.type === 'events' && msg.events.some((e) => e.category === 'dialog')) this.runUi.snapshotScreen();
    try {
      this.o.writer.handle(msg);
    } catch (err) {
      if (err instanceof MessageError) {
        this.malformed++;
        log.warn(`${process.name}: agent message rejected: ${err.message}`);
      } else {
        this.fatal ??= err as Error;
      }
    }
  }

  private onDetach(token: SessionToken, reason: DetachReason, process: ProcessInfo): void {
    try {
      // Our own detach at the end of a run is no device event.
      if (reason !== 'application-requested')
        writeDetach(this.o.store, this.o.runId, this.clock.now(), reason, process);
    } catch (err) {
      this.fatal ??= err instanceof Error ? err : new StoreError(String(err));
    }
    if (reason === 'device-lost') {
      this.lost ??= `device lost (${process.name} detached: device-lost)`;
      return;
    }
    if (token !== this.token || this.expecting > 0 || reason === 'application-requested') return;
    if (process.name === this.pkg)
      this.pendingFailure ??= `app process ${process.name} ended unexpectedly (${reason})`;
  }

  /** Notes a crash the device reported (crash watch): fails the current step. */
  noteCrash(detail: string): void {
    if (this.expecting === 0) this.pendingFailure ??= detail;
  }

  /** The run's settings for one process's agent: given before the process runs. */
  private async prepare(process: ProcessInfo, rpc: AgentRpcClient): Promise<void> {
    try {
      await rpc.configure({
        hashSalt: this.o.hashSalt,
        rawValues: this.o.rawValues,
        ...(this.o.honey ? { honey: true } : {}),
      });
      // Read the phase at the call: a helper adopted mid-run joins the phase of that moment.
      await rpc.setPhase(this.phase);
    } catch (err) {
      log.warn(`${process.name}: cannot configure the agent: ${errorMessage(err)}`);
    }
  }

  async launch(options: { clearData: boolean }): Promise<void> {
    // No old session stays attached across a relaunch: its gating handlers would adopt the new
    // app's helper processes a second time (two agents, every event twice).
    const old = this.token.session;
    this.token = { session: undefined };
    if (old) {
      // Its agents' queued events first: they are the old app's real accesses.
      for (const p of old.detachReason === undefined ? old.processes() : []) {
        await old
          .rpc(p.name)
          .flush()
          .catch((err: unknown) => log.debug(`${p.name}: flush before relaunch: ${errorMessage(err)}`));
      }
      await this.expectExit(() => old.detach()).catch((err: unknown) =>
        log.warn(`detaching the previous session: ${errorMessage(err)}`),
      );
    }
    // UiAutomator2's session start brings io.appium.settings to the front: opened after the
    // spawn it would pause the app (a spurious background with the app's on-background code).
    if (usesUi(this.scenario)) {
      // A UI that cannot start fails the first UI step (which retries), not the launch.
      await this.ui().catch((err: unknown) => log.warn(`opening the UI session: ${errorMessage(err)}`));
    }
    if (options.clearData) {
      await this.device.clearData(this.pkg);
      // Data wiped: consent is gone with it.
      this.phase = PRE_CONSENT;
    }
    const token: SessionToken = { session: undefined };
    this.token = token;
    const hellosBefore = this.hellos;
    const session = await this.device.spawn(this.pkg, {
      agentSource: this.o.agentSource,
      jsRuntime: this.o.jsRuntime,
      onMessage: (m, p) => this.onMessage(m, p),
      onAgentError: (d, p) => log.warn(`${p.name}: agent script error: ${d}`),
      onDetach: (r, p) => this.onDetach(token, r, p),
      // Helpers that start later (or restart) get the run's settings before they run.
      prepare: (p, rpc) => this.prepare(p, rpc),
      onCrash: (c) => {
        if (token === this.token) this.noteCrash(`app ${c.kind} in ${c.process}: ${c.detail.split('\n')[0]}`);
      },
      onDegraded: (m) => this.note(`coverage degraded: ${m}`),
    });
    token.session = session;
    for (const p of session.processes()) await this.prepare(p, session.rpc(p.name));
    await session.resume();
    await this.awaitHello(session, hellosBefore);
  }

  /** A launch whose agent never says hello observes nothing: it fails with that cause. */
  private async awaitHello(session: AppSession, before: number): Promise<void> {
    const timeout = this.o.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    const seen = () => this.hellos > before;
    while (!seen() && Date.now() < deadline && session.detachReason === undefined) {
      if (this.signal?.aborted) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    if (seen()) return;
    const why = session.detachReason
      ? `the app detached (${session.detachReason})`
      : `no hello within ${timeout / 1000} s`;
    throw new Error(`agent never loaded in ${this.pkg}: ${why}`);
  }

  async setPhase(name: string): Promise<void> {
    this.phase = name;
    const session = this.session();
    if (!session) return;
    const errors: string[] = [];
    for (const p of session.processes()) {
      try {
        await session.rpc(p.name).setPhase(name);
      } catch (err) {
        errors.push(`${p.name}: ${errorMessage(err)}`);
      }
    }
    if (errors.length === session.processes().length && errors.length > 0)
      throw new Error(`cannot set phase ${name}: ${errors.join('; ')}`);
  }

  async expectExit<T>(fn: () => Promise<T>): Promise<T> {
    this.expecting++;
    try {
      return await fn();
    } finally {
      this.expecting--;
    }
  }

  /** Waits `ms` of run time, ending early on interruption (Ctrl-C) or a lost device. */
  sleep(ms: number): Promise<void> {
    const signal = this.signal;
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.clock.sleep(ms).then(done, done);
    });
  }

  /** Begins a step at run time now; returns a function that ends it (at least 1 ms long). */
  beginStep(
    kind: string,
    label: string,
  ): (outcome: 'ok' | 'failed' | 'skipped', detail?: string) => Promise<void> {
    const start = this.clock.now();
    const id = this.o.writer.beginStep({ kind, label, phase: this.phase, time: start });
    this.stepIds.push(id);
    return async (outcome, detail) => {
      this.stepIds = this.stepIds.filter((x) => x !== id);
      // Events at the step's start time must fall inside [start, end).
      if (this.clock.now() <= start) await this.clock.sleep(1);
      this.o.writer.endStep(id, outcome, detail, this.clock.now());
    };
  }

  async subStep<T>(kind: string, label: string, fn: () => Promise<T>): Promise<T> {
    const end = this.beginStep(kind, label);
    this.o.onProgress({ type: 'step-start', index: 0, kind, label, nested: true });
    try {
      const value = await fn();
      await end('ok');
      this.o.onProgress({ type: 'step-end', index: 0, kind, label, nested: true, outcome: 'ok' });
      return value;
    } catch (err) {
      await end('failed', errorMessage(err));
      this.o.onProgress({
        type: 'step-end',
        index: 0,
        kind,
        label,
        nested: true,
        outcome: 'failed',
        detail: errorMessage(err),
      });
      throw err;
    }
  }

  /** Flushes every process's agent queue and detaches (end of run). */
  async finishSession(waitForQuiet: boolean): Promise<void> {
    const session = this.session();
    if (!session) return;
    for (const p of session.processes()) {
      try {
        await session.rpc(p.name).flush();
      } catch (err) {
        log.warn(`${p.name}: flush failed: ${errorMessage(err)}`);
      }
    }
    if (waitForQuiet) {
      // Real device: the last batch travels over USB after flush() returns.
      const deadline = Date.now() + 2000;
      await new Promise((r) => setTimeout(r, 300));
      while (Date.now() < deadline && Date.now() - this.lastMessageAt < 300) {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await this.expectExit(() => session.detach());
  }

  closeUi(): Promise<void> {
    return this.runUi.close();
  }
}
