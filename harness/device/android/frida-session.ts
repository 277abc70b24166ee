// A Frida-instrumented app on a real device: spawn suspended → attach → agent script loaded →
// THEN resume, so the agent's hooks are in place before the app's first instruction.
// Sub-processes: child gating catches fork/exec from the app; spawn gating catches the app's own
// zygote-started processes (android:process=":push", ":remote"), which are not children. Such a
// helper starts whenever Android wants (later, or again after a kill): it is held until its agent
// is loaded AND SpawnOptions.prepare gave it the run's settings, then resumed.
// Frida 17.18 device signals handled (types/frida/frida_binding.d.ts): processCrashed (a crash
// report for one of our pids) and spawnGatingDisabled (reason 'watchdog-timeout': frida gave up
// on a held spawn and switched gating off for the whole device).
import type * as Frida from 'frida';
import { DeviceError, errorMessage } from '../../errors.ts';
import { createLog } from '../../log.ts';
import {
  type AgentRpcClient,
  type AppSession,
  DEFAULT_JS_RUNTIME,
  DETACH_REASONS,
  type DetachReason,
  type ProcessInfo,
  type SpawnOptions,
} from '../types.ts';

const log = createLog('frida');

/**
 * The parts of the frida API the adapter uses. The real Device/Session/Script (vendored typings,
 * types/frida/) are assignable to these; tests pass a double of the same shape.
 */
export type FridaScriptApi = Pick<Frida.Script, 'load' | 'unload' | 'exports' | 'message'>;
export interface FridaSessionApi
  extends Pick<Frida.Session, 'pid' | 'enableChildGating' | 'detach' | 'detached'> {
  createScript(source: string, options?: { runtime?: Frida.ScriptRuntime }): Promise<FridaScriptApi>;
}
export interface FridaDeviceApi
  extends Pick<
    Frida.Device,
    | 'id'
    | 'spawn'
    | 'resume'
    | 'kill'
    | 'enableSpawnGating'
    | 'disableSpawnGating'
    | 'childAdded'
    | 'spawnAdded'
    | 'spawnGatingDisabled'
    | 'processCrashed'
  > {
  attach(target: number): Promise<FridaSessionApi>;
}

export interface FridaSpawnOptions extends SpawnOptions {
  /** Also instrument the app's ":name" processes through spawn gating (default true). */
  subprocesses?: boolean;
}

interface Attached {
  info: ProcessInfo;
  session: FridaSessionApi;
  script: FridaScriptApi;
  reason?: DetachReason;
}

export function toDetachReason(reason: unknown): DetachReason {
  const r = String(reason);
  return (DETACH_REASONS as readonly string[]).includes(r) ? (r as DetachReason) : 'connection-terminated';
}

function rpcClient(exports: Frida.ScriptExports, where: string): AgentRpcClient {
  const call = async (name: string, ...args: unknown[]) => {
    const fn = exports[name];
    if (!fn) throw new DeviceError(`${where}: the agent has no rpc export '${name}'`);
    return fn(...args);
  };
  return {
    ping: () => call('ping'),
    status: () => call('status'),
    setPhase: async (name) => {
      await call('setPhase', name);
    },
    configure: async (config) => {
      await call('configure', config);
    },
    flush: () => call('flush'),
  };
}

/** True for the app's own process names: "com.foo" and "com.foo:push". */
export function belongsTo(pkg: string, processName: string): boolean {
  return processName === pkg || processName.startsWith(`${pkg}:`);
}

export class FridaAppSession implements AppSession {
  private readonly attached = new Map<number, Attached>();
  private resumed = false;
  private closed = false;
  private readonly pending: Promise<void>[] = [];
  private readonly onChild = (child: Frida.Child) => {
    const name = child.identifier || child.path || `${this.packageName}#${child.pid}`;
    this.track(this.adopt(child.pid, name, true));
  };
  private readonly onSpawn = (spawn: Frida.Spawn) => {
    if (this.closed) return;
    const wanted = belongsTo(this.packageName, spawn.identifier);
    this.track(wanted ? this.adopt(spawn.pid, spawn.identifier, false) : this.device.resume(spawn.pid));
  };
  private readonly onCrashed = (crash: Frida.Crash) => {
    const a = this.attached.get(crash.pid);
    if (!a || this.closed || this.crashed.has(crash.pid)) return;
    this.crashed.add(crash.pid);
    this.options.onCrash?.({
      time: Date.now(),
      // Frida's crash reports come from the OS crash reporter: a signal, not a Java exception.
      kind: 'native-crash',
      process: a.info.name,
      pid: crash.pid,
      detail: crash.summary || crash.report.split('\n')[0] || 'crashed',
    });
  };
  private readonly onGatingDisabled = (reason: Frida.SpawnGatingDisabledReason) => {
    if (this.closed || this.options.subprocesses === false) return;
    const why = String(reason);
    this.options.onDegraded?.(
      `frida switched spawn gating off (${why}): helper processes started meanwhile run without the agent`,
    );
    // Switch it back on for the helpers still to come.
    this.track(this.device.enableSpawnGating());
  };
  private readonly crashed = new Set<number>();
  /** Sessions per device that need spawn gating (one device-wide switch). */
  private static readonly gating = new WeakMap<FridaDeviceApi, number>();

  private constructor(
    private readonly device: FridaDeviceApi,
    readonly packageName: string,
    readonly pid: number,
    private readonly options: FridaSpawnOptions,
  ) {}

  /** spawn → attach → child gating → createScript → load; resume() lets the app run. */
  static async spawn(
    device: FridaDeviceApi,
    pkg: string,
    options: FridaSpawnOptions,
  ): Promise<FridaAppSession> {
    let pid: number;
    try {
      pid = await device.spawn(pkg);
    } catch (err) {
      throw new DeviceError(`${device.id}: frida could not spawn ${pkg}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    const s = new FridaAppSession(device, pkg, pid, options);
    try {
      device.childAdded.connect(s.onChild);
      device.processCrashed.connect(s.onCrashed);
      if (options.subprocesses !== false) {
        device.spawnAdded.connect(s.onSpawn);
        device.spawnGatingDisabled.connect(s.onGatingDisabled);
        FridaAppSession.gating.set(device, (FridaAppSession.gating.get(device) ?? 0) + 1);
        await device.enableSpawnGating();
      }
      await s.instrument(pid, pkg);
    } catch (err) {
      await s.detach().catch(() => undefined);
      // A spawned app left suspended holds its name: the next spawn or a user would find it hung.
      await device.kill(pid).catch(() => undefined);
      throw new DeviceError(`${device.id}: instrumenting ${pkg} failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return s;
  }

  private track(p: Promise<void>): void {
    this.pending.push(
      p.catch((err: unknown) => {
        log.warn(`${this.packageName}: sub-process: ${errorMessage(err)}`);
      }),
    );
  }

  /** Waits for sub-process attachments started by gating signals (tests, orderly shutdown). */
  async settle(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  private async instrument(pid: number, name: string): Promise<void> {
    const info: ProcessInfo = { name, pid };
    const session = await this.device.attach(pid);
    await session.enableChildGating();
    const runtime = this.options.jsRuntime ?? DEFAULT_JS_RUNTIME;
    const script = await session
      .createScript(this.options.agentSource, { runtime: runtime as Frida.ScriptRuntime })
      .catch((err: unknown) => {
        // Servers built without V8 (FRIDA_V8=disabled) refuse it; QuickJS is in every build.
        if (runtime === 'v8' && /v8 runtime not available/i.test(errorMessage(err)))
          throw new DeviceError(
            `this frida-server has no V8 (${errorMessage(err)}): run with --js-runtime qjs`,
            {
              cause: err,
            },
          );
        throw err;
      });
    const entry: Attached = { info, session, script };
    this.attached.set(pid, entry);
    script.message.connect((message) => {
      if (String(message.type) === 'send')
        this.options.onMessage((message as Frida.SendMessage).payload, info);
      else {
        const e = message as Frida.ErrorMessage;
        const where = e.fileName ? ` (${e.fileName}:${e.lineNumber ?? '?'})` : '';
        log.warn(`${name}: agent error: ${e.description}${where}`);
        this.options.onAgentError?.(`${e.description}${where}`, info);
      }
    });
    session.detached.connect((reason, crash) => {
      if (entry.reason) return;
      entry.reason = toDetachReason(reason);
      log.info(`${name} (${pid}) detached: ${entry.reason}${crash ? `: ${crash.summary}` : ''}`);
      this.options.onDetach?.(entry.reason, info);
    });
    await script.load();
  }

  /**
   * Attaches to a gated child or sub-process, loads the agent, gives it the run's settings
   * (prepare), then lets it run. One that cannot be instrumented is killed: left running it would
   * collect unseen; the app restarts its helpers when it needs them.
   */
  private async adopt(pid: number, name: string, child: boolean): Promise<void> {
    const info: ProcessInfo = { name, pid };
    if (this.closed) {
      await this.device.resume(pid);
      return;
    }
    try {
      await this.instrument(pid, name);
    } catch (err) {
      this.options.onDegraded?.(`${name} (${pid}) not instrumented, killed: ${errorMessage(err)}`);
      await this.device.kill(pid).catch(() => undefined);
      return;
    }
    if (this.options.prepare) {
      try {
        await this.options.prepare(info, this.rpc(pid));
      } catch (err) {
        log.warn(`${name} (${pid}): preparing the agent failed: ${errorMessage(err)}`);
      }
    }
    await this.device.resume(pid);
    log.debug(`${child ? 'child' : 'sub-process'} ${name} (${pid}) resumed`);
  }

  processes(): ProcessInfo[] {
    return [...this.attached.values()].filter((a) => !a.reason).map((a) => a.info);
  }

  async resume(): Promise<void> {
    if (this.resumed) return;
    this.resumed = true;
    await this.device.resume(this.pid);
  }

  /** The agent of a LIVE process, by name (default the main one) or pid; a restarted helper's newest. */
  rpc(process?: string | number): AgentRpcClient {
    const a =
      typeof process === 'number'
        ? this.attached.get(process)
        : process
          ? [...this.attached.values()].filter((x) => x.info.name === process && !x.reason).at(-1)
          : this.attached.get(this.pid);
    if (!a || a.reason)
      throw new DeviceError(`${this.packageName}: no instrumented process ${process ?? this.pid}`);
    return rpcClient(a.script.exports, `${a.info.name} (${a.info.pid})`);
  }

  get detachReason(): DetachReason | undefined {
    return this.attached.get(this.pid)?.reason;
  }

  /** Why each process's session ended (main process and sub-processes). */
  detachReasons(): Map<string, DetachReason> {
    const out = new Map<string, DetachReason>();
    for (const a of this.attached.values()) if (a.reason) out.set(a.info.name, a.reason);
    return out;
  }

  async detach(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.device.childAdded.disconnect(this.onChild);
    this.device.processCrashed.disconnect(this.onCrashed);
    if (this.options.subprocesses !== false) {
      this.device.spawnAdded.disconnect(this.onSpawn);
      this.device.spawnGatingDisabled.disconnect(this.onGatingDisabled);
      // Gating is one switch for the whole device: leave it on while another session needs it.
      const left = (FridaAppSession.gating.get(this.device) ?? 1) - 1;
      FridaAppSession.gating.set(this.device, Math.max(0, left));
      if (left <= 0) await this.device.disableSpawnGating().catch(() => undefined);
    }
    await this.settle();
    for (const a of this.attached.values()) {
      if (a.reason) continue;
      await a.script.unload().catch(() => undefined);
      await a.session.detach().catch(() => undefined);
    }
  }
}
