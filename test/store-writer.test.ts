import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EventRecord, EventsMessage } from '../agent/protocol/messages.ts';
import { MessageError } from '../harness/protocol/validate.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import { openStore, type Store } from '../harness/store/store.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));
const T0 = 1_767_225_600_000;

function newRun(store: Store): number {
  return store.createRun({ package: 'com.example.app', device: 'emu', scenario: 's', toolVersion: 'test' });
}

function ev(time: number, over: Partial<EventRecord> = {}): EventRecord {
  return {
    time,
    hook: 'telephony.get-imei',
    category: 'device-id',
    api: 'android.telephony.TelephonyManager.getImei(int)',
    thread: 'main',
    foreground: true,
    phase: 'launch',
    ...over,
  };
}

function batch(seq: number, events: EventRecord[], over: Partial<EventsMessage> = {}): EventsMessage {
  return { v: 1, type: 'events', pid: 10, process: 'app', seq, stacks: [], events, dropped: 0, ...over };
}

const count = (store: Store, sql: string) => (store.db.prepare(sql).pluck().get() as number) ?? 0;

describe('TraceWriter', () => {
  it('interns stacks by content and apis by (hook, signature)', () => {
    const store = openStore(':memory:');
    const runId = newRun(store);
    let sdkCalls = 0;
    const writer = store.traceWriter(runId, {
      attributeSdk: (frames) => {
        sdkCalls++;
        return frames[0]!.startsWith('com.umeng') ? 'umeng' : null;
      },
    });
    const stacks = Array.from({ length: 20 }, (_, i) => ({
      id: i,
      frames: [
        `${i % 2 ? 'com.umeng' : 'com.app'}.C${i}.m(C.java:${i})`,
        'android.os.Handler.dispatch(Handler.java:1)',
      ],
    }));
    for (let b = 0; b < 10; b++) {
      const events = Array.from({ length: 1000 }, (_, i) =>
        ev(T0 + b * 1000 + i, { stack: (b * 1000 + i) % 20 }),
      );
      writer.handle(batch(b + 1, events, { stacks: b === 0 ? stacks : [] }));
    }
    // A second pid sends the same content under other ids: no new rows.
    writer.handle(
      batch(1, [ev(T0 + 20_000, { stack: 7 })], { pid: 11, stacks: [{ id: 7, frames: stacks[3]!.frames }] }),
    );
    writer.flush();
    expect(count(store, 'SELECT count(*) FROM events')).toBe(10_001);
    expect(count(store, 'SELECT count(*) FROM stacks')).toBe(20);
    expect(sdkCalls).toBe(20);
    expect(count(store, 'SELECT count(*) FROM apis')).toBe(1);
    expect(count(store, 'SELECT count(DISTINCT stack_id) FROM events')).toBe(20);
    expect(
      count(store, "SELECT count(*) FROM events e JOIN sdks s ON s.id = e.sdk_id WHERE s.name = 'umeng'"),
    ).toBe(5001);
    expect(writer.stats).toMatchObject({ events: 10_001, committedEvents: 10_001, stacks: 20 });
    store.close();
  });

  it('commits in batches and reports each commit', () => {
    const store = openStore(':memory:');
    const commits: number[] = [];
    const writer = store.traceWriter(newRun(store), {
      batchSize: 2000,
      onCommit: (s) => commits.push(s.committedEvents),
    });
    for (let b = 0; b < 5; b++)
      writer.handle(
        batch(
          b + 1,
          [...Array(1000)].map((_, i) => ev(T0 + i)),
        ),
      );
    expect(commits).toEqual([2000, 4000]);
    expect(count(store, 'SELECT count(*) FROM events')).toBe(4000);
    writer.flush();
    expect(commits).toEqual([2000, 4000, 5000]);
    store.close();
  });

  it('rejects an event whose stack was never sent, keeping nothing of that message', () => {
    const store = openStore(':memory:');
    const writer = store.traceWriter(newRun(store));
    const bad = batch(1, [ev(T0), ev(T0 + 1, { stack: 5 })], { stacks: [{ id: 4, frames: ['a.b(c:1)'] }] });
    expect(() => writer.handle(bad)).toThrow(MessageError);
    expect(() => writer.handle(bad)).toThrow('events[1].stack: stack 5 was never sent by pid 10');
    // stack 4 came with the rejected message, so it is unknown too
    expect(() => writer.handle(batch(2, [ev(T0, { stack: 4 })]))).toThrow(/stack 4 was never sent/);
    // stack ids are per pid
    writer.handle(batch(1, [ev(T0)], { pid: 12, stacks: [{ id: 5, frames: ['x.y(z:1)'] }] }));
    expect(() => writer.handle(batch(3, [ev(T0, { stack: 5 })]))).toThrow(/never sent by pid 10/);
    writer.flush();
    expect(count(store, 'SELECT count(*) FROM events')).toBe(1);
    store.close();
  });

  it('ties events to the step whose [start, end) contains them', () => {
    const store = openStore(':memory:');
    const runId = newRun(store);
    const writer = store.traceWriter(runId);
    const a = writer.beginStep({ kind: 'launch', label: 'open app', phase: 'launch', time: T0 + 100 });
    writer.endStep(a, 'ok', undefined, T0 + 200);
    const b = writer.beginStep({ kind: 'tap', label: 'accept', time: T0 + 300 });
    writer.handle(
      batch(1, [ev(T0 + 50), ev(T0 + 100), ev(T0 + 199), ev(T0 + 200), ev(T0 + 300), ev(T0 + 9999)]),
    );
    writer.endStep(b, 'failed', 'button missing', T0 + 400);
    writer.flush();
    const rows = store.db.prepare('SELECT time_ms - ? AS t, step FROM v_events ORDER BY time_ms').all(T0);
    expect(rows).toEqual([
      { t: 50, step: null },
      { t: 100, step: 'open app' },
      { t: 199, step: 'open app' },
      { t: 200, step: null },
      { t: 300, step: 'accept' },
      { t: 9999, step: null },
    ]);
    expect(store.db.prepare('SELECT idx, outcome, detail FROM steps ORDER BY idx').all()).toEqual([
      { idx: 1, outcome: 'ok', detail: null },
      { idx: 2, outcome: 'failed', detail: 'button missing' },
    ]);
    store.close();
  });

  it('counts dropped events and lost batches per pid', () => {
    const store = openStore(':memory:');
    const runId = newRun(store);
    const writer = store.traceWriter(runId);
    writer.handle(batch(1, [ev(T0)]));
    writer.handle(batch(4, [ev(T0 + 1)], { dropped: 7 }));
    writer.handle(batch(1, [ev(T0 + 2)], { pid: 20 }));
    writer.handle(batch(2, [ev(T0 + 3)], { pid: 20, dropped: 1 }));
    writer.flush();
    expect(store.getRun(runId)).toMatchObject({ events_dropped: 8, batches_lost: 2 });
    store.close();
  });
});

describe('views on a small known trace', () => {
  const open = async () => {
    const store = openStore(':memory:');
    const runId = newRun(store);
    const writer = store.traceWriter(runId, {
      attributeSdk: (frames) => (frames.some((f) => f.startsWith('com.umeng.')) ? 'umeng' : null),
    });
    const result = await ingestFile(SMALL, writer);
    expect(result.malformed).toBe(0);
    return { store, runId };
  };

  it('v_events is readable', async () => {
    const { store, runId } = await open();
    const first = store.db.prepare('SELECT * FROM v_events WHERE run = ? ORDER BY time LIMIT 1').get(runId);
    expect(first).toMatchObject({
      time: '2026-01-01T00:00:01.000Z',
      process: 'com.example.app',
      pid: 100,
      thread: 'main',
      hook: 'telephony.get-imei',
      api: 'android.telephony.TelephonyManager.getImei(int)',
      category: 'device-id',
      phase: 'launch',
      foreground: 1,
      sdk: 'umeng',
      args: '{"slot":0}',
      result: 'string(15)',
      value_hash: '0a1b2c3d4e5f6071',
      raw: null,
    });
    expect((first as { stack: string }).stack.split('\n')[0]).toBe(
      'com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:88)',
    );
    expect(count(store, 'SELECT count(*) FROM v_events')).toBe(7);
    // the same stack content from two pids is one row
    expect(count(store, 'SELECT count(*) FROM stacks')).toBe(2);
    store.close();
  });

  it('v_category_phase, v_first_access, v_sdk_accesses, v_hook_coverage', async () => {
    const { store, runId } = await open();
    const q = (sql: string) => store.db.prepare(sql).all(runId);
    expect(
      q('SELECT category, phase, accesses FROM v_category_phase WHERE run = ? ORDER BY category, phase'),
    ).toEqual([
      { category: 'clipboard', phase: 'background', accesses: 1 },
      { category: 'contacts', phase: 'background', accesses: 1 },
      { category: 'device-id', phase: 'background', accesses: 1 },
      { category: 'device-id', phase: 'consent', accesses: 1 },
      { category: 'device-id', phase: 'launch', accesses: 1 },
      { category: 'location', phase: 'background', accesses: 1 },
      { category: 'location', phase: 'launch', accesses: 1 },
    ]);
    expect(
      q(
        "SELECT phase, first_at, last_at FROM v_category_phase WHERE run = ? AND category = 'device-id' ORDER BY first_at",
      ),
    ).toEqual([
      { phase: 'launch', first_at: '2026-01-01T00:00:01.000Z', last_at: '2026-01-01T00:00:01.000Z' },
      { phase: 'consent', first_at: '2026-01-01T00:00:01.020Z', last_at: '2026-01-01T00:00:01.020Z' },
      { phase: 'background', first_at: '2026-01-01T00:00:01.070Z', last_at: '2026-01-01T00:00:01.070Z' },
    ]);
    expect(
      q('SELECT category, first_at, hook, phase, sdk FROM v_first_access WHERE run = ? ORDER BY first_ms'),
    ).toEqual([
      {
        category: 'device-id',
        first_at: '2026-01-01T00:00:01.000Z',
        hook: 'telephony.get-imei',
        phase: 'launch',
        sdk: 'umeng',
      },
      {
        category: 'location',
        first_at: '2026-01-01T00:00:01.010Z',
        hook: 'location.get-last-known',
        phase: 'launch',
        sdk: null,
      },
      {
        category: 'contacts',
        first_at: '2026-01-01T00:00:01.050Z',
        hook: 'contacts.query',
        phase: 'background',
        sdk: 'umeng',
      },
      {
        category: 'clipboard',
        first_at: '2026-01-01T00:00:01.060Z',
        hook: 'clipboard.get-text',
        phase: 'background',
        sdk: null,
      },
    ]);
    expect(
      q('SELECT sdk, category, accesses FROM v_sdk_accesses WHERE run = ? ORDER BY sdk, category'),
    ).toEqual([
      { sdk: null, category: 'clipboard', accesses: 1 },
      { sdk: null, category: 'location', accesses: 2 },
      { sdk: 'umeng', category: 'contacts', accesses: 1 },
      { sdk: 'umeng', category: 'device-id', accesses: 3 },
    ]);
    expect(q('SELECT state, count FROM v_hook_coverage WHERE run = ? ORDER BY state')).toEqual([
      { state: 'class-missing', count: 1 },
      { state: 'failed', count: 1 },
      { state: 'installed', count: 3 },
    ]);
    expect(store.getRun(runId)).toMatchObject({ events_dropped: 3, batches_lost: 1, agent_version: '0.1.0' });
    expect(q('SELECT kind FROM lifecycle WHERE run_id = ?')).toEqual([{ kind: 'background' }]);
    expect(q('SELECT hook FROM agent_errors WHERE run_id = ?')).toEqual([{ hook: 'camera.open' }]);
    expect(q('SELECT pid, name, api_level FROM processes WHERE run_id = ? ORDER BY pid')).toEqual([
      { pid: 100, name: 'com.example.app', api_level: 33 },
      { pid: 101, name: 'com.example.app:push', api_level: 33 },
    ]);
    store.close();
  });
});
