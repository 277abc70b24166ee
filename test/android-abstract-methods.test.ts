// Abstract and interface methods: on ART a call never runs the abstract method (virtual dispatch
// runs the receiver's implementation), so a Frida replacement on one never fires. The simulated
// runtime dispatches the same way; the agent must say so (hook state `not-hookable`) instead of
// reporting the hook installed, and hook the concrete classes listed by the entry instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { list, obj } from '../agent/catalog/samples.ts';
import type { JavaHookEntry } from '../agent/catalog/types.ts';
import type { EventRecord, HookStatusRecord } from '../agent/protocol/messages.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { JavaWorld } from '../harness/simulation/runtime/java-world.ts';
import { javaObject } from '../harness/simulation/runtime/sample-objects.ts';
import { createSimRuntime, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';
import { openStore } from '../harness/store/store.ts';

const PM = 'android.content.pm.PackageManager';
const APM = 'android.app.ApplicationPackageManager';
let testAgent = '';

beforeAll(async () => {
  testAgent = (await buildFreshBundles()).simTest;
});

const installedPackages = (extra: Partial<JavaHookEntry> = {}): JavaHookEntry => ({
  kind: 'java',
  id: 'test.installed-packages',
  category: 'installed-apps',
  className: PM,
  method: 'getInstalledPackages',
  overloads: [['int']],
  summary: 'list-size',
  samples: [],
  ...extra,
});

const listener: JavaHookEntry = {
  kind: 'java',
  id: 'test.location-listener',
  category: 'location',
  className: 'android.location.LocationListener',
  method: 'onLocationChanged',
  overloads: [['android.location.Location']],
  summary: 'none',
  samples: [],
};

function start(catalog: JavaHookEntry[]): SimRuntime {
  const rt = createSimRuntime({
    packageName: 'com.example.app',
    globals: { __overreachTestSetup: { catalog } },
  });
  rt.loadAgent(testAgent);
  return rt;
}

function status(rt: SimRuntime, hook: string): HookStatusRecord | undefined {
  return rt.rpc.status().hooks.find((h) => h.hook === hook);
}

function events(rt: SimRuntime): EventRecord[] {
  rt.rpc.flush();
  return rt.ofType('events').flatMap((b) => b.events);
}

/** What the app does: context.getPackageManager().getInstalledPackages(0) (an ApplicationPackageManager). */
function appListsPackages(rt: SimRuntime): unknown {
  return rt.app.call(PM, 'getInstalledPackages', {
    overload: ['int'],
    args: [0],
    self: obj(APM),
    result: list(obj('android.content.pm.PackageInfo')),
    stack: ['com.example.app.Scan.run(Scan.java:3)'],
  });
}

describe('abstract methods in the simulated runtime', () => {
  it('a replacement on an abstract method never runs; the concrete one does', () => {
    const w = new JavaWorld({ api: loadAndroidApi(), apiLevel: 34 });
    type M = ((...a: unknown[]) => unknown) & { implementation: unknown };
    const overload = (cls: string) =>
      (
        (w.use(w.appLoader, cls) as Record<string, { overload(...t: string[]): M }>)[
          'getInstalledPackages'
        ] as {
          overload(...t: string[]): M;
        }
      ).overload('int');
    const fired: string[] = [];
    for (const cls of [PM, APM]) {
      const m = overload(cls);
      m.implementation = function (this: unknown, ...args: unknown[]) {
        fired.push(cls);
        return m.apply(this, args);
      };
    }
    w.callJava(PM, 'getInstalledPackages', {
      overload: ['int'],
      args: [0],
      self: javaObject(APM),
      stack: [],
      thread: 'main',
    });
    expect(fired).toEqual([APM]);
  });

  it('reflection tells abstract methods apart (Class/Method.getModifiers)', () => {
    const w = new JavaWorld({ api: loadAndroidApi(), apiLevel: 34 });
    type Cls = {
      getModifiers(): number;
      getDeclaredMethods(): { getName(): string; getModifiers(): number }[];
    };
    const klass = (name: string) => (w.use(w.appLoader, name) as { class: Cls }).class;
    const abstractNames = (name: string) =>
      new Set(
        klass(name)
          .getDeclaredMethods()
          .filter((m) => (m.getModifiers() & 0x400) !== 0)
          .map((m) => m.getName()),
      );
    expect(klass(PM).getModifiers() & 0x400).toBe(0x400);
    expect(abstractNames(PM).has('getInstalledPackages')).toBe(true);
    expect(abstractNames('android.location.LocationListener').has('onLocationChanged')).toBe(true);
    expect(klass(APM).getModifiers() & 0x400).toBe(0);
  });
});

describe('the installer and abstract methods', () => {
  it('reports an abstract method as not-hookable instead of installed', () => {
    const rt = start([installedPackages(), listener]);
    expect(status(rt, 'test.installed-packages')).toMatchObject({ state: 'not-hookable' });
    expect(status(rt, 'test.installed-packages')?.detail).toContain(`${PM}.getInstalledPackages(int)`);
    expect(status(rt, 'test.location-listener')).toMatchObject({ state: 'not-hookable' });
    appListsPackages(rt);
    expect(events(rt)).toEqual([]); // true on a device too: nothing can be seen through it
  });

  it('hooks the concrete classes instead, and sees the app call through the abstract type', () => {
    const rt = start([installedPackages({ concrete: [APM] })]);
    const s = status(rt, 'test.installed-packages');
    expect(s).toMatchObject({ state: 'installed', overloads: 1 });
    expect(s?.detail).toContain(`${APM}.getInstalledPackages(int)`);
    expect(s?.detail).toContain('abstract, not hooked');
    appListsPackages(rt);
    expect(events(rt).map((e) => [e.hook, e.api, e.result])).toEqual([
      ['test.installed-packages', `${APM}.getInstalledPackages(int)`, 'size=1'],
    ]);
  });

  it('the store keeps the new state (coverage view)', () => {
    const store = openStore(':memory:');
    try {
      const db = store.db;
      db.prepare(
        "INSERT INTO runs (package, device, scenario, started_at, tool_version, owner_host, owner_pid) VALUES ('p', 'd', 's', 0, 't', 'h', 1)",
      ).run();
      db.prepare("INSERT INTO processes (run_id, pid, name) VALUES (1, 1, 'p')").run();
      db.prepare(
        "INSERT INTO hook_status (run_id, process_id, hook, state, time) VALUES (1, 1, 'x', 'not-hookable', 0)",
      ).run();
      expect(db.prepare('SELECT state, count FROM v_hook_coverage WHERE run = 1').all()).toEqual([
        { state: 'not-hookable', count: 1 },
      ]);
    } finally {
      store.close();
    }
  });
});
