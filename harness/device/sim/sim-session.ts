// A spawned app on the simulated device, shaped like a Frida session: agent messages from every
// process (buffered until someone listens), resume() to let the app run, and a detach reason
// when the process dies or the device goes away.
import type { SimApp } from './sim-app.ts';

/** Frida's detach reasons, as the real device wrapper reports them. */
export const DETACH_REASONS = [
  'application-requested',
  'process-replaced',
  'process-terminated',
  'connection-terminated',
  'device-lost',
] as const;
export type DetachReason = (typeof DETACH_REASONS)[number];

export interface SimProcessInfo {
  name: string;
  pid: number;
}

type MessageListener = (message: unknown, process: SimProcessInfo) => void;

export class SimSession {
  private readonly listeners = new Set<MessageListener>();
  private readonly detachListeners = new Set<(reason: DetachReason) => void>();
  private buffer: { message: unknown; process: SimProcessInfo }[] = [];
  private resumed = false;
  detachReason: DetachReason | undefined;
  /** Set by the device once the runtimes exist. */
  app: SimApp | undefined;

  constructor(
    readonly packageName: string,
    readonly processes: readonly SimProcessInfo[],
    private readonly onResume: (session: SimSession) => void,
  ) {}

  /** The main process id. */
  get pid(): number {
    return this.processes[0]?.pid ?? 0;
  }

  /** Called by the runtimes for each agent message. */
  deliver(message: unknown, process: SimProcessInfo): void {
    if (this.detachReason) return;
    if (this.listeners.size === 0) {
      this.buffer.push({ message, process });
      return;
    }
    for (const l of this.listeners) l(message, process);
  }

  /** Subscribes to agent messages; messages sent before the first subscriber are replayed. */
  onMessage(listener: MessageListener): () => void {
    this.listeners.add(listener);
    const pending = this.buffer;
    this.buffer = [];
    for (const p of pending) listener(p.message, p.process);
    return () => this.listeners.delete(listener);
  }

  onDetached(listener: (reason: DetachReason) => void): () => void {
    this.detachListeners.add(listener);
    if (this.detachReason) listener(this.detachReason);
    return () => this.detachListeners.delete(listener);
  }

  /** Lets the spawned app run (Application.onCreate, then its first activity). */
  resume(): void {
    if (this.resumed || this.detachReason) return;
    this.resumed = true;
    this.onResume(this);
  }

  get isResumed(): boolean {
    return this.resumed;
  }

  /** Marks the session detached (the device calls this; listeners hear it once). */
  detach(reason: DetachReason): void {
    if (this.detachReason) return;
    this.detachReason = reason;
    for (const l of this.detachListeners) l(reason);
  }

  /** Flushes every process's agent queue (events batched on a timer otherwise). */
  flush(): void {
    for (const r of this.app?.runtimes.values() ?? []) r.flush();
  }
}
