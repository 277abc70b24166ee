// The simulated device with the real agent bundle running in harness/simulation/runtime: model calls reach
// the agent's hooks and its messages reach the spawn callback, with the model's stacks.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentMessage, EventRecord, EventsMessage, StackRecord } from '../agent/protocol/messages.ts';
import { parseAgentMessage } from '../harness/protocol/validate.ts';
import { loadAppModel } from '../harness/simulation/apps/model-load.ts';
import type { VirtualClock } from '../harness/simulation/device/clock.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';

const DEMO = loadAppModel(join(import.meta.dirname, '..', 'scenarios', 'models', 'demo-game.yaml'));
const PKG = DEMO.packageName;
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

interface Seen {
  process: string;
  message: AgentMessage;
}

async function spawnDemo() {
  const device = new SimDevice({ clock: 'virtual', agentPath, appiumHelpers: true });
  await device.install(DEMO);
  const seen: Seen[] = [];
  const detached: string[] = [];
  const agentErrors: string[] = [];
  const session = await device.spawn(PKG, {
    agentSource: agentPath,
    // Every message must pass the harness's own protocol validation.
    onMessage: (m, p) => seen.push({ process: p.name, message: parseAgentMessage(m) }),
    onAgentError: (e) => agentErrors.push(e),
    onDetach: (r, p) => detached.push(`${p.name}:${r}`),
  });
  await session.resume();
  return { device, session, seen, detached, agentErrors, clock: device.clock as VirtualClock };
}

function events(seen: Seen[], process = PKG): { event: EventRecord; stacks: Map<number, StackRecord> }[] {
  const stacks = new Map<number, StackRecord>();
  const out: { event: EventRecord; stacks: Map<number, StackRecord> }[] = [];
  for (const s of seen) {
    if (s.process !== process || s.message.type !== 'events') continue;
    const batch = s.message as EventsMessage;
    for (const st of batch.stacks) stacks.set(st.id, st);
    for (const e of batch.events) out.push({ event: e, stacks });
  }
  return out;
}

describe('simulated device running the agent', () => {
  it('delivers the on-start IMEI read with the model stack, thread and phase', async () => {
    const { session, seen, agentErrors } = await spawnDemo();
    session.flush();
    expect(seen.filter((s) => s.message.type === 'hello').map((s) => s.process)).toEqual([
      PKG,
      `${PKG}:push`,
    ]);
    const imei = events(seen).find((e) => e.event.hook === 'telephony.get-imei');
    expect(imei?.event).toMatchObject({
      category: 'device-id',
      thread: 'pool-3-thread-1',
      foreground: false,
      phase: 'pre-consent',
    });
    const frames = imei?.stacks.get(imei.event.stack ?? -1)?.frames ?? [];
    expect(frames[0]).toMatch(
      /^com\.bytedance\.sdk\.openadsdk\.[\w.]+\.ImeiTracker\.[a-f]\(Unknown Source:\d+\)$/,
    );
    expect(frames.at(-1)).toBe('java.lang.Thread.run(Thread.java:1012)');
    // The native /proc/net/arp read by the analytics SDK is seen too.
    expect(
      events(seen).some(
        (e) => e.event.hook === 'native.open' && (e.event.args ?? '').includes('/proc/net/arp'),
      ),
    ).toBe(true);
    // A bundled SDK class (the MSA OAID SDK) is loaded on first use, so its lazy hook fires.
    expect(events(seen).find((e) => e.event.hook === 'oaid.msa-init-sdk')?.event.category).toBe('device-id');
    expect(agentErrors).toEqual([]);
    expect(session.app?.callErrors).toEqual([]);
  });

  it('reports the push process notifications on the virtual clock and lifecycle on home', async () => {
    const { device, session, seen, clock } = await spawnDemo();
    await clock.sleep(120_000);
    session.flush();
    const notes = events(seen, `${PKG}:push`).filter((e) => e.event.hook === 'notification.notify');
    expect(notes).toHaveLength(6);
    expect(notes.map((n) => n.event.time - (notes[0]?.event.time ?? 0))).toEqual([
      0, 20_000, 40_000, 60_000, 80_000, 100_000,
    ]);
    const ui = await device.ui();
    await ui.tap({ by: 'text', value: "Don't allow" });
    await ui.home();
    await clock.sleep(1_000); // background is declared 700 ms after the last pause
    session.flush();
    const kinds = seen.flatMap((s) =>
      s.message.type === 'lifecycle' && s.process === PKG ? [s.message.kind] : [],
    );
    expect(kinds).toContain('background');
    expect(kinds.indexOf('background')).toBeGreaterThan(kinds.indexOf('foreground'));
  });

  it('answers rpc per process and reports a crash as a detach of every process', async () => {
    const { device, session, detached } = await spawnDemo();
    expect(await session.rpc().ping()).toBe('pong');
    await session.rpc().setPhase('post-consent');
    expect((await session.rpc().status()).phase).toBe('post-consent');
    expect((await session.rpc(`${PKG}:push`).status()).process).toBe(`${PKG}:push`);
    device.crash(PKG);
    expect(detached).toEqual([`${PKG}:process-terminated`, `${PKG}:push:process-terminated`]);
    await expect(session.rpc().ping()).rejects.toThrow(/session detached \(process-terminated\)/);
  });
});
