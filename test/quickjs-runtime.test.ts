// The agent in QuickJS, the engine Frida runs agents in by default on a device: the same bundle
// (dist/agent-sim.js) and the same simulated runtime, evaluated by quickjs-emscripten, must
// install the same hooks and report the same events, byte for byte, as in V8 (a Node `vm`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../agent/catalog/index.ts';
import type { JavaHookEntry } from '../agent/catalog/types.ts';
import type { AgentMessage, EventRecord } from '../agent/protocol/messages.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { apiSubset, catalogClasses, QuickJsProcess } from '../harness/simulation/runtime/quickjs-process.ts';
import {
  createSimRuntime,
  DEFAULT_API_LEVEL,
  ManualClock,
  type SimRuntime,
} from '../harness/simulation/runtime/sim-runtime.ts';

const PKG = 'com.example.app';
const STACK = [
  'com.umeng.commonsdk.Collector.collect(Collector.java:42)',
  'com.example.app.App.onCreate(App.java:7)',
];
let qjs: QuickJsProcess;
let v8: SimRuntime;
const v8Clock = new ManualClock();

/** Java entries whose method exists at the default level and whose class the app has at start. */
const JAVA = CATALOG.filter(
  (e): e is JavaHookEntry =>
    e.kind === 'java' && !e.lazy && (e.maxApi === undefined || e.maxApi >= DEFAULT_API_LEVEL),
);

beforeAll(async () => {
  const agent = (await buildFreshBundles()).sim;
  qjs = await QuickJsProcess.create({
    packageName: PKG,
    classes: apiSubset(loadAndroidApi(), catalogClasses(CATALOG)),
  });
  qjs.loadAgent(agent);
  qjs.rpc('configure', { hashSalt: 'engine-test' });
  v8 = createSimRuntime({ packageName: PKG, clock: v8Clock });
  v8.loadAgent(agent);
  v8.rpc.configure({ hashSalt: 'engine-test' });
}, 60_000);

afterAll(() => qjs?.dispose());

const events = (messages: AgentMessage[]): EventRecord[] =>
  messages.flatMap((m) => (m.type === 'events' ? m.events : []));

describe('agent in QuickJS', () => {
  it('answers rpc and installs exactly the hooks it installs in V8', () => {
    expect(qjs.rpc('ping')).toBe('pong');
    const states = (hooks: { hook: string; state: string }[]) =>
      Object.fromEntries(hooks.map((h) => [h.hook, h.state]));
    const q = states((qjs.rpc('status') as { hooks: { hook: string; state: string }[] }).hooks);
    const v = states(v8.rpc.status().hooks);
    expect(Object.keys(q).length).toBeGreaterThan(50);
    expect(Object.values(q).filter((s) => s === 'installed').length).toBeGreaterThan(50);
    expect(q).toEqual(v);
  });

  it('reports every catalog sample exactly as V8 does', () => {
    let calls = 0;
    for (const entry of JAVA) {
      for (const s of entry.samples) {
        const call = {
          className: entry.className,
          method: entry.method,
          overload: s.overload,
          args: s.args,
          result: s.result,
          self: s.self,
          stack: STACK,
        };
        qjs.call(call);
        v8.app.call(entry.className, entry.method, call);
        calls++;
      }
    }
    qjs.advance(1000);
    v8Clock.advance(1000);
    qjs.rpc('flush');
    v8.rpc.flush();
    const q = events(qjs.messages);
    const v = events(v8.messages);
    expect(calls).toBeGreaterThan(100);
    expect(q.length).toBeGreaterThan(100);
    expect(q).toEqual(v);
    expect(new Set(q.map((e) => e.hook)).size).toBeGreaterThan(40);
  });

  it('reports native hooks', () => {
    const from = qjs.messages.length;
    expect(qjs.callNative('open', ['/proc/net/arp', 0])).toBe(0);
    qjs.advance(1000);
    qjs.rpc('flush');
    const arp = events(qjs.messages.slice(from)).filter((e) => e.category !== 'lifecycle');
    expect(arp.map((e) => e.hook)).toContain('native.open');
  });
});
