// A spawned app on the simulated device (Device.spawn → AppSession): agent messages from every
// process go to SpawnOptions.onMessage, resume() lets the app run, rpc() reaches a live process's
// agent, and each process's end is reported once with Frida's detach reason. Helper processes
// (":push") start later than the main one, as on Android, and are adopted the way Frida's spawn
// gating hands them over: held until SpawnOptions.prepare has given them the run's settings.
import type { AgentRpc } from '../../../agent/protocol/messages.ts';
import type {
  AgentRpcClient,
  AppSession,
  DetachReason,
  ProcessInfo,
  SpawnOptions,
} from '../../device/types.ts';
import { DeviceError, errorMessage } from '../../errors.ts';
import type { SimApp } from '../apps/sim-app.ts';

interface Proc {
  info: ProcessInfo;
  reason?: DetachReason;
}

export class SimSession implements AppSession {
  private resumed = false;
  /** Agent unloaded (detach()): the app runs on, messages are no longer delivered. */
  private unloaded = false;
  private readonly procs: Proc[];
  detachReason: DetachReason | undefined;
  /** Set by the device once the runtimes exist. */
  app: SimApp | undefined;
  /** How often resume() let the app run (a second resume of one process is a harness bug). */
  resumeCount = 0;

  constructor(
    readonly packageName: string,
    procs: readonly ProcessInfo[],
    private readonly options: SpawnOptions,
    private readonly onResume: (session: SimSession) => Promise<void>,
  ) {
    this.procs = procs.map((info) => ({ info: { ...info } }));
  }

  get pid(): number {
    return this.procs[0]?.info.pid ?? 0;
  }

  /** Live processes only: a killed helper is gone until it restarts (with a new pid). */
  processes(): ProcessInfo[] {
    return this.procs.filter((p) => !p.reason).map((p) => ({ ...p.info }));
  }

  /** Called by the runtimes for each agent message. */
  deliver(message: unknown, process: ProcessInfo): void {
    if (this.detachReason || this.unloaded) return;
    try {
      this.options.onMessage(message, process);
    } catch (err) {
      // A listener bug must not look like an agent failure or kill the simulated app.
      this.options.onAgentError?.(`message listener threw: ${errorMessage(err)}`, process);
    }
  }

  async resume(): Promise<void> {
    if (this.resumed || this.detachReason) return;
    this.resumed = true;
    this.resumeCount++;
    await this.onResume(this);
  }

  get isResumed(): boolean {
    return this.resumed;
  }

  /**
   * A helper process started after spawn, agent loaded and still held (spawn gating): the
   * session's owner prepares it; then the device lets it run. False when it must not run
   * instrumented (session detached).
   */
  async adopt(info: ProcessInfo): Promise<boolean> {
    if (this.detachReason || this.unloaded) return false;
    this.procs.push({ info: { ...info } });
    if (this.options.prepare) {
      try {
        await this.options.prepare({ ...info }, this.rpc(info.name));
      } catch (err) {
        this.options.onAgentError?.(`preparing the agent failed: ${errorMessage(err)}`, info);
      }
    }
    return true;
  }

  /** One process ended (a helper killed by the system); the main one ends the session. */
  processEnded(pid: number, reason: DetachReason): void {
    const p = this.procs.find((x) => x.info.pid === pid && !x.reason);
    if (!p || this.detachReason) return;
    if (p === this.procs[0]) {
      this.ended(reason);
      return;
    }
    p.reason = reason;
    this.options.onDetach?.(reason, { ...p.info });
  }

  rpc(processName?: string): AgentRpcClient {
    const name = processName ?? this.packageName;
    const target = (): AgentRpc => {
      if (this.detachReason) throw new DeviceError(`${name}: session detached (${this.detachReason})`);
      const live = this.procs.some((p) => p.info.name === name && !p.reason);
      const rt = live ? this.app?.runtimes.get(name) : undefined;
      if (!rt) throw new DeviceError(`${this.packageName}: no process ${name}`);
      return rt.rpc();
    };
    return {
      ping: async () => target().ping(),
      status: async () => target().status(),
      setPhase: async (phase) => target().setPhase(phase),
      configure: async (config) => target().configure(config),
      flush: async () => target().flush(),
    };
  }

  /** Unloads the agent (no more messages); the app keeps running. */
  async detach(): Promise<void> {
    if (this.detachReason) return;
    this.unloaded = true;
    this.ended('application-requested');
  }

  /** The processes ended (or the agent was unloaded): each live process's detach is reported once. */
  ended(reason: DetachReason): void {
    if (this.detachReason) return;
    this.detachReason = reason;
    for (const p of this.procs) {
      if (p.reason) continue;
      p.reason = reason;
      this.options.onDetach?.(reason, { ...p.info });
    }
  }

  /** Flushes every process's agent queue (events are batched on a timer otherwise). */
  flush(): void {
    for (const r of this.app?.runtimes.values() ?? []) r.flush();
  }
}
