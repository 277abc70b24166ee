// The class a wrapper is typed as. frida-java-bridge builds a hook's `this` as the HOOKED class
// (class-factory.js handleMethodInvocation: `new classWrapper.$C(handle, …)`), so an instance of a
// subclass shows the hooked class's members only: a field the subclass declares
// (AlertDialog.mAlert seen from a Dialog.show hook) reads undefined until Java.cast(this,
// Java.use(subclass)). Simulated here for fields: the sample objects do not say which class
// declares a field, so every field of a receiver whose class is not the hooked class is hidden
// until cast.
import { registerWrapper, unwrap, wrapperChain } from './local-refs.ts';

const typed = new WeakSet<object>();

function isField(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.hasOwn(v, 'value') && !('$className' in v);
}

/** `self` as a wrapper of `className`: a subclass instance's fields are hidden. */
export function typedAs<T>(self: T, className: string): T {
  if (typeof self !== 'object' || self === null) return self;
  const own = (self as { $className?: unknown }).$className;
  if (typeof own !== 'string' || own === className) return self;
  const proxy = new Proxy(self, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      return isField(v) ? undefined : v;
    },
  });
  typed.add(proxy);
  registerWrapper(proxy, self);
  return proxy;
}

/** Java.cast: the same handle as the object's own class (every member visible again). */
export function castWrapper(h: unknown): unknown {
  if (typeof h !== 'object' || h === null) return h;
  const hidden = wrapperChain(h).some((w) => typeof w === 'object' && w !== null && typed.has(w));
  if (!hidden) return h;
  const original = unwrap(h) as object;
  // Reads still go through `h` first, so a use after the hook returned fails as `h` would.
  return new Proxy(h, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      return v === undefined ? Reflect.get(original, prop) : v;
    },
  });
}
