// Local references expire as in ART: a hook's `this` and arguments are valid only during the
// hooked call unless Java.retain()ed (frida-java-bridge 7). A plug-in SDK whose classes load one
// after another through the same class loader must not crash the app: the lazy installer keeps
// the loader of a loadClass / BaseDexClassLoader.<init> hook, so it must retain it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { JavaHookEntry } from '../agent/catalog/types.ts';
import type { ApiMethod } from '../harness/android-api/types.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const TM = 'android.telephony.TelephonyManager';
let testAgent = '';

beforeAll(async () => {
  testAgent = (await buildFreshBundles()).simTest;
});

const collect: ApiMethod[] = [{ name: 'collect', params: [], returns: 'java.lang.String', isStatic: false }];
const lazyEntry = (cls: string): JavaHookEntry => ({
  kind: 'java',
  id: `test.${cls.split('.').pop()?.toLowerCase()}`,
  category: 'device-id',
  className: cls,
  method: 'collect',
  summary: 'result-value',
  lazy: true,
  hidden: true,
  samples: [],
});
const A = 'com.plugin.sdk.Alpha';
const B = 'com.plugin.sdk.Beta';

function start(): SimRuntime {
  const rt = createSimRuntime({
    packageName: 'com.example.app',
    globals: { __overreachTestSetup: { catalog: [lazyEntry(A), lazyEntry(B)] } },
  });
  rt.loadAgent(testAgent);
  return rt;
}

const state = (rt: SimRuntime, hook: string) => rt.rpc.status().hooks.find((h) => h.hook === hook)?.state;

describe('local references in the simulated runtime', () => {
  type Method = ((...a: unknown[]) => unknown) & { implementation: unknown };
  type Bridge = { use(n: string): Record<string, { overload(...t: string[]): Method }>; retain<T>(o: T): T };

  it('expire after the hooked call unless retained', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    const java = (rt as unknown as { context: Record<string, unknown> }).context[
      '__overreachSimJava'
    ] as Bridge;
    const m = (java.use(TM)['getImei'] as { overload(...t: string[]): Method }).overload('int');
    let kept: { self?: Record<string, unknown>; retained?: Record<string, unknown> } = {};
    m.implementation = function (this: Record<string, unknown>, ...args: unknown[]) {
      kept = { self: this, retained: java.retain(this) };
      expect(typeof this['hashCode']).toBe('function'); // valid during the call
      return m.apply(this, args);
    };
    rt.app.call(TM, 'getImei', { overload: ['int'], args: [0], result: '1', self: { $class: TM } });
    expect(typeof kept.retained?.['hashCode']).toBe('function'); // a global reference stays valid
    expect(rt.isAlive).toBe(true);
    // The stale local reference: ART's JNI check aborts the whole process.
    expect(() => kept.self?.['hashCode']).toThrow(/stale Local reference/);
    expect(rt.isAlive).toBe(false);
  });

  it('disposes argument wrappers after the call', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    const java = (rt as unknown as { context: Record<string, unknown> }).context[
      '__overreachSimJava'
    ] as Bridge;
    const m = (
      java.use('android.content.ContentResolver')['query'] as { overload(...t: string[]): Method }
    ).overload(
      'android.net.Uri',
      '[Ljava.lang.String;',
      'android.os.Bundle',
      'android.os.CancellationSignal',
    );
    let uri: Record<string, unknown> | undefined;
    m.implementation = function (this: unknown, ...args: unknown[]) {
      uri = args[0] as Record<string, unknown>;
      return m.apply(this, args);
    };
    rt.app.call('android.content.ContentResolver', 'query', {
      overload: [
        'android.net.Uri',
        '[Ljava.lang.String;',
        'android.os.Bundle',
        'android.os.CancellationSignal',
      ],
      args: [{ $class: 'android.net.Uri', $methods: { toString: 'content://x' } }, null, null, null],
    });
    expect(() => uri?.['toString']).toThrow(/Wrapper is disposed/);
    expect(rt.isAlive).toBe(true);
  });
});

describe('a plug-in SDK whose classes load one after another', () => {
  it('gets both lazy hooks installed and the app survives', () => {
    const rt = start();
    expect([state(rt, `test.alpha`), state(rt, `test.beta`)]).toEqual(['pending', 'pending']);
    rt.app.loadClass(A, { loader: 'plugin', methods: collect });
    expect(state(rt, 'test.alpha')).toBe('installed');
    // Later, the same plug-in loader loads a second class: the installer reuses its factory.
    rt.app.loadClass(B, { loader: 'plugin', methods: collect });
    expect(rt.isAlive, rt.console.join('\n')).toBe(true);
    expect(state(rt, 'test.beta')).toBe('installed');
    rt.app.call(B, 'collect', {
      loader: 'plugin',
      result: 'id-1',
      stack: ['com.plugin.sdk.Beta.run(Unknown Source:1)'],
    });
    rt.rpc.flush();
    expect(rt.ofType('events').flatMap((b) => b.events.map((e) => e.hook))).toEqual(['test.beta']);
  });

  it('also when the plug-in loader is built after start (BaseDexClassLoader.<init>)', () => {
    const rt = start();
    rt.app.newClassLoader('plugin', { classes: [{ name: A, methods: collect }] });
    expect(state(rt, 'test.alpha')).toBe('installed');
    rt.app.loadClass(B, { loader: 'plugin', methods: collect });
    expect(rt.isAlive).toBe(true);
    expect(state(rt, 'test.beta')).toBe('installed');
  });
});
