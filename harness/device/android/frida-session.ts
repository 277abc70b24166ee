// A Frida-instrumented app on a real device: spawn suspended → attach → agent script loaded →
// THEN resume, so the agent's hooks are in place before the app's first instruction.
// Sub-processes: child gating catches fork/exec from the app; spawn gating catches the app's own
// zygote-started processes (android:process=":push", ":remote"), which are not children.
import type * as Frida from 'frida';
import { DeviceError, errorMessage } from '../../errors.ts';
import { createLog } from '../../log.ts';
import {
  type AgentRpcClient,
  type AppSession,
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
  createScript(source: string): Promise<FridaScriptApi>;
}
export interface FridaDeviceApi
  extends Pick<
    Frida.Device,
    'id' | 'spawn' | 'resume' | 'enableSpawnGating' | 'disableSpawnGating' | 'childAdded' | 'spawnAdded'
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
    const wanted = belongsTo(this.packageName, spawn.identifier);
    this.track(wanted ? this.adopt(spawn.pid, spawn.identifier, false) : this.device.resume(spawn.pid));
  };

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
      if (options.subprocesses !== false) {
        device.spawnAdded.connect(s.onSpawn);
        await device.enableSpawnGating();
      }
      await s.instrument(pid, pkg);
    } catch (err) {
      await s.detach().catch(() => undefined);
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
    const script = await session.createScript(this.options.agentSource);
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

  /** Attaches to a gated child or sub-process, loads the agent, then lets it run. */
  private async adopt(pid: number, name: string, child: boolean): Promise<void> {
    try {
      if (!this.closed) await this.instrument(pid, name);
    } finally {
      await this.device.resume(pid);
      log.debug(`${child ? 'child' : 'sub-process'} ${name} (${pid}) resumed`);
    }
  }

  processes(): ProcessInfo[] {
    return [...this.attached.values()].filter((a) => !a.reason).map((a) => a.info);
  }

  async resume(): Promise<void> {
    if (this.resumed) return;
    this.resumed = true;
    await this.device.resume(this.pid);
  }

  rpc(processName?: string): AgentRpcClient {
    const a = processName
      ? [...this.attached.values()].find((x) => x.info.name === processName)
      : this.attached.get(this.pid);
    if (!a) throw new DeviceError(`${this.packageName}: no instrumented process ${processName ?? this.pid}`);
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
    if (this.options.subprocesses !== false) {
      this.device.spawnAdded.disconnect(this.onSpawn);
      await this.device.disableSpawnGating().catch(() => undefined);
    }
    await this.settle();
    for (const a of this.attached.values()) {
      if (a.reason) continue;
      await a.script.unload().catch(() => undefined);
      await a.session.detach().catch(() => undefined);
    }
  }
}
