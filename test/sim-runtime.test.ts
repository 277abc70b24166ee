// The simulated runtime itself: Frida's Java-bridge rules (missing classes, overload selection,
// API-level gating), lazy class loading, process death and message iteration.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { JavaWorld } from '../harness/simulation/runtime/java-world.ts';
import { createSimRuntime, ManualClock } from '../harness/simulation/runtime/sim-runtime.ts';

type Dispatcher = ((...a: unknown[]) => unknown) & {
  overloads: { argumentTypes: { name: string; className?: string }[] }[];
  overload(...t: string[]): { implementation: unknown };
  implementation: unknown;
};

const TM = 'android.telephony.TelephonyManager';
let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

function world(apiLevel: number): JavaWorld {
  return new JavaWorld({ api: loadAndroidApi(), apiLevel });
}

describe('simulated Java bridge', () => {
  it('fails like a device on a missing class, method or overload', () => {
    const w = world(34);
    expect(() => w.use(w.appLoader, 'com.example.Missing')).toThrow(/ClassNotFoundException/);
    const tm = w.use(w.appLoader, TM) as Record<string, Dispatcher | undefined>;
    expect(tm['getImeiTypo']).toBeUndefined();
    const getImei = tm['getImei'] as Dispatcher;
    expect(getImei.overloads.map((o) => o.argumentTypes.map((t) => t.className ?? t.name))).toEqual([
      [],
      ['int'],
    ]);
    expect(() => {
      getImei.implementation = () => 'x';
    }).toThrow(/more than one overload/);
    expect(() => getImei.overload('java.lang.String')).toThrow(/do not match any of/);
    expect(getImei.overload('int')).toBe(getImei.overloads[1]);
  });

  it('gates classes and methods by API level', () => {
    const tm = (level: number) => world(level).use(world(level).appLoader, TM) as Record<string, unknown>;
    expect(tm(25)['getImei']).toBeUndefined(); // added in API 26
    expect(tm(26)['getImei']).toBeTypeOf('function');
    expect(tm(28)['getNeighboringCellInfo']).toBeTypeOf('function'); // removed in API 29
    expect(tm(29)['getNeighboringCellInfo']).toBeUndefined();
  });

  it('runs the replacement for app calls and the original for its own call', () => {
    const w = world(34);
    const getImei = (w.use(w.appLoader, TM) as Record<string, Dispatcher>)['getImei'] as Dispatcher;
    const calls: unknown[] = [];
    const noArg = getImei.overload() as unknown as ((...a: unknown[]) => unknown) & {
      implementation: unknown;
    };
    noArg.implementation = function (this: unknown) {
      const original = noArg.call(this);
      calls.push(original);
      return `${String(original)}!`;
    };
    expect(w.callJava(TM, 'getImei', { args: [], result: '123', stack: [], thread: 'main' })).toBe('123!');
    expect(calls).toEqual(['123']);
  });
});

describe('simulated process', () => {
  it('installs a lazy hook when an SDK class loader loads the class, then reports its calls', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    rt.loadAgent(agentPath);
    const adId = () => rt.rpc.status().hooks.find((h) => h.hook === 'ads.get-advertising-id-info');
    expect(adId()?.state).toBe('pending');
    const cls = 'com.google.android.gms.ads.identifier.AdvertisingIdClient';
    expect(() => rt.app.call(cls, 'getAdvertisingIdInfo', {})).toThrow(/does not exist/);
    rt.app.loadClass(cls, {
      loader: 'play-services',
      methods: [
        {
          name: 'getAdvertisingIdInfo',
          params: ['android.content.Context'],
          returns: `${cls}$Info`,
          isStatic: true,
        },
      ],
    });
    expect(adId()).toMatchObject({ state: 'installed', overloads: 1 });
    const info = { $class: `${cls}$Info`, $methods: { getId: '38400000-8cf0-11bd-b23e-10b96e40000d' } };
    rt.app.call(cls, 'getAdvertisingIdInfo', {
      loader: 'play-services',
      args: [{ $class: 'android.app.Application' }],
      result: info,
    });
    rt.rpc.flush();
    const event = rt.ofType('events')[0]?.events[0];
    expect(event).toMatchObject({
      hook: 'ads.get-advertising-id-info',
      category: 'device-id',
      api: `${cls}.getAdvertisingIdInfo(android.content.Context)`,
    });
    expect(event?.valueHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('installs a lazy hook when a dex class loader built later holds the class (no loadClass call)', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    rt.loadAgent(agentPath);
    const oaid = () => rt.rpc.status().hooks.find((h) => h.hook === 'oaid.xiaomi-oaid');
    expect(oaid()?.state).toBe('pending');
    const cls = 'com.android.id.impl.IdProviderImpl';
    // A packer / plug-in framework builds a DexClassLoader; ART resolves its classes natively.
    rt.app.newClassLoader('plugin', {
      classes: [
        {
          name: cls,
          methods: [
            {
              name: 'getOAID',
              params: ['android.content.Context'],
              returns: 'java.lang.String',
              isStatic: false,
            },
          ],
        },
      ],
      stack: ['com.example.app.plugin.Loader.boot(Loader.java:10)'],
    });
    expect(oaid()).toMatchObject({ state: 'installed', overloads: 1 });
    const seen = rt.app.call(cls, 'getOAID', {
      loader: 'plugin',
      args: [{ $class: 'android.app.Application' }],
      result: 'a1b2c3d4e5f60718',
    });
    expect(seen).toBe('a1b2c3d4e5f60718'); // the app still gets the original value
    rt.rpc.flush();
    expect(rt.ofType('events').flatMap((b) => b.events.map((e) => [e.hook, e.category]))).toEqual([
      ['oaid.xiaomi-oaid', 'device-id'],
    ]);
    expect(rt.rpc.status().hooks.find((h) => h.hook === 'agent.class-loader')?.state).not.toBe('failed');
  });

  it('finds a lazy class already loaded by an SDK class loader when the agent starts', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    const cls = 'com.android.id.impl.IdProviderImpl';
    rt.world.defineClass('vendor', {
      name: cls,
      superclass: 'java.lang.Object',
      interfaces: [],
      isInterface: false,
      isAbstract: false,
      constructors: [],
      methods: ['getOAID', 'getVAID', 'getAAID'].map((name) => ({
        name,
        params: ['android.content.Context'],
        returns: 'java.lang.String',
        isStatic: false,
      })),
    });
    rt.loadAgent(agentPath);
    const states = rt.ofType('hook-status')[0]?.statuses.filter((s) => s.hook.startsWith('oaid.xiaomi-'));
    expect(states?.map((s) => [s.hook, s.state])).toEqual([
      ['oaid.xiaomi-oaid', 'installed'],
      ['oaid.xiaomi-vaid', 'installed'],
      ['oaid.xiaomi-aaid', 'installed'],
      ['oaid.xiaomi-udid', 'method-missing'], // this vendor build has no getUDID
    ]);
    const oaid = rt.app.call(cls, 'getOAID', {
      loader: 'vendor',
      args: [{ $class: 'android.app.Application' }],
      result: 'oaid-1',
    });
    expect(oaid).toBe('oaid-1');
    rt.rpc.flush();
    expect(rt.ofType('events')[0]?.events.map((e) => e.hook)).toEqual(['oaid.xiaomi-oaid']);
  });

  it('a killed process sends nothing more and loses what it had not flushed', async () => {
    const clock = new ManualClock();
    const rt = createSimRuntime({
      packageName: 'com.example.app',
      processName: 'com.example.app:push',
      pid: 999,
      clock,
    });
    const seen: string[] = [];
    const iterating = (async () => {
      for await (const m of rt) seen.push(m.type);
    })();
    rt.loadAgent(agentPath);
    expect(rt.messages[0]).toMatchObject({ type: 'hello', process: 'com.example.app:push', pid: 999 });
    rt.app.call(TM, 'getImei', { result: '1' });
    rt.kill();
    clock.advance(1000);
    await iterating;
    expect(seen).toEqual(['hello', 'hook-status']);
    expect(rt.ofType('events')).toHaveLength(0);
    expect(() => rt.app.call(TM, 'getImei', { result: '1' })).toThrow(/process is dead/);
  });
});

describe('reflection', () => {
  it('reports the reflective call once, marked with its target (the target hook passes through)', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    rt.loadAgent(agentPath);
    const imei = '356938035643809';
    const seen = rt.app.call('java.lang.reflect.Method', 'invoke', {
      self: {
        $class: 'java.lang.reflect.Method',
        $methods: {
          getName: 'getImei',
          getDeclaringClass: { $class: 'java.lang.Class', $methods: { getName: TM } },
        },
      },
      args: [{ $class: TM }, { $array: [] }],
      result: imei,
      stack: ['com.sdk.Hidden.a(Unknown Source:3)'],
    });
    expect(seen).toBe(imei);
    rt.rpc.flush();
    const [batch] = rt.ofType('events');
    // One app call, one event: getImei() (and getImei(int) below it) run inside Method.invoke.
    expect(batch?.events).toHaveLength(1);
    const [reflective] = batch?.events ?? [];
    expect(reflective).toMatchObject({ hook: 'reflection.method-invoke', category: 'device-id' });
    expect(reflective?.args).toContain(`target=${TM}.getImei (telephony.get-imei)`);
    expect(reflective?.valueHash).toMatch(/^[0-9a-f]{16}$/);
    const frames = batch?.stacks.find((s) => s.id === reflective?.stack)?.frames;
    expect(frames).toEqual(['com.sdk.Hidden.a(Unknown Source:3)']);
  });
});
