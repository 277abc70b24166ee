// Runs inside QuickJS (bundled by quickjs-process.ts): builds the same simulated process as
// sim-runtime.ts (SimProcess: Java world, Frida globals, the simulated frida-java-bridge), so
// dist/agent-sim.js then runs in the engine Frida uses on a device by default.
// The host is reached only through `__host` (strings in, strings out), as a Frida script
// reaches native code: send(), Checksum and the console cross the boundary; nothing else does.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import { buildAndroidApi } from '../../android-api/api-index.ts';
import type { ApiClass } from '../../android-api/types.ts';
import { ManualClock } from './manual-clock.ts';
import { SimProcess } from './sim-process.ts';

/** What quickjs-process.ts passes in (JSON). */
export interface QuickJsSetup {
  pid: number;
  processName: string;
  apiLevel: number;
  clockStart: number;
  classes: ApiClass[];
  globals: Record<string, unknown>;
}

/** One app call, as SimApp.call takes it (JSON). */
export interface QuickJsCall {
  className: string;
  method: string;
  args?: SampleValue[];
  result?: SampleValue;
  self?: SampleValue;
  overload?: string[];
  stack?: string[];
  thread?: string;
  loader?: string;
}

declare const __host: {
  setup(): string;
  send(json: string): void;
  console(level: string, text: string): void;
  checksum(type: string, data: string, encoding: 'utf8' | 'hex'): string;
};

const g = globalThis as unknown as Record<string, unknown>;
const setup = JSON.parse(__host.setup()) as QuickJsSetup;
const clock = new ManualClock(setup.clockStart);
const proc = new SimProcess({
  packageName: setup.processName,
  processName: setup.processName,
  pid: setup.pid,
  clock,
  api: buildAndroidApi(setup.classes, []),
  apiLevel: setup.apiLevel,
  onSend: (json) => __host.send(json),
  onConsole: (level, text) => __host.console(level, text),
  onCrash: (reason) => {
    __host.console('error', `process crashed: ${reason}`);
    proc.kill();
  },
});
Object.assign(g, proc.globals(), setup.globals);
Date.now = () => clock.now();

const callJava = (c: QuickJsCall): unknown => proc.app.call(c.className, c.method, c);

/** The host's handle on the process: every argument and result is a JSON string. */
g.__sim = {
  call: (json: string): string => JSON.stringify(callJava(JSON.parse(json) as QuickJsCall) ?? null),
  /** `n` calls cycling through `calls`, advancing the clock every 1,000 as the batch timer would. */
  repeat: (json: string, n: number): void => {
    const calls = JSON.parse(json) as QuickJsCall[];
    for (let i = 0; i < n; i++) {
      callJava(calls[i % calls.length] as QuickJsCall);
      if (i % 1000 === 999) clock.advance(0);
    }
  },
  callNative: (symbol: string, json: string, thread: string): string =>
    JSON.stringify(proc.app.callNative(null, symbol, JSON.parse(json) as SampleValue[], { thread }) ?? null),
  advance: (ms: number): void => clock.advance(ms),
  alive: (): string => JSON.stringify(proc.isAlive),
  rpc: (name: string, json: string): string => {
    const fn = proc.frida.rpc.exports[name] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') throw new Error(`no rpc export ${name}`);
    return JSON.stringify(fn(...(JSON.parse(json) as unknown[])) ?? null);
  },
};
