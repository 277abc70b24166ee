// A test double of the frida API as the harness uses it, shaped like the vendored typings
// (types/frida/, frida 17.18): Device.spawn/attach/resume/kill/enableSpawnGating + childAdded,
// spawnAdded, spawnGatingDisabled, processCrashed; Session.enableChildGating/createScript/detach +
// detached; Script.load/unload/exports/message. It behaves as a device does where the harness has
// been kinder than one: spawning a running app kills the old process first; spawn gating is ONE
// device-wide switch; every session attached to a process loads its own agent (two sessions, two
// agents, every hook fires twice); resuming a process that is not held fails.
import type * as Frida from 'frida';
import type {
  FridaDeviceApi,
  FridaScriptApi,
  FridaSessionApi,
} from '../../harness/device/android/frida-session.ts';

type Handler = (...args: never[]) => void;

export class FakeSignal<H extends Handler> {
  readonly handlers: H[] = [];
  connect(h: H): void {
    this.handlers.push(h);
  }
  disconnect(h: H): void {
    const i = this.handlers.indexOf(h);
    if (i >= 0) this.handlers.splice(i, 1);
  }
  emit(...args: Parameters<H>): void {
    for (const h of [...this.handlers]) h(...args);
  }
}

export class FakeScript implements FridaScriptApi {
  readonly message = new FakeSignal<Frida.ScriptMessageHandler>();
  readonly exports: Frida.ScriptExports;
  loaded = false;
  /** The last configure()/setPhase() this agent got. */
  config: unknown;
  phase: string | undefined;
  constructor(
    private readonly calls: string[],
    readonly pid: number,
    readonly source: string,
  ) {
    // A destroyed script's exports reject, as frida's do ("script is destroyed").
    const live =
      <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        if (!this.loaded) throw new Error('script is destroyed');
        return fn(...a);
      };
    this.exports = {
      ping: live(async () => `pong from ${pid}`),
      flush: live(async () => 7),
      configure: live(async (config: unknown) => {
        calls.push(`rpc configure @${pid}`);
        this.config = config;
      }),
      setPhase: live(async (name: string) => {
        calls.push(`rpc setPhase ${name} @${pid}`);
        this.phase = name;
      }),
    };
  }
  /** Set by the device when its scripts greet like dist/agent.js: the process name to greet with. */
  helloAs: string | undefined;
  async load(): Promise<void> {
    this.calls.push(`load ${this.pid}`);
    this.loaded = true;
    // The real agent's first message, sent while it loads (agent/runtime/boot.ts).
    if (this.helloAs)
      this.send({
        v: 1,
        type: 'hello',
        time: Date.now(),
        agentVersion: '0.1.0',
        pid: this.pid,
        process: this.helloAs,
      });
  }
  async unload(): Promise<void> {
    this.calls.push(`unload ${this.pid}`);
    this.loaded = false;
  }
  send(payload: unknown): void {
    this.message.emit({ type: 'send', payload } as Frida.SendMessage, null);
  }
  error(description: string): void {
    this.message.emit(
      { type: 'error', description, fileName: 'agent.js', lineNumber: 3 } as Frida.ErrorMessage,
      null,
    );
  }
}

export class FakeSession implements FridaSessionApi {
  readonly detached = new FakeSignal<Frida.SessionDetachedHandler>();
  script: FakeScript | undefined;
  isDetached = false;
  /** The engine each createScript asked for ('default' when it named none). */
  readonly runtimes: string[] = [];
  constructor(
    private readonly calls: string[],
    readonly pid: number,
    private readonly failScript = false,
    private readonly hasV8 = true,
    private readonly helloAs: string | undefined = undefined,
  ) {}
  persistTimeout = 0;
  async enableChildGating(): Promise<void> {
    this.calls.push(`enableChildGating ${this.pid}`);
  }
  async createScript(source: string, options?: { runtime?: Frida.ScriptRuntime }): Promise<FakeScript> {
    this.calls.push(`createScript ${this.pid}`);
    const runtime = String(options?.runtime ?? 'default');
    this.runtimes.push(runtime);
    if (this.failScript) throw new Error('script(line 1): SyntaxError: unexpected token');
    // frida-core's words when the server was built without V8 (FRIDA_V8=disabled, Gadget builds).
    if (runtime === 'v8' && !this.hasV8)
      throw new Error('v8 runtime not available due to build configuration');
    this.script = new FakeScript(this.calls, this.pid, source);
    this.script.helloAs = this.helloAs;
    return this.script;
  }
  async detach(): Promise<void> {
    this.calls.push(`detach ${this.pid}`);
    this.end('application-requested');
  }
  end(reason: string, crash: Frida.Crash | null = null): void {
    if (this.isDetached) return;
    this.isDetached = true;
    if (this.script) this.script.loaded = false;
    this.detached.emit(reason as Frida.SessionDetachReason, crash);
  }
}

interface FakeProcess {
  pid: number;
  name: string;
  /** Held by spawn or spawn gating until resume(). */
  suspended: boolean;
  alive: boolean;
  sessions: FakeSession[];
}

export class FakeDevice implements FridaDeviceApi {
  readonly id = 'emulator-5554';
  readonly calls: string[] = [];
  /** The latest session per pid (tests reach its script). */
  readonly sessions = new Map<number, FakeSession>();
  readonly procs = new Map<number, FakeProcess>();
  readonly childAdded = new FakeSignal<Frida.ChildAddedHandler>();
  readonly spawnAdded = new FakeSignal<Frida.SpawnAddedHandler>();
  readonly spawnGatingDisabled = new FakeSignal<Frida.SpawnGatingDisabledHandler>();
  readonly processCrashed = new FakeSignal<Frida.ProcessCrashedHandler>();
  gating = false;
  failSpawn = false;
  /** False for a frida-server built without V8. */
  hasV8 = true;
  /** Loaded scripts say hello as dist/agent.js does (a run waits for it before its first step). */
  agentHello = false;
  /** Pids whose createScript fails (a broken agent, an unsupported runtime). */
  readonly failScriptFor = new Set<number>();
  /** Processes that ran without any agent (spawn gating off when they started). */
  readonly uninstrumented: string[] = [];
  private nextPid = 4321;

  async spawn(program: string | string[]): Promise<number> {
    if (this.failSpawn) throw new Error('Unable to find application with identifier');
    const name = String(program);
    this.calls.push(`spawn ${name}`);
    // frida-server stops a running instance of the app before spawning it again.
    for (const p of this.procs.values())
      if (p.alive && (p.name === name || p.name.startsWith(`${name}:`)))
        this.end(p.pid, 'process-terminated');
    const pid = this.nextPid++;
    this.procs.set(pid, { pid, name, suspended: true, alive: true, sessions: [] });
    return pid;
  }
  async attach(pid: number): Promise<FakeSession> {
    this.calls.push(`attach ${pid}`);
    const p = this.procs.get(pid);
    if (!p?.alive) throw new Error(`Unable to find process with pid ${pid}`);
    const s = new FakeSession(
      this.calls,
      pid,
      this.failScriptFor.has(pid),
      this.hasV8,
      this.agentHello ? p.name : undefined,
    );
    p.sessions.push(s);
    this.sessions.set(pid, s);
    return s;
  }
  async resume(pid: number | string): Promise<void> {
    this.calls.push(`resume ${pid}`);
    const p = this.procs.get(Number(pid));
    if (!p?.alive || !p.suspended) throw new Error(`Unable to resume process with pid ${pid}: not suspended`);
    p.suspended = false;
  }
  async kill(pid: number | string): Promise<void> {
    this.calls.push(`kill ${pid}`);
    this.end(Number(pid), 'process-terminated');
  }
  async enableSpawnGating(): Promise<void> {
    this.calls.push('enableSpawnGating');
    this.gating = true;
  }
  async disableSpawnGating(): Promise<void> {
    this.calls.push('disableSpawnGating');
    this.gating = false;
  }
  /** The process dies: every session attached to it is detached. */
  end(pid: number, reason: string, crash: Frida.Crash | null = null): void {
    const p = this.procs.get(pid);
    if (!p?.alive) return;
    p.alive = false;
    for (const s of p.sessions) s.end(reason, crash);
  }
  /** Android starts one of the app's processes (a ":push" service): held only when gating is on. */
  startProcess(name: string): number {
    const pid = this.nextPid++;
    this.procs.set(pid, { pid, name, suspended: this.gating, alive: true, sessions: [] });
    if (this.gating) this.spawnAdded.emit({ pid, identifier: name } as unknown as Frida.Spawn);
    else this.uninstrumented.push(name);
    return pid;
  }
  /** The app's code in `pid` makes one call: every agent loaded there reports it. */
  appCall(pid: number, payload: unknown): void {
    const p = this.procs.get(pid);
    if (!p?.alive || p.suspended) return;
    for (const s of p.sessions) if (s.script?.loaded) s.script.send(payload);
  }
  /** Legacy helpers: a gated child / spawn announced regardless of the process table. */
  addChild(pid: number, identifier: string): void {
    this.procs.set(pid, { pid, name: identifier, suspended: true, alive: true, sessions: [] });
    this.childAdded.emit({
      pid,
      parentPid: 4321,
      identifier,
      path: '/system/bin/app_process64',
    } as unknown as Frida.Child);
  }
  addSpawn(pid: number, identifier: string): void {
    this.procs.set(pid, { pid, name: identifier, suspended: true, alive: true, sessions: [] });
    this.spawnAdded.emit({ pid, identifier } as unknown as Frida.Spawn);
  }
  crash(pid: number, summary: string): void {
    const p = this.procs.get(pid);
    const crash = {
      pid,
      processName: p?.name ?? '',
      summary,
      report: `${summary}\n  #00 pc 0000 libc.so`,
      parameters: {},
    } as unknown as Frida.Crash;
    this.processCrashed.emit(crash);
    this.end(pid, 'process-terminated', crash);
  }
  /** Frida's watchdog gave up on a held spawn and switched gating off for everyone. */
  gatingTimedOut(): void {
    this.gating = false;
    this.spawnGatingDisabled.emit('watchdog-timeout' as Frida.SpawnGatingDisabledReason);
  }
}
