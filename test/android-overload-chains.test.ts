// Android's public overloads call each other (TelephonyManager.getImei() → getImei(int),
// NotificationManager.notify(id, n) → notify(tag, id, n) → notifyAsUser …). The simulated
// framework delegates the same way, so a hook on every overload sees one app call several
// times; the agent must still give ONE event per app call, named by the app's own overload.
import { beforeAll, describe, expect, it } from 'vitest';
import { arr, cursor, list, obj, uri } from '../agent/catalog/samples.ts';
import type { SampleValue } from '../agent/catalog/types.ts';
import type { EventRecord } from '../agent/protocol/messages.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { JavaWorld } from '../harness/simulation/runtime/java-world.ts';
import { createSimRuntime, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const TM = 'android.telephony.TelephonyManager';
const STACK = [
  'com.umeng.commonsdk.internal.utils.a.b(Unknown Source:12)',
  'com.example.app.App.onCreate(App.java:7)',
];
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

type Method = ((...a: unknown[]) => unknown) & { implementation: unknown };
type Dispatcher = { overloads: Method[]; overload(...t: string[]): Method };

interface Case {
  className: string;
  method: string;
  overload: string[];
  args: SampleValue[];
  result?: SampleValue;
  hook: string;
  apiLevel?: number;
}

const QUERY5 = [
  'android.net.Uri',
  '[Ljava.lang.String;',
  'java.lang.String',
  '[Ljava.lang.String;',
  'java.lang.String',
];
const notification = obj('android.app.Notification', { getChannelId: 'promo' }, { fullScreenIntent: null });
const CASES: Case[] = [
  {
    className: TM,
    method: 'getImei',
    overload: [],
    args: [],
    result: '356938035643809',
    hook: 'telephony.get-imei',
  },
  {
    className: TM,
    method: 'getMeid',
    overload: [],
    args: [],
    result: 'A0000038AB1234',
    hook: 'telephony.get-meid',
  },
  {
    className: TM,
    method: 'getSubscriberId',
    overload: [],
    args: [],
    result: '460001234567890',
    hook: 'telephony.get-subscriber-id',
  },
  {
    className: TM,
    method: 'getSimSerialNumber',
    overload: [],
    args: [],
    result: '89860012345678901234',
    hook: 'telephony.get-sim-serial-number',
  },
  {
    className: TM,
    method: 'getLine1Number',
    overload: [],
    args: [],
    result: '+8613800138000',
    hook: 'telephony.get-line1-number',
  },
  {
    className: 'android.content.ContentResolver',
    method: 'query',
    overload: QUERY5,
    args: [uri('content://com.android.contacts/contacts'), arr('_id'), null, null, null],
    result: cursor(3),
    hook: 'content.resolver-query',
  },
  {
    className: 'android.app.NotificationManager',
    method: 'notify',
    overload: ['int', 'android.app.Notification'],
    args: [7, notification],
    hook: 'notification.notify',
  },
  {
    className: 'android.hardware.SensorManager',
    method: 'registerListener',
    overload: ['android.hardware.SensorEventListener', 'android.hardware.Sensor', 'int'],
    args: [obj('android.hardware.SensorEventListener'), obj('android.hardware.Sensor', { getType: 1 }), 3],
    result: true,
    hook: 'sensors.register-listener',
  },
  {
    className: 'android.location.LocationManager',
    method: 'requestLocationUpdates',
    overload: ['java.lang.String', 'long', 'float', 'android.location.LocationListener'],
    args: ['gps', 1000, 0, obj('android.location.LocationListener')],
    hook: 'location.request-location-updates',
  },
  ...[33, 34].map(
    (apiLevel): Case => ({
      className: 'android.app.ApplicationPackageManager',
      method: 'getInstalledPackages',
      overload: ['int'],
      args: [0],
      result: list(obj('android.content.pm.PackageInfo')),
      hook: 'packages.get-installed-packages',
      apiLevel,
    }),
  ),
];

const runtimes = new Map<number, SimRuntime>();
function runtime(level: number): SimRuntime {
  let rt = runtimes.get(level);
  if (!rt) {
    rt = createSimRuntime({ packageName: 'com.example.app', apiLevel: level });
    rt.loadAgent(agentPath);
    runtimes.set(level, rt);
  }
  return rt;
}

function eventsOf(rt: SimRuntime, from: number): EventRecord[] {
  rt.rpc.flush();
  return rt.messages.slice(from).flatMap((m) => (m.type === 'events' ? m.events : []));
}

describe('the simulated framework delegates between overloads like Android', () => {
  it('getImei() calls getImei(int): a hook on the inner overload fires for the outer call', () => {
    const w = new JavaWorld({ api: loadAndroidApi(), apiLevel: 34 });
    const getImei = (w.use(w.appLoader, TM) as Record<string, Dispatcher>)['getImei'] as Dispatcher;
    const seen: string[] = [];
    for (const m of getImei.overloads) {
      m.implementation = function (this: unknown, ...args: unknown[]) {
        seen.push(`getImei(${args.join(',')}) below ${w.backtrace().frames[1]?.methodName ?? '?'}`);
        return m.apply(this, args);
      };
    }
    expect(
      w.callJava(TM, 'getImei', { args: [], result: '1234', stack: ['com.x.Y.z(Y.java:1)'], thread: 'main' }),
    ).toBe('1234');
    // Outer first (called by the app), then the inner one called by TelephonyManager itself.
    expect(seen).toEqual(['getImei() below z', 'getImei(0) below getImei']);
  });

  it('notify(id, n) runs notify(tag, id, n) and notifyAsUser; the Bundle query only from API 26', () => {
    const w = new JavaWorld({ api: loadAndroidApi(), apiLevel: 25 });
    const names: string[] = [];
    for (const [cls, method] of [
      ['android.app.NotificationManager', 'notify'],
      ['android.app.NotificationManager', 'notifyAsUser'],
      ['android.content.ContentResolver', 'query'],
    ] as const) {
      for (const m of ((w.use(w.appLoader, cls) as Record<string, Dispatcher>)[method] as Dispatcher)
        .overloads) {
        m.implementation = function (this: unknown, ...args: unknown[]) {
          names.push(`${method}/${args.length}`);
          return m.apply(this, args);
        };
      }
    }
    w.callJava('android.app.NotificationManager', 'notify', {
      overload: ['int', 'android.app.Notification'],
      args: [1, null],
      stack: [],
      thread: 'main',
    });
    w.callJava('android.content.ContentResolver', 'query', {
      overload: QUERY5,
      args: [null, null, null, null, null],
      stack: [],
      thread: 'main',
    });
    expect(names).toEqual(['notify/2', 'notify/3', 'notifyAsUser/4', 'query/5', 'query/6']);
  });
});

describe('one app call is one event, whatever the overload chain', () => {
  for (const c of CASES) {
    it(`${c.className.split('.').pop()}.${c.method}(${c.overload.join(', ')}) at API ${c.apiLevel ?? 34}`, () => {
      const rt = runtime(c.apiLevel ?? 34);
      const from = rt.messages.length;
      rt.app.call(c.className, c.method, {
        overload: c.overload,
        args: c.args,
        result: c.result,
        stack: STACK,
      });
      const events = eventsOf(rt, from);
      expect(events.map((e) => e.hook)).toEqual([c.hook]);
      // The event names the overload the app called, with the app's stack.
      // (The simulated index folds long/float into int: compare arity and the rest.)
      const asSim = c.overload.map((t) => (t === 'long' || t === 'float' ? 'int' : t));
      expect(events[0]?.api).toBe(`${c.className}.${c.method}(${asSim.join(',')})`);
    });
  }

  it('a chain that throws is one event too (the SecurityException reaches the app once)', () => {
    const rt = runtime(34);
    const from = rt.messages.length;
    expect(() =>
      rt.app.call(TM, 'getImei', {
        throws: new Error('java.lang.SecurityException: no READ_PHONE_STATE'),
        stack: STACK,
      }),
    ).toThrow(/SecurityException/);
    const events = eventsOf(rt, from);
    expect(events.map((e) => [e.hook, e.result])).toEqual([['telephony.get-imei', 'threw']]);
  });

  it('two notifications are two events, not six', () => {
    const rt = runtime(34);
    const from = rt.messages.length;
    for (const id of [1, 2])
      rt.app.call('android.app.NotificationManager', 'notify', {
        overload: ['int', 'android.app.Notification'],
        args: [id, notification],
        stack: STACK,
      });
    expect(eventsOf(rt, from).filter((e) => e.category === 'notification')).toHaveLength(2);
  });
});
