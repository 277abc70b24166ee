// The object the bundled agent imports as `Java` in dist/agent-sim.js: the subset of
// frida-java-bridge's API the agent uses, with the same semantics, over a JavaWorld.
import type { JavaWorld, SimLoader } from './java-world.ts';
import { checkUsable, unwrap } from './local-refs.ts';
import { castWrapper } from './wrapper-type.ts';

const ACC = { ACC_PUBLIC: 1, ACC_PRIVATE: 2, ACC_PROTECTED: 4, ACC_STATIC: 8, ACC_FINAL: 16 };

export function createJavaBridge(world: JavaWorld, androidVersion: string): Record<string, unknown> {
  // Java.retain: a wrapper with a global reference. Retaining an expired local wrapper touches it
  // (frida-java-bridge clones its handle), so that fails the way using it would.
  const retain = (o: unknown) => {
    checkUsable(o);
    return unwrap(o);
  };
  const factory = (loader: SimLoader, wrapper: unknown) => ({
    loader: wrapper,
    // factory.use() loads classes through the loader wrapper it was created with
    // (makeLoaderClassHandleGetter → loader.loadClass): a stale wrapper fails there.
    use: (name: string) => {
      checkUsable(wrapper);
      return world.use(loader, name);
    },
    cast: (h: unknown) => castWrapper(h),
    array: (_t: string, elements: unknown[]) => elements,
    retain,
  });
  // ClassFactory.get caches one factory per class loader (by Java identity) and keeps the
  // wrapper it was first given (class-factory.js ClassFactory.get / addFactoryToCache).
  const factories = new Map<SimLoader, ReturnType<typeof factory>>();
  const factoryFor = (wrapper: unknown) => {
    checkUsable(wrapper); // the cache lookup itself is a JNI call with this reference
    const loader = world.loaderOf(wrapper);
    let f = factories.get(loader);
    if (!f) {
      f = factory(loader, wrapper);
      factories.set(loader, f);
    }
    return f;
  };
  // At spawn Frida defers perform() until the app's class loader exists; the simulated app's
  // loader exists from the start, so both run at once.
  const perform = (fn: () => void) => fn();
  return {
    ...ACC,
    available: true,
    androidVersion,
    perform,
    performNow: perform,
    scheduleOnMainThread: perform,
    use: (name: string) => world.use(world.appLoader, name),
    enumerateClassLoadersSync: () => [world.appLoader.wrapper, ...world.sdkLoaders.map((l) => l.wrapper)],
    backtrace: (options?: { limit?: number }) => world.backtrace(options),
    cast: (h: unknown) => castWrapper(h),
    array: (_t: string, elements: unknown[]) => elements,
    retain,
    isMainThread: () => world.currentThread() === 'main',
    deoptimizeEverything: () => undefined,
    ClassFactory: { get: factoryFor },
    classFactory: factory(world.appLoader, world.appLoader.wrapper),
    vm: { perform, getEnv: () => ({}), tryGetEnv: () => ({}) },
  };
}
