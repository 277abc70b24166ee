// Failure isolation: a catalog with a missing class, a missing method, a missing overload, a
// missing native symbol/module and a hook whose body throws still installs every other hook;
// the app always gets the original value; the statuses name each failure and its reason.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry, JavaHookEntry } from '../agent/catalog/types.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const TM = 'android.telephony.TelephonyManager';

function java(
  id: string,
  className: string,
  method: string,
  extra: Partial<JavaHookEntry> = {},
): JavaHookEntry {
  return {
    kind: 'java',
    id,
    category: 'device-id',
    className,
    method,
    summary: 'result-value',
    personal: true,
    samples: [],
    ...extra,
  };
}

const CATALOG: CatalogEntry[] = [
  java('test.no-class', 'com.example.DoesNotExist', 'getId'),
  java('test.imei-throws', TM, 'getImei', { summary: 'text' }),
  java('test.no-method', TM, 'getImeiButWrong'),
  java('test.no-overload', TM, 'getMeid', { overloads: [['java.lang.String']] }),
  java('test.subscriber', TM, 'getSubscriberId'),
  {
    kind: 'native',
    id: 'test.open',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'open',
    summary: 'native-path',
    samples: [],
  },
  {
    kind: 'native',
    id: 'test.no-symbol',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'no_such_fn',
    summary: 'native-path',
    samples: [],
  },
  {
    kind: 'native',
    id: 'test.no-module',
    category: 'network-id',
    module: 'libnope.so',
    symbol: 'open',
    summary: 'native-path',
    samples: [],
  },
];

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).simTest;
});

function start(): SimRuntime {
  const rt = createSimRuntime({
    packageName: 'com.example.app',
    globals: { __overreachTestSetup: { catalog: CATALOG, throwingSummaries: ['text'] } },
  });
  rt.loadAgent(agentPath);
  return rt;
}

describe('failure isolation', () => {
  it('installs every other hook and names each failure', () => {
    const rt = start();
    const states = Object.fromEntries(
      rt.ofType('hook-status')[0]?.statuses.map((s) => [s.hook, s.state]) ?? [],
    );
    expect(states).toEqual({
      'test.no-class': 'class-missing',
      'test.imei-throws': 'installed',
      'test.no-method': 'method-missing',
      'test.no-overload': 'method-missing',
      'test.subscriber': 'installed',
      'test.open': 'installed',
      'test.no-symbol': 'method-missing',
      'test.no-module': 'class-missing',
      // Added by the agent: foreground tracking needs these even when the catalog omits them.
      'agent.onresume': 'installed',
      'agent.onpause': 'installed',
    });
    const detail = (hook: string) => rt.rpc.status().hooks.find((h) => h.hook === hook)?.detail ?? '';
    expect(detail('test.no-class')).toContain('ClassNotFoundException');
    expect(detail('test.no-overload')).toContain('getMeid(java.lang.String)');
    expect(detail('test.no-module')).toContain('libnope.so');
  });

  it('a throwing hook body never reaches the app, is reported once, and other hooks keep working', () => {
    const rt = start();
    const imei = '356938035643809';
    expect(rt.app.call(TM, 'getImei', { result: imei })).toBe(imei);
    expect(rt.app.call(TM, 'getImei', { overload: ['int'], args: [1], result: imei })).toBe(imei);
    expect(rt.app.call(TM, 'getSubscriberId', { result: '460001234567890' })).toBe('460001234567890');
    expect(rt.app.callNative('libc.so', 'open', ['/proc/net/arp', 0], { result: 7 })).toBe(7);

    const errors = rt.ofType('agent-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      hook: 'test.imei-throws',
      message: 'hook body threw: summariser text exploded',
    });
    const latest = rt.ofType('hook-status').at(-1)?.statuses ?? [];
    expect(latest.find((s) => s.hook === 'test.imei-throws')).toMatchObject({
      state: 'failed',
      detail: 'hook body threw: summariser text exploded',
      overloads: 2,
    });
    expect(latest.find((s) => s.hook === 'test.no-class')?.state).toBe('class-missing');
    const status = rt.rpc.status();
    expect(status.hookErrors).toBe(2);

    rt.rpc.flush();
    const events = rt.ofType('events').flatMap((m) => m.events);
    expect(events.map((e) => [e.hook, e.args ?? e.result])).toEqual([
      ['test.subscriber', 'string(15)'],
      ['test.open', '/proc/net/arp'],
    ]);
    expect(events[1]?.api).toBe('libc.so!open');
  });

  it('native hooks ignore noise and carry a native stack', () => {
    const rt = start();
    rt.app.callNative('libc.so', 'open', ['/proc/self/maps', 0], { result: 3 });
    rt.app.callNative('libc.so', 'open', ['/sys/class/net/wlan0/address', 0], {
      result: 4,
      stack: ['libumeng.so!get_mac+0x24', 'libumeng.so!Java_com_umeng_Native_init+0x88'],
    });
    rt.rpc.flush();
    const [batch] = rt.ofType('events');
    expect(batch?.events.map((e) => e.args)).toEqual(['/sys/class/net/wlan0/address']);
    expect(batch?.stacks).toEqual([
      {
        id: 1,
        native: true,
        frames: ['libumeng.so!get_mac+0x24', 'libumeng.so!Java_com_umeng_Native_init+0x88'],
      },
    ]);
  });

  it('rpc answers ping and rejects bad input without dying', () => {
    const rt = start();
    expect(rt.rpc.ping()).toBe('pong');
    expect(() => rt.rpc.setPhase('')).toThrow(/non-empty/);
    expect(rt.rpc.status().phase).toBe('pre-consent');
  });
});
