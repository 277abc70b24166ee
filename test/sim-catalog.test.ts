// Every catalog entry, exercised through the real agent bundle in the simulated runtime: each
// sample is called by the simulated app and the event that reaches the host (or its absence) is
// checked. Lazy entries install only after a simulated SDK class loader loads their class.
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../agent/catalog/index.ts';
import type { CatalogEntry, HookSample, JavaHookEntry, SampleValue } from '../agent/catalog/types.ts';
import type { EventRecord, HookStatusRecord } from '../agent/protocol/messages.ts';
import { fridaToApiType } from '../harness/android-api/load.ts';
import type { ApiMethod } from '../harness/android-api/types.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import {
  createSimRuntime,
  DEFAULT_API_LEVEL,
  type SimRuntime,
} from '../harness/simulation/runtime/sim-runtime.ts';

const CALLER = [
  'com.example.sdk.Collector.collect(Collector.java:42)',
  'com.example.app.App.onCreate(App.java:7)',
];
const runtimes = new Map<number, SimRuntime>();
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

/** The API level at which the entry's method exists (removed methods run on their last level). */
function levelFor(entry: CatalogEntry): number {
  return entry.kind === 'java' && entry.maxApi !== undefined ? entry.maxApi : DEFAULT_API_LEVEL;
}

function runtime(level: number): SimRuntime {
  let rt = runtimes.get(level);
  if (!rt) {
    rt = createSimRuntime({ packageName: 'com.example.app', apiLevel: level });
    rt.loadAgent(agentPath);
    rt.rpc.configure({ hashSalt: 'catalog-test' });
    runtimes.set(level, rt);
  }
  return rt;
}

function latestStatus(rt: SimRuntime, hook: string): HookStatusRecord | undefined {
  return rt.rpc.status().hooks.find((s) => s.hook === hook);
}

/** Loads a lazy class (once per runtime) declaring every catalog method on it. */
function loadLazyClass(rt: SimRuntime, entry: JavaHookEntry): void {
  if (rt.world.sdkLoaders.some((l) => l.classes.has(entry.className))) return;
  const methods: ApiMethod[] = [];
  for (const e of CATALOG) {
    if (e.kind !== 'java' || e.className !== entry.className) continue;
    for (const s of e.samples) {
      methods.push({
        name: e.method,
        params: (s.overload ?? []).map(fridaToApiType),
        returns: 'java.lang.Object',
        isStatic: false,
      });
    }
  }
  rt.app.loadClass(entry.className, { loader: 'sdk', methods, stack: CALLER });
}

function sampleText(v: SampleValue | undefined): string[] {
  if (typeof v === 'string' && v.length >= 6) return [v];
  if (v && typeof v === 'object' && '$methods' in v)
    return Object.values(v.$methods ?? {}).flatMap(sampleText);
  return [];
}

function newEvents(rt: SimRuntime, from: number): EventRecord[] {
  rt.rpc.flush();
  return rt.messages.slice(from).flatMap((m) => (m.type === 'events' ? m.events : []));
}

function exercise(rt: SimRuntime, entry: CatalogEntry, sample: HookSample, where: string): void {
  const from = rt.messages.length;
  if (entry.kind === 'native') {
    rt.app.callNative(entry.module, entry.symbol, sample.args ?? [], {
      result: sample.result ?? 0,
      stack: ['libsdk.so!collect+0x40'],
    });
  } else {
    const seen = rt.app.call(entry.className, entry.method, {
      overload: sample.overload,
      args: sample.args,
      result: sample.result,
      self: sample.self,
      stack: CALLER,
      loader: rt.world.sdkLoaders.some((l) => l.classes.has(entry.className)) ? 'sdk' : undefined,
    });
    const r = sample.result;
    // A String result of a CharSequence method reaches the app as a java.lang.String wrapper.
    const shown = typeof r === 'string' && seen !== null && typeof seen === 'object' ? String(seen) : seen;
    if (r === undefined || r === null || typeof r !== 'object')
      expect(shown, `${where}: app sees the original`).toBe(r ?? (seen === null ? null : undefined));
    else if ('$class' in r) expect((seen as { $className?: string }).$className, where).toBe(r.$class);
  }
  const events = newEvents(rt, from).filter((e) => e.hook === entry.id);
  if (sample.expect === null) {
    expect(events, `${where}: no event expected`).toEqual([]);
    return;
  }
  expect(events, `${where}: one event`).toHaveLength(1);
  const [event] = events as [EventRecord];
  const { category, argsIncludes, resultIncludes, hashed } = sample.expect;
  expect(event.category, where).toBe(category ?? entry.category);
  if (argsIncludes) expect(event.args ?? '', where).toContain(argsIncludes);
  if (resultIncludes) expect(event.result ?? '', where).toContain(resultIncludes);
  expect(event.stack, `${where}: stack id`).toBeTypeOf('number');
  if (hashed) {
    expect(event.valueHash, where).toMatch(/^[0-9a-f]{16}$/);
    expect(event.raw, where).toBeUndefined();
    for (const secret of sampleText(sample.result))
      expect(JSON.stringify(event), where).not.toContain(secret);
  }
  if (entry.kind === 'native') expect(event.api).toBe(`${entry.module ?? '*'}!${entry.symbol}`);
  else expect(event.api.startsWith(`${entry.className}.${entry.method}(`), where).toBe(true);
}

describe('every catalog entry in the simulated runtime', () => {
  for (const entry of CATALOG) {
    it(`${entry.id}`, () => {
      const rt = runtime(levelFor(entry));
      const w = rt.world;
      const loaded =
        entry.kind === 'java' &&
        [w.appLoader, ...w.sdkLoaders].some((l) => w.resolveClass(l, entry.className));
      if (entry.kind === 'java' && entry.lazy && !loaded) {
        // Not bundled in the app's own dex: pending until an SDK class loader loads it.
        expect(latestStatus(rt, entry.id)?.state, `${entry.id} before its class loads`).toBe('pending');
        const before = rt.ofType('hook-status').length;
        loadLazyClass(rt, entry);
        expect(rt.ofType('hook-status').length, 'statuses resent after a lazy install').toBe(before + 1);
      }
      const status = latestStatus(rt, entry.id);
      expect(status?.state, `${entry.id}: ${status?.detail}`).toBe('installed');
      expect(entry.samples.length, `${entry.id} has samples`).toBeGreaterThan(0);
      for (const [i, sample] of entry.samples.entries())
        exercise(rt, entry, sample, `${entry.id} sample ${i}`);
    });
  }

  it('every referenced stack was sent before or with its first event, and no hook failed', () => {
    for (const rt of runtimes.values()) {
      const sent = new Set<number>();
      for (const m of rt.messages) {
        if (m.type !== 'events') continue;
        for (const s of m.stacks) sent.add(s.id);
        for (const e of m.events) if (e.stack !== undefined) expect(sent.has(e.stack)).toBe(true);
      }
      expect(rt.ofType('agent-error')).toEqual([]);
      expect(rt.rpc.status().hookErrors).toBe(0);
    }
    expect(runtimes.size).toBeGreaterThan(0);
  });
});
