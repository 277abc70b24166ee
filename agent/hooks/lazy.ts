// Lazy entries: SDK classes that appear only when the app (or a plug-in / packer) loads them
// through some class loader. Pending entries are retried (1) on every class loader present at
// start, (2) whenever ClassLoader.loadClass returns one of their classes, and (3) on every dex
// class loader built later, as soon as its constructor returns: ART resolves classes of a
// BaseDexClassLoader natively, without calling loadClass, so (2) alone misses plug-ins.
import Java from 'frida-java-bridge';
import type { JavaHookEntry } from '../catalog/types.ts';
import { asAgent, errorText } from '../runtime/report.ts';
import { installJava } from './installer.ts';
import { sendHookStatus, setStatus } from './registry.ts';

const pending = new Map<string, JavaHookEntry[]>();
const LAZY_HOOK = 'agent.class-loader';

export function addPending(entry: JavaHookEntry): void {
  const list = pending.get(entry.className) ?? [];
  list.push(entry);
  pending.set(entry.className, list);
}

export function pendingCount(): number {
  let n = 0;
  for (const list of pending.values()) n += list.length;
  return n;
}

/** Tries the pending entries of `className` on `loader`; true if anything changed. */
function tryClass(className: string, loader: Java.Wrapper): boolean {
  const entries = pending.get(className);
  if (!entries) return false;
  const factory = Java.ClassFactory.get(loader);
  let cls: Java.Wrapper;
  try {
    cls = factory.use(className);
  } catch {
    return false; // not on this loader
  }
  pending.delete(className);
  for (const entry of entries) {
    try {
      const outcome = installJava(entry, (name) => (name === className ? cls : factory.use(name)));
      setStatus(entry.id, outcome.state, outcome.detail, outcome.overloads);
    } catch (err) {
      setStatus(entry.id, 'failed', `install threw: ${errorText(err)}`);
    }
  }
  return true;
}

function scanLoader(loader: Java.Wrapper): boolean {
  let changed = false;
  for (const className of [...pending.keys()]) if (tryClass(className, loader)) changed = true;
  return changed;
}

/**
 * A hook's `this` is a local reference, valid only during the call (frida-java-bridge 7), but
 * ClassFactory.get caches its factory with the loader wrapper it is given and loads every later
 * class through it: so it must get a global one. A stale one aborts the app on the next class.
 */
function keep(loader: Java.Wrapper): Java.Wrapper {
  return Java.retain(loader);
}

/** Scans each dex class loader constructed after start (BaseDexClassLoader.<init> runs for all). */
function watchNewLoaders(): void {
  const ctor = Java.use('dalvik.system.BaseDexClassLoader')['$init'] as Java.MethodDispatcher;
  for (const method of ctor.overloads) {
    method.implementation = function (this: Java.Wrapper, ...args: unknown[]): unknown {
      const result = method.apply(this, args);
      if (pending.size > 0) {
        let changed = false;
        asAgent(LAZY_HOOK, () => {
          changed = scanLoader(keep(this));
        });
        if (changed) sendHookStatus();
      }
      return result;
    };
  }
}

/** Scans the class loaders alive now, then watches loadClass and new dex class loaders. */
export function startLazyInstaller(): void {
  if (pending.size === 0) return;
  let changed = false;
  asAgent(LAZY_HOOK, () => {
    for (const loader of Java.enumerateClassLoadersSync()) if (scanLoader(loader)) changed = true;
  });
  if (changed) sendHookStatus();
  if (pending.size === 0) return;
  asAgent(LAZY_HOOK, watchNewLoaders);
  const loaderClass = Java.use('java.lang.ClassLoader');
  const dispatcher = loaderClass['loadClass'] as Java.MethodDispatcher;
  // loadClass(String) delegates to loadClass(String, boolean): hook only the latter when present.
  const two = dispatcher.overloads.filter((m) => m.argumentTypes.length === 2);
  for (const method of two.length > 0 ? two : dispatcher.overloads) {
    method.implementation = function (this: Java.Wrapper, ...args: unknown[]): unknown {
      const result = method.apply(this, args);
      const name = args[0];
      if (typeof name === 'string' && result !== null && pending.has(name)) {
        let installed = false;
        asAgent(LAZY_HOOK, () => {
          installed = tryClass(name, keep(this));
        });
        if (installed) sendHookStatus();
      }
      return result;
    };
  }
}
