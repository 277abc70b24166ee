// The simulated device process: runs the bundled agent (dist/agent-sim.js, unchanged) in a Node
// `vm` context with simulated Frida globals and a simulated Java VM generated from the Android
// API index. Tests and the sim device drive the app through `app` and read the agent's messages.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { AgentMessage, AgentRpc } from '../../../agent/protocol/messages.ts';
import { loadAndroidApi } from '../../android-api/load.ts';
import type { AndroidApi, ApiMethod } from '../../android-api/types.ts';
import { DeviceError, EnvironmentError, errorMessage } from '../../errors.ts';
import { createLog } from '../../log.ts';
import { createFridaGlobals, type SimRuntimeClock } from './frida-globals.ts';
import { createJavaBridge } from './java-bridge.ts';
import { JavaWorld } from './java-world.ts';
import { ManualClock } from './manual-clock.ts';
import { SimPointer } from './native-pointer.ts';
import { javaObject, toJava } from './sample-objects.ts';

/** Native frames of a call made from Java code through JNI (no Java frames in it, as on ART). */
const JNI_CALLER = ['libapp-native.so!0x1c40', 'libart.so!art_quick_generic_jni_trampoline+0x98'];
const BINDER_FD = 9;
/** _IOWR('b', 1, struct binder_write_read) on 64-bit. */
const BINDER_WRITE_READ = 0xc0306201;

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
}

export interface AppCallOptions {
  args?: SampleValue[];
  result?: SampleValue;
  /** The original throws this (a Java exception, as a JS Error). */
  throws?: Error;
  self?: SampleValue;
  overload?: string[];
  /** Caller frames, innermost first. */
  stack?: string[];
  thread?: string;
  /** SDK class loader that defined the class (see app.loadClass). */
  loader?: string;
}

export interface LoadClassOptions {
  loader: string;
  methods: ApiMethod[];
  superclass?: string;
  stack?: string[];
  thread?: string;
}

/** A dex class loader the app builds at run time (a plug-in or packer) and the classes it holds. */
export interface NewClassLoaderOptions {
  classes: { name: string; methods: ApiMethod[]; superclass?: string }[];
  stack?: string[];
  thread?: string;
}

export interface SimApp {
  call(className: string, method: string, options?: AppCallOptions): unknown;
  callNative(
    module: string | null,
    symbol: string,
    args: SampleValue[],
    options?: Omit<AppCallOptions, 'args' | 'self' | 'overload' | 'loader'>,
  ): unknown;
  /** An SDK class loader defines `className` and the app loads it through ClassLoader.loadClass. */
  loadClass(className: string, options: LoadClassOptions): void;
  /**
   * The app constructs a dex class loader `loaderName` (BaseDexClassLoader.<init> runs, as it does
   * for every DexClassLoader / PathClassLoader / InMemoryDexClassLoader); its classes exist from
   * then on without any ClassLoader.loadClass call, as ART resolves them natively.
   */
  newClassLoader(loaderName: string, options: NewClassLoaderOptions): void;
  resume(activity: string): void;
  pause(activity: string): void;
  start(applicationClass: string): void;
}

/** Build.VERSION.RELEASE for an API level (what Java.androidVersion reports). */
function androidRelease(apiLevel: number): string {
  const known: Record<number, string> = {
    21: '5.0',
    22: '5.1',
    23: '6.0',
    24: '7.0',
    25: '7.1',
    26: '8.0',
    27: '8.1',
    28: '9',
    29: '10',
    30: '11',
    31: '12',
    32: '12',
  };
  return known[apiLevel] ?? String(apiLevel - 20); // 33 → 13, 34 → 14 …
}

export class SimRuntime {
  readonly packageName: string;
  readonly processName: string;
  readonly pid: number;
  readonly clock: SimRuntimeClock;
  readonly world: JavaWorld;
  /** Every message received, in order. */
  readonly messages: AgentMessage[] = [];
  /** Serialised size in bytes of each message, parallel to `messages`. */
  readonly messageBytes: number[] = [];
  readonly console: string[] = [];
  readonly app: SimApp;
  private readonly frida;
  private readonly context: vm.Context;
  private readonly listeners = new Set<(m: AgentMessage) => void>();
  private readonly waiters: (() => void)[] = [];
  private alive = true;
  private loaded = false;
  private nativeState: { stack: string[]; thread: string } | null = null;

  constructor(options: SimRuntimeOptions) {
    this.packageName = options.packageName;
    this.processName = options.processName ?? options.packageName;
    this.pid = options.pid ?? 4242;
    this.clock = options.clock ?? new ManualClock();
    const apiLevel = options.apiLevel ?? DEFAULT_API_LEVEL;
    this.world = new JavaWorld({
      api: options.api ?? loadAndroidApi(),
      apiLevel,
      onAbort: (reason) => this.crash(reason),
      onBinder: () => this.binderTransaction(),
      onNative: (call, args) => this.frameworkNative(call.symbol, call.frame, args),
    });
    this.frida = createFridaGlobals({
      pid: this.pid,
      processName: this.processName,
      clock: this.clock,
      onSend: (json) => this.receive(json),
      onConsole: (level, text) => {
        this.console.push(`${level}: ${text}`);
        log.debug(`agent ${level}: ${text}`);
      },
      threadName: () => this.nativeState?.thread ?? this.world.currentThread(),
      isAlive: () => this.alive,
    });
    const clock = this.clock;
    this.context = vm.createContext({
      ...this.frida.globals,
      ...options.globals,
      __overreachSimJava: createJavaBridge(this.world, androidRelease(apiLevel)),
      __clockNow: () => clock.now(),
    });
    vm.runInContext('Date.now = function () { return __clockNow(); };', this.context);
    this.app = this.makeApp();
  }

  get isAlive(): boolean {
    return this.alive;
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
      if (!this.alive) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Calls an rpc export by its host-side name. */
  call(name: keyof AgentRpc, ...args: unknown[]): unknown {
    if (!this.alive) throw new DeviceError(`sim ${this.processName}: process is dead`);
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
    this.alive = false;
    this.frida.stopTimers();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** A Java crash: the app's uncaught exception kills the process. */
  crash(reason = 'java.lang.RuntimeException'): void {
    log.info(`sim ${this.processName}: crash (${reason})`);
    this.kill();
  }

  /** A framework call's Binder transaction: ioctl(binder fd, BINDER_WRITE_READ) from libbinder. */
  private binderTransaction(): void {
    if (!this.alive) return;
    this.frida.callNative(
      'libc.so',
      'ioctl',
      [SimPointer.of(BINDER_FD), SimPointer.of(BINDER_WRITE_READ), SimPointer.of(0)],
      SimPointer.of(0),
      {
        stack: ['libbinder.so!android::IPCThreadState::talkWithDriver(bool)+0x80', ...JNI_CALLER.slice(1)],
        thread: this.world.currentThread(),
        returnAddress: this.frida.addressIn('libbinder.so', 0x1_2a80),
      },
    );
  }

  /** Framework JNI code calling libc for a Java call, on the same thread. */
  private frameworkNative(symbol: string, frame: string, args: (string | number)[]): void {
    if (!this.alive) return;
    this.frida.callNative('libc.so', symbol, args.map(SimPointer.of), SimPointer.of(0), {
      stack: [frame, ...JNI_CALLER.slice(1)],
      thread: this.world.currentThread(),
      returnAddress: this.frida.addressIn('libandroid_runtime.so', 0x9_1c5c),
    });
  }

  private ensureAlive(): void {
    if (!this.alive) throw new DeviceError(`sim ${this.processName}: process is dead`);
  }

  private makeApp(): SimApp {
    const call = (className: string, method: string, o: AppCallOptions = {}) => {
      this.ensureAlive();
      return this.world.callJava(className, method, {
        args: (o.args ?? []).map(toJava),
        result: toJava(o.result),
        throws: o.throws,
        self: o.self === undefined ? undefined : toJava(o.self),
        overload: o.overload,
        stack: o.stack ?? [],
        thread: o.thread ?? 'main',
        loader: o.loader,
      });
    };
    const lifecycle = (method: 'onResume' | 'onPause', activity: string) => {
      const step = method === 'onResume' ? 'Resume' : 'Pause';
      return call('android.app.Activity', method, {
        self: { $class: activity },
        stack: [
          `android.app.Instrumentation.callActivityOn${step}(Instrumentation.java:1531)`,
          `android.app.Activity.perform${step}(Activity.java:8422)`,
          `android.app.ActivityThread.handle${step}Activity(ActivityThread.java:4815)`,
        ],
      });
    };
    return {
      call,
      callNative: (module, symbol, args, o = {}) => {
        this.ensureAlive();
        // `stack` may mix native frames ("lib.so!sym") and the calling thread's Java frames; a
        // native backtrace never shows Java frames, Java.backtrace() shows only those.
        const given = o.stack ?? [];
        const javaFrames = given.filter((f) => !f.includes('!'));
        const nativeFrames = given.filter((f) => f.includes('!'));
        const thread = o.thread ?? 'main';
        this.nativeState = { stack: nativeFrames.length > 0 ? nativeFrames : JNI_CALLER, thread };
        const state = this.nativeState;
        try {
          const ret = this.world.runNative(javaFrames, thread, () =>
            this.frida.callNative(
              module,
              symbol,
              args.map(SimPointer.of),
              SimPointer.of(o.result ?? 0),
              state,
            ),
          );
          return ret.readUtf8StringSafe() ?? ret.toInt32();
        } finally {
          this.nativeState = null;
        }
      },
      newClassLoader: (loaderName, o) => {
        this.ensureAlive();
        let loader: ReturnType<JavaWorld['defineClass']> | undefined;
        for (const c of o.classes) {
          loader = this.world.defineClass(loaderName, {
            name: c.name,
            superclass: c.superclass ?? 'java.lang.Object',
            interfaces: [],
            isInterface: false,
            isAbstract: false,
            methods: c.methods,
            constructors: [],
          });
        }
        this.world.callJava('dalvik.system.BaseDexClassLoader', '$init', {
          overload: ['java.lang.String', 'java.io.File', 'java.lang.String', 'java.lang.ClassLoader'],
          args: [`/data/user/0/${this.packageName}/files/${loaderName}.dex`, null, null, null],
          self: (loader ?? this.world.sdkLoader(loaderName)).wrapper,
          stack: o.stack ?? [],
          thread: o.thread ?? 'main',
        });
      },
      loadClass: (className, o) => {
        this.ensureAlive();
        const loader = this.world.defineClass(o.loader, {
          name: className,
          superclass: o.superclass ?? 'java.lang.Object',
          interfaces: [],
          isInterface: false,
          isAbstract: false,
          methods: o.methods,
          constructors: [],
        });
        this.world.callJava('java.lang.ClassLoader', 'loadClass', {
          overload: ['java.lang.String', 'boolean'],
          args: [className, false],
          result: javaObject('java.lang.Class', { getName: () => className }),
          self: loader.wrapper,
          stack: o.stack ?? [],
          thread: o.thread ?? 'main',
        });
      },
      resume: (activity) => void lifecycle('onResume', activity),
      pause: (activity) => void lifecycle('onPause', activity),
      start: (applicationClass) =>
        void call('android.app.Application', 'onCreate', {
          self: { $class: applicationClass },
          stack: ['android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)'],
        }),
    };
  }
}

/** Creates a simulated process (call loadAgent() to inject the agent). */
export function createSimRuntime(options: SimRuntimeOptions): SimRuntime {
  return new SimRuntime(options);
}
