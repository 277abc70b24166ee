// Local references that expire, as in ART and frida-java-bridge 7. A hook's `this` and object
// arguments wrap JNI local references of the hooked call (class-factory.js handleMethodInvocation:
// `this` is built with owned = false, the arguments are $dispose()d in its `finally`), so they
// are valid only until the replacement returns. Afterwards:
// - an argument wrapper is disposed: using it throws "Wrapper is disposed; perhaps it was
//   borrowed from a hook instead of calling Java.retain() to make a long-lived wrapper?";
// - `this` still holds the stale local reference: the next JNI use aborts the process
//   ("JNI ERROR (app bug): accessed stale Local …"), which no try/catch in the agent survives.
// Java.retain(w) makes a wrapper with a global reference that stays valid.

type Stale = (message: string) => never;

const targets = new WeakMap<object, object>();

const DISPOSED =
  'Wrapper is disposed; perhaps it was borrowed from a hook instead of calling Java.retain() to make a long-lived wrapper?';

/** Members that read no handle (frida-java-bridge keeps the class name on the wrapper). */
const HANDLE_FREE = new Set<PropertyKey>(['$className', 'then', Symbol.toPrimitive]);

function isJavaObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && '$className' in v;
}

/** Records `proxy` as a wrapper of `target` (wrapper-type.ts), so unwrap() sees through it. */
export function registerWrapper(proxy: object, target: object): void {
  targets.set(proxy, target);
}

/** `v` and every wrapper below it, outermost first. */
export function wrapperChain(v: unknown): unknown[] {
  const out: unknown[] = [v];
  let current: unknown = v;
  while (typeof current === 'object' && current !== null && targets.has(current)) {
    current = targets.get(current);
    out.push(current);
  }
  return out;
}

/** The Java object behind a (possibly nested) local or retained wrapper. */
export function unwrap<T>(v: T): T {
  let current: unknown = v;
  while (typeof current === 'object' && current !== null && targets.has(current)) {
    current = targets.get(current);
  }
  return current as T;
}

/** One hooked call's local references: valid until expire(). */
export class LocalFrame {
  private expired = false;

  constructor(private readonly stale: Stale) {}

  /** A wrapper of `v` valid during this frame (`self`: using it later aborts; `arg`: throws). */
  ref<T>(v: T, kind: 'self' | 'arg'): T {
    if (!isJavaObject(v)) return v;
    const frame = this;
    const proxy = new Proxy(v, {
      get(target, prop, receiver) {
        if (frame.expired && !HANDLE_FREE.has(prop)) frame.use(kind, target, prop);
        return Reflect.get(target, prop, receiver);
      },
    });
    targets.set(proxy, v);
    return proxy as T;
  }

  /** A use of one of this frame's references after the frame ended. */
  private use(kind: 'self' | 'arg', target: object, prop: PropertyKey): never {
    const what = `${(target as { $className?: unknown }).$className ?? 'object'}.${String(prop)}`;
    if (kind === 'arg') throw new Error(`${DISPOSED} (${what})`);
    return this.stale(`JNI ERROR (app bug): accessed stale Local reference (${what})`);
  }

  expire(): void {
    this.expired = true;
  }
}

/** True when using `v` now would fail (an expired local wrapper). */
export function checkUsable(v: unknown): void {
  if (typeof v === 'object' && v !== null && targets.has(v)) {
    // Any member read goes through the proxy's check.
    void (v as Record<string, unknown>)['hashCode'];
  }
}
