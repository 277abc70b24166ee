// The Frida globals the agent uses, simulated for a Node `vm` context: send/recv/rpc, timers on
// the runtime's clock, Process/Module (libc exports), Interceptor.attach with NativePointer-like
// arguments, Thread.backtrace + DebugSymbol, Checksum, File, Script, console.
import { createHash } from 'node:crypto';
import { SimPointer, SimReturnValue } from './native-pointer.ts';

export interface SimRuntimeClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** Exports of the simulated libraries (bionic names the native catalog and apps use). */
export const SIM_MODULES: Record<string, readonly string[]> = {
  'libc.so': [
    'open',
    'openat',
    '__open_2',
    '__openat_2',
    'fopen',
    'fopen64',
    'read',
    'write',
    'close',
    'stat',
    'fstat',
    'access',
    'ioctl',
    'socket',
    'connect',
    'getifaddrs',
    'freeifaddrs',
    'getpid',
    'gettid',
    'malloc',
    'free',
    'memcpy',
    'strlen',
    'strcmp',
    'dlopen',
    'dlsym',
    'opendir',
    'readdir',
    '__system_property_get',
    '__system_property_find',
    '__system_property_read',
    '__system_property_read_callback',
    '__system_property_foreach',
    'popen',
    'system',
    'execve',
    'send',
    'sendto',
    'getaddrinfo',
  ],
  'libssl.so': ['SSL_write', 'SSL_set_tlsext_host_name'],
  'libart.so': ['JNI_GetCreatedJavaVMs', 'art_quick_to_interpreter_bridge'],
  // Every Binder transaction ends in libc ioctl(BINDER_WRITE_READ) from here.
  'libbinder.so': ['_ZN7android14IPCThreadState14talkWithDriverEb'],
  // The framework's JNI code (SystemProperties.get → __system_property_read_callback).
  'libandroid_runtime.so': ['JNI_OnLoad'],
  'libdl.so': ['dlopen', 'dlsym', 'android_dlopen_ext'],
  'liblog.so': ['__android_log_print', '__android_log_write'],
};

interface Listener {
  onEnter?: (this: Record<string, unknown>, args: SimPointer[]) => void;
  onLeave?: (this: Record<string, unknown>, retval: SimReturnValue) => void;
}

export interface NativeCallState {
  /** Native backtrace (what Thread.backtrace + DebugSymbol show), innermost first. */
  stack: string[];
  thread: string;
  /** Where the call returns to (default: the first backtrace frame). */
  returnAddress?: SimPointer;
}

/**
 * libc exports that call other hooked libc exports, as bionic does: fopen() opens its file with
 * open() (stdio.cpp), so a hook on open sees every fopen again, returning into libc.
 */
const LIBC_INTERNAL: Readonly<Record<string, { symbol: string; args: (a: SimPointer[]) => SimPointer[] }>> = {
  fopen: { symbol: 'open', args: (a) => [a[0] ?? SimPointer.of(0), SimPointer.of(0)] },
  fopen64: { symbol: 'open', args: (a) => [a[0] ?? SimPointer.of(0), SimPointer.of(0)] },
};

/** JS callbacks run per hooked symbol: the agent's cost on every call of it. */
export interface CallbackCounts {
  enter: number;
  leave: number;
}

export interface FridaHost {
  pid: number;
  processName: string;
  clock: SimRuntimeClock;
  /** One serialised `send()` payload. */
  onSend(json: string): void;
  onConsole(level: string, text: string): void;
  threadName(): string;
  isAlive(): boolean;
}

export interface FridaSim {
  globals: Record<string, unknown>;
  rpc: { exports: Record<string, unknown> };
  /** Calls an exported native function: listeners run around the given result. */
  callNative(
    module: string | null,
    symbol: string,
    args: SimPointer[],
    result: SimPointer,
    state: NativeCallState,
  ): SimPointer;
  deliver(message: unknown): void;
  /** onEnter / onLeave callbacks run, per symbol. */
  readonly callbacks: Map<string, CallbackCounts>;
  /** Address inside a loaded module (return addresses of library-internal calls). */
  addressIn(module: string, offset: number): SimPointer;
  /** Cancels every timer (the process died). */
  stopTimers(): void;
}

export function createFridaGlobals(host: FridaHost): FridaSim {
  const modules = Object.entries(SIM_MODULES).map(([name, exports], index) => {
    const start = 0x7a00_0000 + (index + 1) * 0x10_0000;
    const addrs = new Map(exports.map((e, i) => [e, new SimPointer(null, start + 0x100 + i * 0x10)]));
    return {
      name,
      base: new SimPointer(null, start),
      size: 0x10_0000,
      path: `/system/lib64/${name}`,
      findExportByName: (s: string) => addrs.get(s) ?? null,
      getExportByName: (s: string) => {
        const a = addrs.get(s);
        if (!a) throw new Error(`unable to find export '${s}' in ${name}`);
        return a;
      },
      enumerateExports: () => exports.map((e) => ({ type: 'function', name: e, address: addrs.get(e) })),
    };
  });
  const findGlobal = (s: string) => {
    for (const m of modules) {
      const a = m.findExportByName(s);
      if (a) return a;
    }
    return null;
  };
  const listeners = new Map<number, Listener[]>();
  const threadIds = new Map<string, number>([['main', host.pid]]);
  const tid = () => {
    const name = host.threadName();
    let id = threadIds.get(name);
    if (id === undefined) {
      id = host.pid + threadIds.size;
      threadIds.set(name, id);
    }
    return id;
  };
  const frameAddresses = new Map<string, SimPointer>();
  const symbols = new Map<number, string>();
  const addressOf = (frame: string) => {
    let p = frameAddresses.get(frame);
    if (!p) {
      p = new SimPointer(null, 0x7b00_0000 + frameAddresses.size * 0x40);
      frameAddresses.set(frame, p);
      symbols.set(p.address, frame);
    }
    return p;
  };
  const timers = new Set<number>();
  const setTimeoutSim = (fn: (...a: unknown[]) => void, ms = 0, ...args: unknown[]) => {
    const id: number = host.clock.setTimeout(() => {
      timers.delete(id);
      if (host.isAlive()) fn(...args);
    }, ms);
    timers.add(id);
    return id;
  };
  const clearTimeoutSim = (id: number) => {
    timers.delete(id);
    host.clock.clearTimeout(id);
  };
  const intervals = new Map<number, number>();
  let nextInterval = 1;
  const recvHandlers: { type: string | null; fn: (m: unknown) => void }[] = [];
  const rpc = { exports: {} as Record<string, unknown> };
  const log =
    (level: string) =>
    (...a: unknown[]) =>
      host.onConsole(level, a.map(String).join(' '));

  const globals: Record<string, unknown> = {
    send: (message: unknown) => {
      if (host.isAlive()) host.onSend(JSON.stringify({ type: 'send', payload: message }));
    },
    recv: (typeOrFn: string | ((m: unknown) => void), maybeFn?: (m: unknown) => void) => {
      const fn = typeof typeOrFn === 'function' ? typeOrFn : maybeFn;
      if (fn) recvHandlers.push({ type: typeof typeOrFn === 'string' ? typeOrFn : null, fn });
      return { wait: () => undefined };
    },
    rpc,
    setTimeout: setTimeoutSim,
    clearTimeout: clearTimeoutSim,
    setImmediate: (fn: () => void) => setTimeoutSim(fn, 0),
    setInterval: (fn: () => void, ms: number) => {
      const handle = nextInterval++;
      const arm = (): void => {
        intervals.set(
          handle,
          setTimeoutSim(() => {
            arm();
            fn();
          }, ms),
        );
      };
      arm();
      return handle;
    },
    clearInterval: (handle: number) => {
      const id = intervals.get(handle);
      if (id !== undefined) clearTimeoutSim(id);
      intervals.delete(handle);
    },
    console: {
      log: log('log'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      debug: log('debug'),
    },
    Script: {
      runtime: 'QJS',
      pin: () => undefined,
      unpin: () => undefined,
      setGlobalAccessHandler: () => undefined,
    },
    Process: {
      id: host.pid,
      arch: 'arm64',
      platform: 'linux',
      pointerSize: 8,
      pageSize: 4096,
      getCurrentThreadId: tid,
      findModuleByName: (n: string) => modules.find((m) => m.name === n) ?? null,
      findModuleByAddress: (p: SimPointer) =>
        modules.find((m) => p.address >= m.base.address && p.address < m.base.address + m.size) ?? null,
      getModuleByName: (n: string) => {
        const m = modules.find((x) => x.name === n);
        if (!m) throw new Error(`unable to find module '${n}'`);
        return m;
      },
      enumerateModules: () => [{ name: 'app_process64', path: '/system/bin/app_process64' }, ...modules],
    },
    Module: {
      findGlobalExportByName: findGlobal,
      getGlobalExportByName: (s: string) =>
        findGlobal(s) ??
        (() => {
          throw new Error(`unable to find global export '${s}'`);
        })(),
    },
    Interceptor: {
      attach: (target: SimPointer, callbacks: Listener) => {
        if (!(target instanceof SimPointer)) throw new Error('expected a pointer');
        const list = listeners.get(target.address) ?? [];
        list.push(callbacks);
        listeners.set(target.address, list);
        return { detach: () => list.splice(list.indexOf(callbacks), 1) };
      },
      detachAll: () => listeners.clear(),
    },
    Backtracer: { ACCURATE: 'accurate', FUZZY: 'fuzzy' },
    Thread: {
      backtrace: (context?: { __stack?: string[] }) => (context?.__stack ?? []).map(addressOf),
    },
    DebugSymbol: {
      fromAddress: (p: SimPointer) => {
        const text = symbols.get(p.address) ?? p.toString();
        return { address: p, name: text, moduleName: text.split('!')[0] ?? null, toString: () => text };
      },
    },
    Checksum: { compute: checksum },
    File: {
      readAllText: (path: string) => {
        if (path === '/proc/self/cmdline') return `${host.processName}\0`;
        throw new Error(`${path}: No such file or directory`);
      },
    },
    NULL: new SimPointer(null, 0),
    ptr: (v: number | string) => new SimPointer(null, Number(v)),
  };

  const callbacks = new Map<string, CallbackCounts>();
  const counts = (symbol: string) => {
    let c = callbacks.get(symbol);
    if (!c) {
      c = { enter: 0, leave: 0 };
      callbacks.set(symbol, c);
    }
    return c;
  };
  const addressIn = (name: string, offset: number) => {
    const m = modules.find((x) => x.name === name);
    if (!m) throw new Error(`sim: module ${name} is not loaded`);
    return new SimPointer(null, m.base.address + offset);
  };
  const sim: FridaSim = {
    globals,
    rpc,
    callbacks,
    addressIn,
    callNative(module, symbol, args, result, state) {
      const m = module === null ? null : modules.find((x) => x.name === module);
      if (module !== null && !m) throw new Error(`sim: module ${module} is not loaded`);
      const address = m ? m.findExportByName(symbol) : findGlobal(symbol);
      if (!address) throw new Error(`sim: ${module ?? '*'} has no export ${symbol}`);
      const retval = new SimReturnValue(result.readUtf8StringSafe(), result.toInt32(), result.address);
      const active = [...(listeners.get(address.address) ?? [])];
      const contexts = active.map(() => ({
        context: { pc: address, sp: new SimPointer(null, 0x7ff0_0000), __stack: state.stack },
        threadId: tid(),
        depth: 0,
        returnAddress:
          state.returnAddress ?? (state.stack[0] ? addressOf(state.stack[0]) : new SimPointer(null, 0)),
      }));
      const count = counts(symbol);
      for (const [i, l] of active.entries()) {
        if (!l.onEnter) continue;
        count.enter++;
        l.onEnter.call(contexts[i] as Record<string, unknown>, args);
      }
      const inner = (module === null || module === 'libc.so') && LIBC_INTERNAL[symbol];
      if (inner) {
        sim.callNative('libc.so', inner.symbol, inner.args(args), SimPointer.of(3), {
          ...state,
          returnAddress: addressIn('libc.so', 0x4_2a10),
        });
      }
      for (let i = active.length - 1; i >= 0; i--) {
        const l = active[i];
        if (!l?.onLeave) continue;
        count.leave++;
        l.onLeave.call(contexts[i] as Record<string, unknown>, retval);
      }
      return retval.replaced ?? retval;
    },
    deliver(message) {
      const i = recvHandlers.findIndex(
        (h) => h.type === null || h.type === (message as { type?: unknown })?.type,
      );
      if (i < 0) return;
      const [h] = recvHandlers.splice(i, 1);
      h?.fn(message);
    },
    stopTimers() {
      for (const id of timers) host.clock.clearTimeout(id);
      timers.clear();
    },
  };
  return sim;
}

const CHECKSUM_TYPES = new Set(['md5', 'sha1', 'sha256', 'sha384', 'sha512']);

/**
 * Frida's Checksum.compute as gumjs implements it (gumquickchecksum.c / gumv8checksum.cc): a
 * string is hashed as a C string (UTF-8 up to its first NUL: g_compute_checksum_for_string with
 * length -1), an ArrayBuffer or byte array as all its bytes; other types throw.
 */
function checksum(type: string, data: string | ArrayBuffer | ArrayBufferView | number[]): string {
  if (!CHECKSUM_TYPES.has(type)) throw new Error('unsupported checksum type');
  const hash = createHash(type);
  if (typeof data === 'string') hash.update(data.split('\0', 1)[0] ?? '', 'utf8');
  else if (Array.isArray(data)) hash.update(Uint8Array.from(data));
  else if (ArrayBuffer.isView(data))
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  else hash.update(new Uint8Array(data));
  return hash.digest('hex');
}
