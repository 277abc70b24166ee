// The simulated device process: runs the bundled agent (dist/agent-sim.js, unchanged) in a Node
// `vm` context with simulated Frida globals and a simulated Java VM generated from the Android
// API index. Tests and the sim device drive the app through `app` and read the agent's messages.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { AgentMessage, AgentRpc } from '../../../agent/protocol/messages.ts';
import { loadAndroidApi } from '../../android-api/load.ts';
import type { AndroidApi } from '../../android-api/types.ts';
import { DeviceError, EnvironmentError, errorMessage } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type { FridaSim, SimRuntimeClock } from './frida-globals.ts';
import type { JavaWorld } from './java-world.ts';
import { ManualClock } from './manual-clock.ts';
import { type SimApp, SimProcess } from './sim-process.ts';

export type { AppCallOptions, LoadClassOptions, NewClassLoaderOptions, SimApp } from './sim-process.ts';
// Re-exported: the runtime tests build their clock from here.
export { ManualClock };

const log = createLog('sim');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_AGENT = join(ROOT, 'dist', 'agent-sim.js');
export const TEST_AGENT = join(ROOT, 'dist', 'agent-sim-test.js');
export const DEFAULT_API_LEVEL = 34;

export interface SimRuntimeOptions {
  packageName: string;
  processName?: string;
  pid?: number;
  clock?: SimRuntimeClock;
  /** API level of the simulated platform (classes/methods outside it are missing). */
  apiLevel?: number;
  api?: AndroidApi;
  /** Extra globals for the agent's context (the test agent reads its setup from one). */
  globals?: Record<string, unknown>;
  /**
   * false: messages are counted, not parsed or kept, unless a listener wants them (benchmarks of
   * the agent: on a device the host parses in another process, not on the app's thread).
   */
  keepMessages?: boolean;
}

export class SimRuntime {
  readonly packageName: string;
  readonly processName: string;
  readonly pid: number;
  readonly clock: SimRuntimeClock;
  readonly process: SimProcess;
  /** Every message received, in order. */
  readonly messages: AgentMessage[] = [];
  /** Serialised size in bytes of each message, parallel to `messages`. */
  readonly messageBytes: number[] = [];
  readonly console: string[] = [];
  /** Messages sent by the agent, kept or not. */
  received = 0;
  private readonly keepMessages: boolean;
  private readonly context: vm.Context;
  private readonly listeners = new Set<(m: AgentMessage) => void>();
  private readonly waiters: (() => void)[] = [];
  private loaded = false;

  constructor(options: SimRuntimeOptions) {
    this.packageName = options.packageName;
    this.processName = options.processName ?? options.packageName;
    this.pid = options.pid ?? 4242;
    this.clock = options.clock ?? new ManualClock();
    this.keepMessages = options.keepMessages ?? true;
    this.process = new SimProcess({
      packageName: this.packageName,
      processName: this.processName,
      pid: this.pid,
      clock: this.clock,
      api: options.api ?? loadAndroidApi(),
      apiLevel: options.apiLevel ?? DEFAULT_API_LEVEL,
      onSend: (json) => this.receive(json),
      onConsole: (level, text) => {
        this.console.push(`${level}: ${text}`);
        log.debug(`agent ${level}: ${text}`);
      },
      onCrash: (reason) => this.crash(reason),
    });
    const clock = this.clock;
    this.context = vm.createContext({
      ...this.process.globals(),
      ...options.globals,
      __clockNow: () => clock.now(),
    });
    vm.runInContext('Date.now = function () { return __clockNow(); };', this.context);
  }

  get world(): JavaWorld {
    return this.process.world;
  }

  get app(): SimApp {
    return this.process.app;
  }

  private get frida(): FridaSim {
    return this.process.frida;
  }

  get isAlive(): boolean {
    return this.process.isAlive;
  }

  /** Interceptor callbacks the agent ran, per native symbol (the cost of its native hooks). */
  get nativeCallbacks(): ReadonlyMap<string, { enter: number; leave: number }> {
    return this.frida.callbacks;
  }

  /** Runs the agent bundle (default dist/agent-sim.js) in the process. */
  loadAgent(path = DEFAULT_AGENT): void {
    if (this.loaded) throw new DeviceError(`sim ${this.processName}: agent already loaded`);
    let code: string;
    try {
      code = readFileSync(path, 'utf8');
    } catch (err) {
      throw new EnvironmentError(`cannot read ${path} (run npm run build:agent): ${errorMessage(err)}`, {
        cause: err,
      });
    }
    vm.runInContext(code, this.context, { filename: path });
    this.loaded = true;
  }

  private receive(json: string): void {
    this.received++;
    if (!this.keepMessages && this.listeners.size === 0) return;
    const envelope = JSON.parse(json) as { payload: AgentMessage };
    const message = envelope.payload;
    this.messages.push(message);
    this.messageBytes.push(Buffer.byteLength(JSON.stringify(message)));
    for (const l of this.listeners) l(message);
    for (const wake of this.waiters.splice(0)) wake();
  }

  onMessage(fn: (m: AgentMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Async iteration over messages from now on (ends when the process dies). */
  async *[Symbol.asyncIterator](): AsyncGenerator<AgentMessage> {
    let index = this.messages.length;
    while (true) {
      while (index < this.messages.length) yield this.messages[index++] as AgentMessage;
      if (!this.isAlive) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Calls an rpc export by its host-side name. */
  call(name: keyof AgentRpc, ...args: unknown[]): unknown {
    if (!this.isAlive) throw new DeviceError(`sim ${this.processName}: process is dead`);
    const fn = this.frida.rpc.exports[name];
    if (typeof fn !== 'function') throw new DeviceError(`sim ${this.processName}: no rpc export ${name}`);
    // Results cross the wire as JSON, as with a real Frida script.
    const result: unknown = fn(...args);
    return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  }

  /** The agent's rpc, typed. */
  get rpc(): AgentRpc {
    return {
      ping: () => this.call('ping') as string,
      status: () => this.call('status') as ReturnType<AgentRpc['status']>,
      setPhase: (name) => void this.call('setPhase', name),
      configure: (config) => void this.call('configure', config),
      flush: () => this.call('flush') as number,
    };
  }

  /** recv() side: a message from the host to the agent. */
  post(message: unknown): void {
    this.frida.deliver(JSON.parse(JSON.stringify(message)));
  }

  /** Messages of one type. */
  ofType<T extends AgentMessage['type']>(type: T): Extract<AgentMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<AgentMessage, { type: T }> => m.type === type);
  }

  /** The process dies at once: no flush, no more messages (queued events are lost as on a device). */
  kill(): void {
    this.process.kill();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** A Java crash: the app's uncaught exception kills the process. */
  crash(reason = 'java.lang.RuntimeException'): void {
    log.info(`sim ${this.processName}: crash (${reason})`);
    this.kill();
  }
}

/** Creates a simulated process (call loadAgent() to inject the agent). */
export function createSimRuntime(options: SimRuntimeOptions): SimRuntime {
  return new SimRuntime(options);
}
