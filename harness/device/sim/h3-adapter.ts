// Adapts the simulated Frida/Java runtime in harness/sim (which runs the real agent bundle) to
// the SimProcessRuntime seam the simulated app drives. Loaded lazily so the device, the UI and
// model tests work without it; a clear EnvironmentError says what is missing otherwise.
import { EnvironmentError, errorMessage } from '../../errors.ts';
import type { RuntimeFactory, RuntimeOptions, SimProcessRuntime } from './runtime.ts';

const SIM_MODULE = '../../sim/index.ts';

type Fn = (...args: unknown[]) => unknown;

function fn(obj: unknown, name: string): Fn | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const v = (obj as Record<string, unknown>)[name];
  return typeof v === 'function' ? (v.bind(obj) as Fn) : undefined;
}

function need(obj: unknown, name: string, what: string): Fn {
  const f = fn(obj, name);
  if (!f)
    throw new EnvironmentError(
      `harness/sim: ${what} has no ${name}() (adapter in harness/device/sim/h3-adapter.ts is out of date)`,
    );
  return f;
}

async function loadSimModule(): Promise<unknown> {
  try {
    const spec: string = SIM_MODULE;
    return (await import(spec)) as unknown;
  } catch (err) {
    throw new EnvironmentError(`simulated runtime harness/sim is not available: ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/** Default factory: one harness/sim runtime per process, running the agent bundle. */
export const defaultRuntimeFactory: RuntimeFactory = async (
  o: RuntimeOptions,
): Promise<SimProcessRuntime> => {
  const mod = await loadSimModule();
  const create = need(mod, 'createSimRuntime', 'module');
  const rt = (await create({
    packageName: o.packageName,
    processName: o.processName,
    pid: o.pid,
    clock: o.clock,
    onMessage: o.onMessage,
    ...(o.agentPath ? { agentPath: o.agentPath } : {}),
  })) as unknown;
  fn(rt, 'onMessage')?.(o.onMessage);
  const app = (rt as { app?: unknown }).app ?? rt;
  const call = need(app, 'call', 'runtime app');
  const callNative = need(app, 'callNative', 'runtime app');
  return {
    pid: o.pid,
    processName: o.processName,
    callJava: (className, method, opts) => {
      call(className, method, opts);
    },
    callNative: (module, symbol, opts) => {
      callNative(module, symbol, opts.args, { stack: opts.stack, thread: opts.thread, result: opts.result });
    },
    resume: (activity) => {
      fn(app, 'resume')?.(activity);
    },
    pause: (activity) => {
      fn(app, 'pause')?.(activity);
    },
    flush: () => {
      (fn(rt, 'flush') ?? fn(app, 'flush'))?.();
    },
    kill: () => {
      (fn(rt, 'kill') ?? fn(app, 'kill'))?.();
    },
  };
};
