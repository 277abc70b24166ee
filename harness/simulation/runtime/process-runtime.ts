// The seam between the simulated app and the simulated Frida/Java runtime that runs the real
// agent (harness/simulation/runtime). The app drives a SimProcessRuntime per process; the default factory
// adapts sim-runtime.ts (sim-runtime-adapter.ts); recordingRuntime() runs no agent
// and only records, for UI and model tests.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { AgentRpc } from '../../../agent/protocol/messages.ts';
import type { ApiClass } from '../../android-api/types.ts';
import { DeviceError } from '../../errors.ts';
import type { SimClock } from '../device/clock.ts';

export interface JavaCallOptions {
  args: SampleValue[];
  result?: SampleValue;
  self?: SampleValue;
  overload?: string[];
  /** Caller frames, innermost first. */
  stack: string[];
  thread: string;
  /** Class loader of a bundled class ('app' or the SDK prefix; see bundled-classes.ts). */
  loader?: string;
}

export interface NativeCallOptions {
  args: SampleValue[];
  result?: SampleValue;
  stack: string[];
  thread: string;
}

export interface SimProcessRuntime {
  readonly pid: number;
  readonly processName: string;
  /** Returns what the app received (a hook may have replaced it), undefined when unknown. */
  callJava(className: string, method: string, options: JavaCallOptions): unknown;
  callNative(module: string | null, symbol: string, options: NativeCallOptions): void;
  /** An SDK's (or the app's) class loader loads a bundled class the platform lacks. */
  loadClass(cls: ApiClass, loader: string, stack: string[], thread: string): void;
  /** Application.onCreate of the app's Application class (before the model's on-start calls). */
  startApplication(applicationClass: string): void;
  /** Activity lifecycle as the framework runs it (Activity.onResume / onPause). */
  resume(activity: string): void;
  pause(activity: string): void;
  /** Pushes queued agent events out now (the agent batches on a timer). */
  flush(): void;
  /** The agent's rpc exports (synchronous in the simulator). */
  rpc(): AgentRpc;
  /** The process dies: no more messages. */
  kill(): void;
}

export interface RuntimeOptions {
  packageName: string;
  processName: string;
  pid: number;
  clock: SimClock;
  /** Every agent message (one Frida `send()` payload). */
  onMessage: (message: unknown) => void;
  /** Agent bundle to load; default dist/agent-sim.js. */
  agentPath?: string;
  apiLevel?: number;
}

export type RuntimeFactory = (options: RuntimeOptions) => Promise<SimProcessRuntime>;

export type RecordedCall =
  | ({ kind: 'java'; process: string; time: number; className: string; method: string } & JavaCallOptions)
  | ({
      kind: 'native';
      process: string;
      time: number;
      module: string | null;
      symbol: string;
    } & NativeCallOptions)
  | { kind: 'resume' | 'pause' | 'start'; process: string; time: number; activity: string }
  | { kind: 'load-class'; process: string; time: number; className: string; loader: string };

/** A runtime without an agent: it records what the app did (shared `log` across processes). */
export function recordingRuntime(log: RecordedCall[] = []): RuntimeFactory {
  return async (o) => {
    let alive = true;
    const push = (c: RecordedCall) => {
      if (alive) log.push(c);
    };
    return {
      pid: o.pid,
      processName: o.processName,
      callJava: (className, method, opts) =>
        push({ kind: 'java', process: o.processName, time: o.clock.now(), className, method, ...opts }),
      callNative: (module, symbol, opts) =>
        push({ kind: 'native', process: o.processName, time: o.clock.now(), module, symbol, ...opts }),
      loadClass: (cls, loader) =>
        push({
          kind: 'load-class',
          process: o.processName,
          time: o.clock.now(),
          className: cls.name,
          loader,
        }),
      startApplication: (activity) =>
        push({ kind: 'start', process: o.processName, time: o.clock.now(), activity }),
      resume: (activity) => push({ kind: 'resume', process: o.processName, time: o.clock.now(), activity }),
      pause: (activity) => push({ kind: 'pause', process: o.processName, time: o.clock.now(), activity }),
      flush: () => undefined,
      rpc: () => {
        throw new DeviceError(`${o.processName}: the recording runtime has no agent`);
      },
      kill: () => {
        alive = false;
      },
    };
  };
}
