// One simulated app process, independent of the JavaScript engine the agent runs in: the Java
// world, the Frida globals and the app's side (its Java and native calls, class loaders, activity
// lifecycle). sim-runtime.ts runs it with the agent in a Node `vm` (V8); quickjs-entry.ts builds
// the same process inside QuickJS. Nothing here imports Node.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { AndroidApi, ApiMethod } from '../../android-api/types.ts';
import { DeviceError } from '../../errors.ts';
import { createFridaGlobals, type FridaSim, type SimRuntimeClock } from './frida-globals.ts';
import { createJavaBridge } from './java-bridge.ts';
import { JavaWorld } from './java-world.ts';
import { SimPointer } from './native-pointer.ts';
import { javaObject, toJava } from './sample-objects.ts';

/** Native frames of a call made from Java code through JNI (no Java frames in it, as on ART). */
const JNI_CALLER = ['libapp-native.so!0x1c40', 'libart.so!art_quick_generic_jni_trampoline+0x98'];
const BINDER_FD = 9;
/** _IOWR('b', 1, struct binder_write_read) on 64-bit. */
const BINDER_WRITE_READ = 0xc0306201;

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
export function androidRelease(apiLevel: number): string {
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

export interface SimProcessOptions {
  packageName: string;
  processName: string;
  pid: number;
  clock: SimRuntimeClock;
  api: AndroidApi;
  apiLevel: number;
  /** One serialised `send()` payload. */
  onSend(json: string): void;
  onConsole(level: string, text: string): void;
  /** The process died of a Java crash (an aborted call, a stale reference). */
  onCrash(reason: string): void;
}

export class SimProcess {
  readonly packageName: string;
  readonly world: JavaWorld;
  readonly frida: FridaSim;
  readonly app: SimApp;
  private alive = true;
  private nativeState: { stack: string[]; thread: string } | null = null;

  constructor(options: SimProcessOptions) {
    this.packageName = options.packageName;
    this.world = new JavaWorld({
      api: options.api,
      apiLevel: options.apiLevel,
      onAbort: (reason) => options.onCrash(reason),
      onScriptError: (message) => options.onConsole('error', message),
      onBinder: () => this.binderTransaction(),
      onNative: (call, args) => this.frameworkNative(call.symbol, call.frame, args),
    });
    this.frida = createFridaGlobals({
      pid: options.pid,
      processName: options.processName,
      clock: options.clock,
      onSend: options.onSend,
      onConsole: options.onConsole,
      threadName: () => this.nativeState?.thread ?? this.world.currentThread(),
      isAlive: () => this.alive,
    });
    this.app = this.makeApp();
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** The agent's global scope: Frida's globals and the simulated frida-java-bridge. */
  globals(): Record<string, unknown> {
    return {
      ...this.frida.globals,
      __overreachSimJava: createJavaBridge(this.world, androidRelease(this.world.apiLevel)),
    };
  }

  /** The process dies at once: timers stop, nothing more runs. */
  kill(): void {
    this.alive = false;
    this.frida.stopTimers();
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
    if (!this.alive) throw new DeviceError(`sim ${this.packageName}: process is dead`);
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
