// The object the bundled agent imports as `Java` in dist/agent-sim.js: the subset of
// frida-java-bridge's API the agent uses, with the same semantics, over a JavaWorld.
import type { JavaWorld, SimLoader } from './java-world.ts';

const ACC = { ACC_PUBLIC: 1, ACC_PRIVATE: 2, ACC_PROTECTED: 4, ACC_STATIC: 8, ACC_FINAL: 16 };

export function createJavaBridge(world: JavaWorld, androidVersion: string): Record<string, unknown> {
  const factory = (loader: SimLoader) => ({
    loader: loader.wrapper,
    use: (name: string) => world.use(loader, name),
    cast: (h: unknown) => h,
    array: (_t: string, elements: unknown[]) => elements,
    retain: (o: unknown) => o,
  });
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
    cast: (h: unknown) => h,
    array: (_t: string, elements: unknown[]) => elements,
    retain: (o: unknown) => o,
    isMainThread: () => world.currentThread() === 'main',
    deoptimizeEverything: () => undefined,
    ClassFactory: { get: (loader: unknown) => factory(world.loaderOf(loader)) },
    classFactory: factory(world.appLoader),
    vm: { perform, getEnv: () => ({}), tryGetEnv: () => ({}) },
  };
}
