// The path of one sensitive call end to end: TelephonyManager.getImei() in the simulated app →
// the real agent bundle's hook → the exact `events` message the host receives.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventsMessage } from '../agent/protocol/messages.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const IMEI = '867530912345678';
const STACK = [
  'com.umeng.commonsdk.statistics.idtracking.ImeiTracker.f(Unknown Source:12)',
  'com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:120)',
  'com.example.app.App.onCreate(App.java:30)',
];
const TM = 'android.telephony.TelephonyManager';

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

function start(): { rt: SimRuntime; clock: ManualClock } {
  const clock = new ManualClock();
  const rt = createSimRuntime({ packageName: 'com.example.app', pid: 3117, clock });
  rt.loadAgent(agentPath);
  return { rt, clock };
}

function batches(rt: SimRuntime): EventsMessage[] {
  return rt.ofType('events');
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

describe('getImei through the agent', () => {
  it('says hello first, then reports every hook status', () => {
    const { rt } = start();
    expect(rt.messages[0]).toMatchObject({
      type: 'hello',
      v: 1,
      pid: 3117,
      process: 'com.example.app',
      apiLevel: 34,
    });
    const status = rt.ofType('hook-status')[0];
    const imei = status?.statuses.find((s) => s.hook === 'telephony.get-imei');
    expect(imei).toMatchObject({ state: 'installed', overloads: 2 });
    expect(imei?.detail).toContain('android.telephony.TelephonyManager.getImei(int)');
  });

  it('delivers the exact event, hashed, with its stack sent once', () => {
    const { rt, clock } = start();
    rt.rpc.configure({ hashSalt: 'db-salt-1' });
    const seen = rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'umeng-worker' });
    expect(seen).toBe(IMEI); // the app gets the original value, unchanged
    expect(batches(rt)).toHaveLength(0); // batched: nothing before the flush interval
    clock.advance(250);
    const [first] = batches(rt);
    expect(first).toEqual({
      v: 1,
      type: 'events',
      pid: 3117,
      process: 'com.example.app',
      seq: 1,
      dropped: 0,
      stacks: [{ id: 1, frames: STACK }],
      events: [
        {
          time: clock.now() - 250,
          hook: 'telephony.get-imei',
          category: 'device-id',
          api: 'android.telephony.TelephonyManager.getImei()',
          result: 'string(15)',
          valueHash: sha(`db-salt-1${IMEI}`),
          thread: 'umeng-worker',
          foreground: false,
          phase: 'pre-consent',
          stack: 1,
          ref: 1, // the value is kept for matching outgoing traffic (never sent)
        },
      ],
    });
    expect(JSON.stringify(rt.messages)).not.toContain(IMEI);

    // Consent given: the next identical call shows the new phase and reuses stack 1 without resending it.
    rt.rpc.setPhase('post-consent');
    expect(rt.ofType('lifecycle').at(-1)).toMatchObject({ kind: 'phase', detail: 'post-consent' });
    rt.app.call(TM, 'getImei', {
      overload: ['int'],
      args: [0],
      result: IMEI,
      stack: STACK,
      thread: 'umeng-worker',
    });
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'umeng-worker' });
    clock.advance(250);
    const second = batches(rt)[1];
    expect(second?.seq).toBe(2);
    expect(second?.stacks).toEqual([]);
    expect(second?.events.map((e) => [e.api, e.phase, e.stack, e.valueHash])).toEqual([
      ['android.telephony.TelephonyManager.getImei(int)', 'post-consent', 1, sha(`db-salt-1${IMEI}`)],
      ['android.telephony.TelephonyManager.getImei()', 'post-consent', 1, sha(`db-salt-1${IMEI}`)],
    ]);
  });

  it('sends the raw value only when configured, and no stack when stacks are off', () => {
    const { rt } = start();
    rt.rpc.configure({ rawValues: true, captureStacks: false });
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK });
    expect(rt.rpc.flush()).toBe(1);
    const event = batches(rt)[0]?.events[0];
    expect(event?.raw).toBe(IMEI);
    expect(event?.valueHash).toBe(sha(IMEI));
    expect(event?.stack).toBeUndefined();
  });

  it('keeps an app frame named like the hooked method (only the hook own frame is skipped)', () => {
    const { rt } = start();
    const wrapper = ['com.example.app.DeviceUtil.getImei(DeviceUtil.java:9)', ...STACK];
    rt.app.call(TM, 'getImei', { result: IMEI, stack: wrapper });
    rt.rpc.flush();
    expect(batches(rt)[0]?.stacks[0]?.frames).toEqual(wrapper);
  });

  it('a different caller gets a new stack id', () => {
    const { rt } = start();
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK });
    rt.app.call(TM, 'getImei', { result: IMEI, stack: ['com.example.app.Main.onCreate(Main.java:5)'] });
    rt.rpc.flush();
    const batch = batches(rt)[0];
    expect(batch?.stacks.map((s) => s.id)).toEqual([1, 2]);
    expect(batch?.events.map((e) => e.stack)).toEqual([1, 2]);
  });

  it('a screen switch (pause A, resume B) never reads as background', () => {
    const { rt, clock } = start();
    rt.app.resume('com.example.app.MainActivity');
    rt.app.pause('com.example.app.MainActivity');
    rt.app.resume('com.example.app.SettingsActivity');
    rt.app.call(TM, 'getImei', { result: IMEI });
    clock.advance(5_000);
    rt.rpc.flush();
    const imei = batches(rt).flatMap((b) => b.events.filter((e) => e.hook === 'telephony.get-imei'));
    expect(imei.map((e) => e.foreground)).toEqual([true]);
    expect(rt.ofType('lifecycle').map((m) => m.kind)).toEqual(['activity', 'foreground', 'activity']);
  });

  it('tracks foreground from Activity.onResume/onPause and drops disabled categories', () => {
    const { rt, clock } = start();
    rt.app.start('com.example.app.App');
    rt.app.resume('com.example.app.MainActivity');
    rt.app.call(TM, 'getImei', { result: IMEI });
    rt.app.pause('com.example.app.MainActivity');
    const pausedAt = clock.now();
    // Background is declared only after 700 ms without a resumed activity (ProcessLifecycleOwner).
    clock.advance(700);
    rt.app.call(TM, 'getImei', { result: IMEI });
    rt.rpc.configure({ disabledCategories: ['device-id'] });
    rt.app.call(TM, 'getImei', { result: IMEI });
    rt.rpc.flush();
    const imei = batches(rt).flatMap((b) => b.events.filter((e) => e.hook === 'telephony.get-imei'));
    expect(imei.map((e) => e.foreground)).toEqual([true, false]);
    expect(rt.ofType('lifecycle').map((m) => [m.kind, m.detail])).toEqual([
      ['app-start', 'com.example.app.App'],
      ['activity', 'com.example.app.MainActivity'],
      ['foreground', 'com.example.app.MainActivity'],
      ['background', 'com.example.app.MainActivity'],
    ]);
    const status = rt.rpc.status();
    expect(rt.ofType('lifecycle').find((m) => m.kind === 'background')?.time).toBe(pausedAt);
    expect(status).toMatchObject({ foreground: false, phase: 'pre-consent', eventsSent: status.eventsSeen });
    // app-start, onResume, getImei, onPause, getImei; the disabled category never became an event.
    expect(status.eventsSeen).toBe(5);
  });

  it('summarises each result by its own length, short or long, however often a length repeats', () => {
    const { rt } = start();
    const lengths = [15, 0, 15, 255, 256, 300, 15, 1, 256];
    for (const n of lengths) rt.app.call(TM, 'getImei', { result: '8'.repeat(n) });
    rt.rpc.flush();
    const events = batches(rt).flatMap((b) => b.events);
    expect(events.map((e) => e.result)).toEqual(lengths.map((n) => `string(${n})`));
  });

  it('reports a call whose original threw, and rethrows the same exception', () => {
    const { rt } = start();
    const denied = new Error(
      'java.lang.SecurityException: getImeiForSlot: The user 10123 does not meet the requirements',
    );
    expect(() => rt.app.call(TM, 'getImei', { throws: denied, stack: STACK })).toThrow(denied);
    rt.rpc.flush();
    expect(batches(rt)[0]?.events[0]).toMatchObject({ hook: 'telephony.get-imei', result: 'threw' });
    expect(batches(rt)[0]?.events[0]?.valueHash).toBeUndefined();
  });
});
