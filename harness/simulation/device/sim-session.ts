// A spawned app on the simulated device (Device.spawn → AppSession): agent messages from every
// process go to SpawnOptions.onMessage, resume() lets the app run, rpc() reaches a process's
// agent, and the process's end is reported once per process with Frida's detach reason.
import type { AgentRpc } from '../../../agent/protocol/messages.ts';
import type {
  AgentRpcClient,
  AppSession,
  DetachReason,
  ProcessInfo,
  SpawnOptions,
} from '../../device/types.ts';
import { DeviceError } from '../../errors.ts';
import type { SimApp } from '../apps/sim-app.ts';

export class SimSession implements AppSession {
  private resumed = false;
  /** Agent unloaded (detach()): the app runs on, messages are no longer delivered. */
  private unloaded = false;
  detachReason: DetachReason | undefined;
  /** Set by the device once the runtimes exist. */
  app: SimApp | undefined;

  constructor(
    readonly packageName: string,
    private readonly procs: readonly ProcessInfo[],
    private readonly options: SpawnOptions,
    private readonly onResume: (session: SimSession) => void,
  ) {}

  get pid(): number {
    return this.procs[0]?.pid ?? 0;
  }

  processes(): ProcessInfo[] {
    return this.procs.map((p) => ({ ...p }));
  }

  /** Called by the runtimes for each agent message. */
  deliver(message: unknown, process: ProcessInfo): void {
    if (this.detachReason || this.unloaded) return;
    try {
      this.options.onMessage(message, process);
    } catch (err) {
      // A listener bug must not look like an agent failure or kill the simulated app.
      this.options.onAgentError?.(
        `message listener threw: ${err instanceof Error ? err.message : String(err)}`,
        process,
      );
    }
  }

  async resume(): Promise<void> {
    if (this.resumed || this.detachReason) return;
    this.resumed = true;
    this.onResume(this);
  }

  get isResumed(): boolean {
    return this.resumed;
  }

  rpc(processName?: string): AgentRpcClient {
    const name = processName ?? this.packageName;
    const target = (): AgentRpc => {
      if (this.detachReason) throw new DeviceError(`${name}: session detached (${this.detachReason})`);
      const rt = this.app?.runtimes.get(name);
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

  /** The processes ended (or the agent was unloaded): each process's detach is reported once. */
  ended(reason: DetachReason): void {
    if (this.detachReason) return;
    this.detachReason = reason;
    for (const p of this.procs) this.options.onDetach?.(reason, { ...p });
  }

  /** Flushes every process's agent queue (events are batched on a timer otherwise). */
  flush(): void {
    for (const r of this.app?.runtimes.values() ?? []) r.flush();
  }
}
