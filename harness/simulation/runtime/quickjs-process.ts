// The simulated device process in QuickJS, the engine Frida runs agents in by default: the same
// simulated Java/Frida runtime as sim-runtime.ts (bundled from quickjs-entry.ts) and the same
// agent bundle (dist/agent-sim.js), evaluated by quickjs-emscripten instead of a Node `vm`.
// It proves the agent loads and reports under QuickJS and gives its per-event cost there.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getQuickJS, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import type { CatalogEntry } from '../../../agent/catalog/types.ts';
import type { AgentMessage } from '../../../agent/protocol/messages.ts';
import type { AndroidApi, ApiClass } from '../../android-api/types.ts';
import { DeviceError } from '../../errors.ts';
import type { QuickJsCall, QuickJsSetup } from './quickjs-entry.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Frida's default QuickJS heap has no fixed cap; 256 MiB keeps a runaway test bounded. */
const MEMORY_LIMIT = 256 * 1024 * 1024;

/** Classes the agent and the simulated runtime use besides the catalog's own. */
const RUNTIME_CLASSES = [
  'java.lang.Object',
  'java.lang.Thread',
  'java.lang.Exception',
  'java.lang.Class',
  'java.lang.ClassLoader',
  'dalvik.system.BaseDexClassLoader',
  'dalvik.system.PathClassLoader',
  'android.util.Log',
  'android.os.Build$VERSION',
  'android.app.Activity',
  'android.app.Application',
];

/** The API index cut to `names` and everything they inherit from. */
export function apiSubset(api: AndroidApi, names: Iterable<string>): ApiClass[] {
  const out = new Map<string, ApiClass>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (out.has(name)) continue;
    const cls = api.get(name);
    if (!cls) continue;
    out.set(name, cls);
    if (cls.superclass) queue.push(cls.superclass);
    queue.push(...cls.interfaces);
  }
  return [...out.values()];
}

/** Java classes a catalog hooks, plus the runtime's own. */
export function catalogClasses(catalog: readonly CatalogEntry[]): string[] {
  const names = new Set(RUNTIME_CLASSES);
  for (const e of catalog)
    if (e.kind === 'java') for (const n of [e.className, ...(e.selfAs ?? [])]) names.add(n);
  return [...names];
}

let entryBundle: Promise<string> | undefined;

/** The simulated runtime bundled for QuickJS (once per process). */
export function quickJsEntryBundle(): Promise<string> {
  entryBundle ??= (async () => {
    const esbuild = await import('esbuild');
    const shim = join(HERE, 'quickjs-crypto-shim.ts');
    const out = await esbuild.build({
      entryPoints: [join(HERE, 'quickjs-entry.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'warning',
      plugins: [
        {
          name: 'crypto-shim',
          setup(build) {
            build.onResolve({ filter: /^node:crypto$/ }, () => ({ path: shim }));
          },
        },
      ],
    });
    return out.outputFiles[0]?.text ?? '';
  })();
  return entryBundle;
}

export interface QuickJsProcessOptions {
  packageName: string;
  /** API classes the process knows (apiSubset of the index). */
  classes: ApiClass[];
  apiLevel?: number;
  pid?: number;
  /** Extra globals for the agent (the test agent reads its catalog from one). */
  globals?: Record<string, unknown>;
  /** false: messages are counted, not parsed or kept (agent benchmarks; see SimRuntimeOptions). */
  keepMessages?: boolean;
}

export class QuickJsProcess {
  readonly messages: AgentMessage[] = [];
  /** Messages sent by the agent, kept or not. */
  received = 0;
  readonly console: string[] = [];
  private sim: QuickJSHandle | undefined;

  private constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly vm: QuickJSContext,
  ) {}

  static async create(options: QuickJsProcessOptions): Promise<QuickJsProcess> {
    const quickjs = await getQuickJS();
    const runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT);
    const vm = runtime.newContext();
    const proc = new QuickJsProcess(runtime, vm);
    const setup: QuickJsSetup = {
      pid: options.pid ?? 4242,
      processName: options.packageName,
      apiLevel: options.apiLevel ?? 34,
      clockStart: Date.UTC(2026, 0, 1, 8, 0, 0),
      classes: options.classes,
      globals: options.globals ?? {},
    };
    const setupJson = JSON.stringify(setup);
    const host = vm.newObject();
    const fn = (name: string, impl: (...args: string[]) => string | undefined) => {
      const h = vm.newFunction(name, (...handles) => {
        const result = impl(...handles.map((x) => vm.getString(x)));
        return result === undefined ? vm.undefined : vm.newString(result);
      });
      vm.setProp(host, name, h);
      h.dispose();
    };
    fn('setup', () => setupJson);
    const keep = options.keepMessages ?? true;
    fn('send', (json) => {
      proc.received++;
      if (keep) proc.messages.push((JSON.parse(json) as { payload: AgentMessage }).payload);
      return undefined;
    });
    fn('console', (level, text) => {
      proc.console.push(`${level}: ${text}`);
      return undefined;
    });
    fn('checksum', (type, data, encoding) =>
      createHash(type as string)
        .update(data as string, encoding === 'hex' ? 'hex' : 'utf8')
        .digest('hex'),
    );
    vm.setProp(vm.global, '__host', host);
    host.dispose();
    proc.evaluate(await quickJsEntryBundle(), 'quickjs-entry.js');
    proc.sim = vm.getProp(vm.global, '__sim');
    return proc;
  }

  /** Evaluates a script (the agent bundle) in the process. */
  evaluate(code: string, filename: string): void {
    const result = this.vm.evalCode(code, filename);
    if (result.error) {
      const err = this.vm.dump(result.error) as { message?: string; stack?: string };
      result.error.dispose();
      throw new DeviceError(`quickjs ${filename}: ${err?.message ?? String(err)}`);
    }
    result.value.dispose();
  }

  loadAgent(path: string): void {
    this.evaluate(readFileSync(path, 'utf8'), path);
  }

  private invoke(name: string, ...args: (string | number)[]): string | undefined {
    const { vm } = this;
    if (!this.sim) throw new DeviceError('quickjs: process not set up');
    const fn = vm.getProp(this.sim, name);
    const handles = args.map((a) => (typeof a === 'number' ? vm.newNumber(a) : vm.newString(a)));
    const result = vm.callFunction(fn, vm.undefined, ...handles);
    fn.dispose();
    for (const h of handles) h.dispose();
    if (result.error) {
      const err = vm.dump(result.error) as { message?: string };
      result.error.dispose();
      throw new DeviceError(`quickjs __sim.${name}: ${err?.message ?? String(err)}`);
    }
    const value = vm.typeof(result.value) === 'string' ? vm.getString(result.value) : undefined;
    result.value.dispose();
    return value;
  }

  call(call: QuickJsCall): unknown {
    return JSON.parse(this.invoke('call', JSON.stringify(call)) ?? 'null');
  }

  /** `n` calls cycling through `calls`, all inside the engine (no host round trip per call). */
  repeat(calls: QuickJsCall[], n: number): void {
    this.invoke('repeat', JSON.stringify(calls), n);
  }

  callNative(symbol: string, args: (string | number | null)[], thread = 'main'): unknown {
    return JSON.parse(this.invoke('callNative', symbol, JSON.stringify(args), thread) ?? 'null');
  }

  advance(ms: number): void {
    this.invoke('advance', ms);
  }

  rpc(name: string, ...args: unknown[]): unknown {
    return JSON.parse(this.invoke('rpc', name, JSON.stringify(args)) ?? 'null');
  }

  ofType<T extends AgentMessage['type']>(type: T): Extract<AgentMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<AgentMessage, { type: T }> => m.type === type);
  }

  dispose(): void {
    this.sim?.dispose();
    this.vm.dispose();
    this.runtime.dispose();
  }
}
