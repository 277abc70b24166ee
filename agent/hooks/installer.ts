// The one installer: interprets catalog entries (hooks are data). Each entry installs inside
// its own guard; each replacement calls the original FIRST and returns its value unchanged
// (or rethrows its exception unchanged), then reports the call inside another guard. Calls the
// framework makes for an outer hooked call (overload chains) pass through: see outermost.ts.
import Java from 'frida-java-bridge';
import type { CatalogEntry, JavaHookEntry } from '../catalog/types.ts';
import { HONEY_BY_HOOK, type JavaClassUse, plant } from '../leaks/honey.ts';
import type { HookState } from '../protocol/messages.ts';
import { inAgent } from '../runtime/busy.ts';
import { javaStacks } from '../runtime/java-stack.ts';
import { lifecycleEffect } from '../runtime/lifecycle.ts';
import { claimOf, holdClaim, isClaimed, releaseClaim } from '../runtime/outermost.ts';
import { asAgent, errorText, hookBytes, report } from '../runtime/report.ts';
import { getConfig, identity } from '../runtime/state.ts';
import { abstractSignatures, signatureKey } from './abstract.ts';
import { installNative } from './native.ts';
import { setStatus } from './registry.ts';

export interface InstallOutcome {
  state: HookState;
  detail?: string;
  overloads?: number;
}

type JavaMethod = Java.Method;
type ClassWrapper = Java.Wrapper;

/** Frida overload type → the name used in api signatures ('int', 'java.lang.String', '[B'). */
function typeName(t: Java.Type): string {
  return t.className ?? t.name;
}

export function apiSignature(className: string, method: string, m: JavaMethod): string {
  return `${className}.${method}(${m.argumentTypes.map(typeName).join(',')})`;
}

function selectOverloads(
  entry: JavaHookEntry,
  cls: ClassWrapper,
): { methods: JavaMethod[]; missing: string[] } {
  const dispatcher = cls[entry.method] as Java.MethodDispatcher | undefined;
  if (!dispatcher || !Array.isArray(dispatcher.overloads)) {
    return { methods: [], missing: [`${entry.method}: no such method`] };
  }
  if (!entry.overloads) return { methods: [...dispatcher.overloads], missing: [] };
  const methods: JavaMethod[] = [];
  const missing: string[] = [];
  for (const types of entry.overloads) {
    try {
      methods.push(dispatcher.overload(...types));
    } catch {
      missing.push(`${entry.method}(${types.join(',')})`);
    }
  }
  return { methods, missing };
}

/**
 * `this` as the first of `entry.selfAs` it is an instance of (Java.cast checks isInstanceOf and
 * throws otherwise), else as it came. Runs as agent work: Java.use may load a class.
 */
function selfOf(entry: JavaHookEntry, self: ClassWrapper, tid: number): ClassWrapper {
  if (!entry.selfAs) return self;
  let out = self;
  asAgent(
    entry.id,
    () => {
      for (const name of entry.selfAs ?? []) {
        try {
          out = Java.cast(self, Java.use(name));
          return;
        } catch {
          // not an instance, or the class is absent (androidx not bundled): try the next
        }
      }
    },
    tid,
  );
  return out;
}

function replacement(entry: JavaHookEntry, method: JavaMethod, api: string): Java.MethodImplementation {
  const effect = lifecycleEffect(entry.className, entry.method);
  const stack = javaStacks(entry.method);
  const honey = HONEY_BY_HOOK[entry.id];
  const bytes = hookBytes(entry, api);
  // frida-java-bridge calls an implementation with the receiver wrapper as `this` (the class
  // wrapper for a static method) and the converted Java arguments (class-factory.js
  // handleMethodInvocation); the original is called with the same.
  return function (this: ClassWrapper, ...args: unknown[]): unknown {
    // One thread id per call, passed down: on Linux each read is a gettid syscall
    // (frida-gum gumprocess-linux.c gum_process_get_current_thread_id).
    const tid = Process.getCurrentThreadId();
    if (inAgent(tid)) return method.apply(this, args);
    const claim = claimOf(entry, this);
    // An outer hooked call on this thread covers this one (an overload chain): no second event.
    if (isClaimed(tid, claim)) return method.apply(this, args);
    let result: unknown;
    holdClaim(tid, claim);
    try {
      result = method.apply(this, args);
    } catch (err) {
      releaseClaim(tid, claim);
      report(
        {
          entry,
          api,
          args,
          result: undefined,
          self: selfOf(entry, this, tid),
          ownPackage: identity.packageName,
          threw: true,
          stack,
          bytes,
        },
        tid,
      );
      throw err;
    }
    releaseClaim(tid, claim);
    if (effect) asAgent(entry.id, () => effect(this), tid);
    if (honey !== undefined && getConfig().honey) {
      const original = result;
      asAgent(
        entry.id,
        () => {
          // Honey objects are platform classes (String, ClipData): the default loader has them.
          result = plant(honey, args, original, (n) => Java.use(n) as unknown as ReturnType<JavaClassUse>);
        },
        tid,
      );
    }
    report(
      {
        entry,
        api,
        args,
        result,
        self: selfOf(entry, this, tid),
        ownPackage: identity.packageName,
        threw: false,
        stack,
        bytes,
      },
      tid,
    );
    return result;
  };
}

/** Hooks `methods` of `className`; returns their api signatures. */
function hookAll(entry: JavaHookEntry, className: string, methods: JavaMethod[]): string[] {
  const apis: string[] = [];
  for (const m of methods) {
    const api = apiSignature(className, entry.method, m);
    m.implementation = replacement(entry, m, api);
    apis.push(api);
  }
  return apis;
}

/** The same overloads on each concrete class of the entry (for overloads abstract in className). */
function hookConcrete(
  entry: JavaHookEntry,
  abstract: JavaMethod[],
  use: (className: string) => ClassWrapper,
): { apis: string[]; problems: string[] } {
  const apis: string[] = [];
  const problems: string[] = [];
  for (const name of entry.concrete ?? []) {
    let cls: ClassWrapper;
    try {
      cls = use(name);
    } catch {
      problems.push(`${name}: class missing`);
      continue;
    }
    const dispatcher = cls[entry.method] as Java.MethodDispatcher | undefined;
    for (const a of abstract) {
      const types = a.argumentTypes.map(typeName);
      try {
        const m = dispatcher?.overload(...types);
        if (!m) throw new Error('no such method');
        if (abstractSignatures(name, cls).has(signatureKey(entry.method, types))) throw new Error('abstract');
        apis.push(...hookAll(entry, name, [m]));
      } catch (err) {
        problems.push(`${name}.${entry.method}(${types.join(',')}): ${errorText(err).split('\n')[0] ?? ''}`);
      }
    }
  }
  return { apis, problems };
}

/** Hooks a Java entry on the class obtained from `use` (the app's or an SDK's class loader). */
export function installJava(entry: JavaHookEntry, use: (className: string) => ClassWrapper): InstallOutcome {
  let cls: ClassWrapper;
  try {
    cls = use(entry.className);
  } catch (err) {
    return { state: entry.lazy ? 'pending' : 'class-missing', detail: errorText(err).split('\n')[0] ?? '' };
  }
  const { methods, missing } = selectOverloads(entry, cls);
  if (methods.length === 0) return { state: 'method-missing', detail: missing.join('; ') };
  // A replacement on an abstract method never runs on ART: hook concrete classes instead.
  const abstractSet = abstractSignatures(entry.className, cls);
  const isAbstract = (m: JavaMethod) =>
    abstractSet.has(signatureKey(entry.method, m.argumentTypes.map(typeName)));
  const abstract = methods.filter(isAbstract);
  const apis = hookAll(
    entry,
    entry.className,
    methods.filter((m) => !isAbstract(m)),
  );
  const notes = missing.length > 0 ? [`missing: ${missing.join('; ')}`] : [];
  if (abstract.length > 0) {
    const concrete = hookConcrete(entry, abstract, use);
    apis.push(...concrete.apis);
    notes.push(
      `abstract, not hooked: ${abstract.map((m) => apiSignature(entry.className, entry.method, m)).join('; ')}`,
    );
    notes.push(...concrete.problems);
  }
  if (apis.length === 0) {
    return {
      state: 'not-hookable',
      detail: `${notes.join('; ')}${entry.concrete ? '' : ' (list its implementations under concrete)'}`,
    };
  }
  const detail = notes.length > 0 ? `${apis.join('; ')} (${notes.join('; ')})` : apis.join('; ');
  return { state: 'installed', detail, overloads: apis.length };
}

/** Installs one entry inside its own guard and records its status. */
export function installEntry(entry: CatalogEntry): InstallOutcome {
  let outcome: InstallOutcome;
  try {
    outcome = entry.kind === 'java' ? installJava(entry, (n) => Java.use(n)) : installNative(entry);
  } catch (err) {
    outcome = { state: 'failed', detail: `install threw: ${errorText(err)}` };
  }
  setStatus(entry.id, outcome.state, outcome.detail, outcome.overloads);
  return outcome;
}
