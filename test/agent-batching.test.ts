// Batching limits of the real agent bundle: ≤ 1,000 events per batch, a 250 ms flush interval,
// a bounded queue whose overflow is reported as `dropped`, and no message over 1 MiB.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../agent/catalog/types.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const TM = 'android.telephony.TelephonyManager';
const MiB = 1024 * 1024;
const CATALOG: CatalogEntry[] = [
  {
    kind: 'java',
    id: 'test.imei',
    category: 'device-id',
    className: TM,
    method: 'getImei',
    summary: 'result-value',
    personal: true,
    samples: [],
  },
  {
    kind: 'java',
    id: 'test.text',
    category: 'clipboard',
    className: 'android.content.ClipboardManager',
    method: 'getText',
    summary: 'text',
    samples: [],
  },
];

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).simTest;
});

function start(): { rt: SimRuntime; clock: ManualClock } {
  const clock = new ManualClock();
  const rt = createSimRuntime({
    packageName: 'com.example.app',
    clock,
    globals: { __overreachTestSetup: { catalog: CATALOG } },
  });
  rt.loadAgent(agentPath);
  return { rt, clock };
}

const imei = (rt: SimRuntime, n: number, stack: string[] = []) => {
  for (let i = 0; i < n; i++)
    rt.app.call(TM, 'getImei', { result: `35693803564${String(i % 10000).padStart(4, '0')}`, stack });
};

describe('batching', () => {
  it('flushes one event after 250 ms, not before', () => {
    const { rt, clock } = start();
    imei(rt, 1);
    clock.advance(249);
    expect(rt.ofType('events')).toHaveLength(0);
    clock.advance(1);
    expect(rt.ofType('events').map((b) => b.events.length)).toEqual([1]);
  });

  it('2,500 events leave in batches of at most 1,000 with consecutive seq numbers', () => {
    const { rt, clock } = start();
    imei(rt, 2500);
    clock.advance(0); // the 1,000th event scheduled an immediate flush
    const batches = rt.ofType('events');
    expect(batches.map((b) => b.events.length)).toEqual([1000, 1000, 500]);
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(batches.every((b) => b.dropped === 0)).toBe(true);
    expect(rt.rpc.status()).toMatchObject({
      eventsSeen: 2500,
      eventsSent: 2500,
      batchesSent: 3,
      eventsDropped: 0,
    });
  });

  it('a flood beyond the 50,000-event queue is counted and reported as dropped', () => {
    const { rt, clock } = start();
    imei(rt, 55_000); // one burst: the flush timer cannot run in between
    clock.advance(0);
    const batches = rt.ofType('events');
    const sent = batches.reduce((n, b) => n + b.events.length, 0);
    expect(sent).toBe(50_000);
    expect(batches[0]?.dropped).toBe(5_000);
    expect(batches.slice(1).every((b) => b.dropped === 0)).toBe(true);
    expect(batches.every((b) => b.events.length <= 1000)).toBe(true);
    expect(rt.rpc.status()).toMatchObject({ eventsSeen: 55_000, eventsDropped: 5_000 });
  });

  it('never sends a message over 1 MiB, even with huge stacks and arguments', () => {
    const { rt, clock } = start();
    rt.rpc.configure({ rawValues: true });
    const huge = 'é'.repeat(2_000);
    for (let i = 0; i < 300; i++) {
      const stack = Array.from({ length: 40 }, (_, f) => `com.sdk${i}.C${f}.m${huge}(C.java:${f})`);
      rt.app.call('android.content.ClipboardManager', 'getText', { args: [], result: `${huge}${i}`, stack });
    }
    rt.app.call(TM, 'getImei', { result: 'x'.repeat(5 * MiB) });
    clock.advance(250);
    const batches = rt.ofType('events');
    expect(batches.length).toBeGreaterThan(1); // split by size, not by count
    const bytes = rt.messageBytes.filter((_, i) => rt.messages[i]?.type === 'events');
    expect(Math.max(...bytes)).toBeLessThanOrEqual(MiB);
    const events = batches.flatMap((b) => b.events);
    expect(events).toHaveLength(301);
    const stacks = batches.flatMap((b) => b.stacks);
    expect(stacks).toHaveLength(300);
    expect(stacks.every((s) => s.frames.length === 32)).toBe(true);
    // Each stack travels in the batch of the first event that references it.
    const sentIds = new Set<number>();
    for (const b of batches) {
      for (const s of b.stacks) sentIds.add(s.id);
      for (const e of b.events) if (e.stack !== undefined) expect(sentIds.has(e.stack)).toBe(true);
    }
    expect(events.at(-1)?.stack).toBeUndefined(); // a call with no caller frames has no stack
    expect(events.at(-1)?.raw?.length).toBeLessThanOrEqual(1000);
  });
});
