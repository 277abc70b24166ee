// The simulated Java VM behind the simulated frida-java-bridge: classes come from the Android API
// index (at one API level), SDK classes from simulated class loaders. A class, method or overload
// the index lacks is missing here exactly as on a device, and replacements follow Frida's rules:
// a call from the app runs the replacement; the replacement's own call of the method runs the
// original (whose value is the sample result the app's call was given). As on ART, the original
// does the framework's own work (framework-behaviour.ts: overload chains, Binder, JNI), abstract
// methods dispatch to the receiver's class (abstract-methods.ts), and a replacement's `this` and
// arguments expire when it returns (local-refs.ts).
import { typeMatches } from '../../android-api/api-index.ts';
import type { AndroidApi, ApiClass, ApiMethod } from '../../android-api/types.ts';
import { classObject, isAbstractMethod } from './abstract-methods.ts';
import { type Backtrace, CallStack } from './call-stack.ts';
import { dispatcher } from './dispatcher.ts';
import { frameworkOriginal } from './framework-behaviour.ts';
import type { NativeSideCall } from './framework-chains.ts';
import { builtinMethods, throughMethods } from './java-builtins.ts';
import { defaultValue, fridaType, signature } from './java-types.ts';
import { LocalFrame, unwrap } from './local-refs.ts';
import { returnRejection, wrapOriginal } from './return-types.ts';
import { javaObject, javaString, type SimJavaObject } from './sample-objects.ts';
import { typedAs } from './wrapper-type.ts';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

export interface SimLoader {
  id: number;
  name: string;
  classes: Map<string, ApiClass>;
  wrapper: SimJavaObject;
}

export interface SimMethod {
  key: string;
  declaring: string;
  api: ApiMethod;
  /** Abstract (abstract-methods.ts): ART never runs it, so its replacement never fires. */
  isAbstract: boolean;
  replacement: Fn | null;
  inReplacement: number;
  js: Fn;
}

export interface JavaCall {
  overload?: string[];
  args: unknown[];
  result?: unknown;
  /** Thrown by the original method instead of returning `result`. */
  throws?: unknown;
  self?: unknown;
  stack: string[];
  thread: string;
  /** Name of the SDK class loader that defined the class (default: the app's). */
  loader?: string;
}

export interface WorldOptions {
  api: AndroidApi;
  apiLevel: number;
  /** A JNI error aborts the process (a stale local reference); default: just throw. */
  onAbort?: (reason: string) => void;
  /** A framework call reached its system service: one Binder transaction (libc ioctl). */
  onBinder?: () => void;
  /** The framework's native code calls libc for a Java call (framework-chains.ts). */
  onNative?: (call: NativeSideCall, args: (string | number)[]) => void;
  /** An uncaught error of the agent script (frida-java-bridge rethrows it on the next tick). */
  onScriptError?: (message: string) => void;
}

export class JavaWorld {
  readonly appLoader: SimLoader;
  readonly sdkLoaders: SimLoader[] = [];
  readonly stack = new CallStack();
  private readonly methods = new Map<string, SimMethod>();
  private readonly lookups = new Map<string, SimMethod[]>();
  private readonly wrappers = new Map<string, object>();
  private readonly builtins = new Map<string, (self: unknown, args: unknown[]) => unknown>();
  private readonly staticFields = new Map<string, Record<string, unknown>>();
  /** Originals that call through to other methods (Method.invoke → its target). */
  private readonly through = new Map<string, (self: unknown, args: unknown[], planned: unknown) => unknown>();

  constructor(readonly options: WorldOptions) {
    this.appLoader = this.newLoader('app', 'dalvik.system.PathClassLoader');
    for (const [key, fn] of builtinMethods(this)) this.builtins.set(key, fn);
    this.staticFields.set('android.os.Build$VERSION', { SDK_INT: options.apiLevel });
    for (const [key, fn] of throughMethods(this)) this.through.set(key, fn);
  }

  get apiLevel(): number {
    return this.options.apiLevel;
  }

  currentThread(): string {
    return this.stack.currentThread();
  }

  /** Runs a native call made with `stack` (its thread's Java frames) on `thread`. */
  runNative<T>(stack: string[], thread: string, fn: () => T): T {
    return this.stack.runNative(stack, thread, fn);
  }

  /** Java.backtrace(): the running method's frame, then the app's stack (innermost first). */
  backtrace(options: { limit?: number } = {}): Backtrace {
    return this.stack.backtrace(options);
  }

  private newLoader(name: string, className: string): SimLoader {
    const id = this.sdkLoaders.length + 1;
    const wrapper = javaObject(className, { toString: () => `${className}[${name}]` });
    return { id, name, classes: new Map(), wrapper };
  }

  sdkLoader(name: string): SimLoader {
    let loader = this.sdkLoaders.find((l) => l.name === name);
    if (!loader) {
      loader = this.newLoader(name, 'dalvik.system.DexClassLoader');
      loader.id = 100 + this.sdkLoaders.length;
      this.sdkLoaders.push(loader);
    }
    return loader;
  }

  loaderOf(wrapper: unknown): SimLoader {
    const target = unwrap(wrapper);
    return this.sdkLoaders.find((l) => l.wrapper === target) ?? this.appLoader;
  }

  /** Defines a class on an SDK class loader (the app then loads it with app.loadClass). */
  defineClass(loaderName: string, cls: ApiClass): SimLoader {
    const loader = loaderName === 'app' ? this.appLoader : this.sdkLoader(loaderName);
    loader.classes.set(cls.name, cls);
    return loader;
  }

  private present(x: { since?: number; removedIn?: number }): boolean {
    const level = this.options.apiLevel;
    return (
      !(x.since !== undefined && x.since > level) && !(x.removedIn !== undefined && level >= x.removedIn)
    );
  }

  resolveClass(loader: SimLoader, name: string): { cls: ApiClass; owner: string } | undefined {
    for (const l of loader === this.appLoader ? [loader] : [loader, this.appLoader]) {
      const own = l.classes.get(name);
      if (own) return { cls: own, owner: `L${l.id}` };
    }
    const cls = this.options.api.get(name);
    return cls && this.present(cls) ? { cls, owner: 'fw' } : undefined;
  }

  /** Declared and inherited overloads of `name`, nearest first (constructors for '$init'). */
  methodsOf(loader: SimLoader, className: string, name: string): SimMethod[] {
    const cacheKey = `${loader.id}|${className}|${name}`;
    const cached = this.lookups.get(cacheKey);
    if (cached) return cached;
    const out: SimMethod[] = [];
    const seenSig = new Set<string>();
    const seenClass = new Set<string>();
    const queue = [className];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      if (seenClass.has(current)) continue;
      seenClass.add(current);
      const found = this.resolveClass(loader, current);
      if (!found) continue;
      const { cls, owner } = found;
      const list = name === '$init' ? (current === className ? cls.constructors : []) : cls.methods;
      for (const m of list) {
        if ((name !== '$init' && m.name !== name) || !this.present(m)) continue;
        const sig = m.params.join(',');
        if (seenSig.has(sig)) continue;
        seenSig.add(sig);
        out.push(
          this.method(
            owner,
            cls.name,
            name === '$init' ? { ...m, name: '$init' } : m,
            isAbstractMethod(cls, m),
          ),
        );
      }
      if (name === '$init') break;
      if (cls.superclass) queue.push(cls.superclass);
      queue.push(...cls.interfaces);
    }
    this.lookups.set(cacheKey, out);
    return out;
  }

  private method(owner: string, declaring: string, api: ApiMethod, isAbstract = false): SimMethod {
    const key = `${owner}:${declaring}.${api.name}(${api.params.join(',')})`;
    const existing = this.methods.get(key);
    if (existing) return existing;
    const world = this;
    const m: SimMethod = {
      key,
      declaring,
      api,
      isAbstract,
      replacement: null,
      inReplacement: 0,
      js: function (this: unknown, ...args: unknown[]) {
        return m.replacement && m.inReplacement === 0
          ? world.runReplacement(m, this, args)
          : world.original(m, this, args);
      },
    };
    Object.defineProperties(m.js, {
      methodName: { value: api.name },
      type: { value: api.name === '$init' ? 1 : api.isStatic ? 2 : 3 },
      argumentTypes: { value: api.params.map(fridaType) },
      returnType: { value: fridaType(api.returns) },
      handle: { value: { toString: () => key } },
      implementation: {
        get: () => m.replacement,
        set: (fn: Fn | null) => {
          if (fn !== null && typeof fn !== 'function') throw new Error('implementation must be a function');
          m.replacement = fn;
        },
      },
      canInvokeWith: { value: (...args: unknown[]) => args.length === api.params.length },
    });
    this.methods.set(key, m);
    return m;
  }

  /** Runs a replacement with local references valid only during the call (local-refs.ts). */
  runReplacement(m: SimMethod, self: unknown, args: unknown[]): unknown {
    const frame = new LocalFrame((reason) => this.abort(reason));
    const localSelf = m.api.isStatic ? self : frame.ref(typedAs(self, m.declaring), 'self');
    const localArgs = args.map((a) => frame.ref(a, 'arg'));
    m.inReplacement++;
    try {
      const value = (m.replacement as Fn).apply(localSelf, localArgs);
      // frida-java-bridge checks the value against the declared return type (class-factory.js
      // handleMethodInvocation: retType.isCompatible, else an Error rethrown on the next tick and
      // the type's default, null, returned to the app).
      const rejected = returnRejection(this, m, value);
      if (rejected === undefined) return value;
      this.options.onScriptError?.(
        `Error: Implementation for ${m.api.name} expected return value compatible with ${rejected}`,
      );
      return null;
    } finally {
      m.inReplacement--;
      frame.expire();
    }
  }

  /** The runtime aborts (ART's JNI checks): the process dies, the calling JS unwinds. */
  abort(reason: string): never {
    this.options.onAbort?.(reason);
    throw new Error(reason);
  }

  private original(m: SimMethod, self: unknown, args: unknown[]): unknown {
    const frame = this.stack.frames[this.stack.frames.length - 1];
    if (frame && frame.method === m && !frame.consumed) {
      frame.consumed = true;
      const next = frameworkOriginal(this, m, frame, self, args);
      if (next.delegated) return next.value;
      if (frame.throws !== undefined) throw frame.throws;
      const through = this.through.get(`${m.declaring}.${m.api.name}`);
      const planned = wrapOriginal(m, frame.result);
      return through ? through(self, args, planned) : planned;
    }
    const builtin = this.builtins.get(`${m.declaring}.${m.api.name}`);
    return builtin ? builtin(self, args) : defaultValue(m.api.returns);
  }

  /**
   * What ART runs for a call of `m` on `self`: an abstract method dispatches to the receiver's
   * concrete class (null when that class is unknown here: then no hook of ours can fire).
   */
  private dispatchTarget(loader: SimLoader, m: SimMethod, self: unknown): SimMethod | null {
    if (!m.isAbstract) return m;
    const concrete = (self as { $className?: unknown } | null)?.$className;
    if (typeof concrete !== 'string' || !this.resolveClass(loader, concrete)) return null;
    const sig = m.api.params.join(',');
    return (
      this.methodsOf(loader, concrete, m.api.name).find(
        (x) => !x.isAbstract && x.api.params.join(',') === sig,
      ) ?? null
    );
  }

  /** Java.use / ClassFactory.use: a class wrapper, or ClassNotFoundException as on a device. */
  use(loader: SimLoader, className: string): object {
    const found = this.resolveClass(loader, className);
    if (!found) {
      throw new Error(
        `java.lang.ClassNotFoundException: Didn't find class "${className}" on path: DexPathList[${loader.name}]`,
      );
    }
    const cacheKey = `${loader.id}|${className}`;
    const hit = this.wrappers.get(cacheKey);
    if (hit) return hit;
    const world = this;
    const classObj = classObject(found.cls, className, (m) => this.present(m));
    const fields = this.staticFields.get(className) ?? {};
    const dispatchers = new Map<string, Fn | undefined>();
    const base: Record<string, unknown> = {
      $className: className,
      class: classObj,
      $new: (...args: unknown[]) => {
        const ctor = world
          .methodsOf(loader, className, '$init')
          .find((m) => m.api.params.length === args.length);
        // A java.lang.String built with $new is a wrapper (class-factory.js makeConstructor: its
        // return type is not unboxed), not a JS string: toString() gives its text.
        const obj =
          className === 'java.lang.String' && typeof args[0] === 'string'
            ? javaString(args[0])
            : javaObject(className);
        if (ctor?.replacement) world.runReplacement(ctor, obj, args);
        return obj;
      },
      $alloc: () => javaObject(className),
      $dispose: () => undefined,
      $ownMembers: found.cls.methods.map((m) => m.name),
      toString: () => `<class: ${className}>`,
    };
    const wrapper: object = new Proxy(base, {
      get(target, prop) {
        if (typeof prop !== 'string' || prop in target) return Reflect.get(target, prop);
        if (prop in fields) return { value: fields[prop], holder: wrapper };
        if (!dispatchers.has(prop)) {
          const methods = world.methodsOf(loader, className, prop);
          dispatchers.set(prop, methods.length > 0 ? dispatcher(prop, methods, wrapper) : undefined);
        }
        return dispatchers.get(prop);
      },
    });
    this.wrappers.set(cacheKey, wrapper);
    return wrapper;
  }

  /** The app calls `className.method`; returns what the app sees (hooks may run on the way). */
  callJava(className: string, method: string, call: JavaCall): unknown {
    const loader = call.loader ? this.sdkLoader(call.loader) : this.appLoader;
    if (!this.resolveClass(loader, className)) {
      throw new Error(`sim: class ${className} does not exist at API ${this.apiLevel}`);
    }
    const candidates = this.methodsOf(loader, className, method);
    const types = call.overload;
    const m = types
      ? candidates.find(
          (x) =>
            x.api.params.length === types.length &&
            types.every((t, i) => typeMatches(t, x.api.params[i] ?? '')),
        )
      : candidates[0];
    if (!m) {
      const want = types ? `(${types.join(', ')})` : '';
      throw new Error(
        `sim: ${className}.${method}${want} does not exist at API ${this.apiLevel}; have ${candidates.map((c) => signature(c.api)).join(' ')}`,
      );
    }
    const self = m.api.isStatic ? this.use(loader, className) : (call.self ?? javaObject(className));
    // Virtual dispatch: the app's call of an abstract method runs the receiver's implementation.
    const target = this.dispatchTarget(loader, m, self);
    this.stack.frames.push({
      method: target ?? m,
      result: call.result,
      throws: call.throws,
      consumed: false,
      stack: call.stack,
      stackKey: call.stack.join('\n'),
      thread: call.thread,
    });
    try {
      if (!target) return this.original(m, self, call.args);
      return target.replacement
        ? this.runReplacement(target, self, call.args)
        : this.original(target, self, call.args);
    } finally {
      this.stack.frames.pop();
    }
  }
}
