// What Frida and the device report, against the frida double (test/helpers/frida-double.ts) that
// behaves as frida-server does (issue 10, behaviours 2, 3 and 9): helpers adopted through spawn
// gating get the run's settings before they resume; rpc reaches only live processes; a relaunch
// leaves no old session attached; processCrashed and spawnGatingDisabled (frida 17.18,
// types/frida/frida_binding.d.ts) are handled; a process whose instrumentation failed is killed.
import { describe, expect, it } from 'vitest';
import { Adb } from '../harness/device/android/adb.ts';
import { AndroidDevice } from '../harness/device/android/android-device.ts';
import type { FridaModule } from '../harness/device/android/frida-load.ts';
import { parseFridaServerPids } from '../harness/device/android/frida-server-running.ts';
import { FridaAppSession } from '../harness/device/android/frida-session.ts';
import type { CrashEvent, ProcessInfo, SpawnOptions } from '../harness/device/types.ts';
import { DeviceError } from '../harness/errors.ts';
import { FakeDevice } from './helpers/frida-double.ts';

const PKG = 'com.example.shop';

function options(device: FakeDevice) {
  const messages: [unknown, string][] = [];
  const crashes: CrashEvent[] = [];
  const degraded: string[] = [];
  let phase = 'pre-consent';
  const opts: SpawnOptions = {
    agentSource: 'rpc.exports = {};',
    onMessage: (m: unknown, p: ProcessInfo) => messages.push([m, `${p.name}#${p.pid}`]),
    prepare: async (_p, rpc) => {
      await rpc.configure({ hashSalt: 'salt', rawValues: false });
      await rpc.setPhase(phase);
    },
    onCrash: (c) => crashes.push(c),
    onDegraded: (m) => degraded.push(m),
  };
  return {
    opts,
    messages,
    crashes,
    degraded,
    device,
    setPhase: (p: string) => {
      phase = p;
    },
  };
}

describe('helpers that start later (spawn gating)', () => {
  it('a :push helper gets salt and phase BEFORE it resumes', async () => {
    const t = options(new FakeDevice());
    const s = await FridaAppSession.spawn(t.device, PKG, t.opts);
    await s.resume();
    t.setPhase('post-consent');
    t.device.calls.length = 0;
    const pid = t.device.startProcess(`${PKG}:push`);
    await s.settle();
    expect(t.device.calls).toEqual([
      `attach ${pid}`,
      `enableChildGating ${pid}`,
      `createScript ${pid}`,
      `load ${pid}`,
      `rpc configure @${pid}`,
      `rpc setPhase post-consent @${pid}`,
      `resume ${pid}`,
    ]);
  });

  it('a helper killed and restarted: rpc reaches the live one, never the dead one', async () => {
    const t = options(new FakeDevice());
    const s = await FridaAppSession.spawn(t.device, PKG, t.opts);
    await s.resume();
    const first = t.device.startProcess(`${PKG}:push`);
    await s.settle();
    t.device.end(first, 'process-terminated');
    expect(s.processes().map((p) => p.pid)).not.toContain(first);
    const second = t.device.startProcess(`${PKG}:push`);
    await s.settle();
    expect(await s.rpc(`${PKG}:push`).ping()).toBe(`pong from ${second}`);
    await s.rpc(`${PKG}:push`).setPhase('later');
    expect(t.device.calls).toContain(`rpc setPhase later @${second}`);
  });
});

/** The device's shell as the running-server check sees it: a root shell, one frida-server. */
function deviceShell(serverVersion: string, calls: string[] = []) {
  return async (args: readonly string[]) => {
    const cmd = args[2] === 'shell' ? (args[3] ?? '') : args.slice(2).join(' ');
    calls.push(cmd);
    const answers: Record<string, string> = {
      'ps -A -o PID,ARGS':
        '  PID ARGS\n    1 /init second_stage\n  812 /data/local/tmp/frida-server -D -l 127.0.0.1:27042\n 4400 com.example.shop\n',
      id: 'uid=0(root) gid=0(root)',
      getprop: '[ro.product.cpu.abi]: [x86_64]\n[ro.debuggable]: [1]\n',
      '/proc/812/exe --version': `${serverVersion}\n`,
    };
    return { stdout: answers[cmd] ?? '', stderr: '' };
  };
}

async function androidDevice(fake: FakeDevice, serverVersion = '17.18.0', calls: string[] = []) {
  const frida = { getDevice: async () => fake } as unknown as FridaModule;
  const adb = new Adb(deviceShell(serverVersion, calls), 'emulator-5554');
  return new AndroidDevice(adb, { loadFrida: async () => frida, fridaVersion: '17.18.0' });
}

describe('the RUNNING frida-server is checked at run start', () => {
  it('a server of another version still running (new binary pushed, never restarted) stops the run', async () => {
    const fake = new FakeDevice();
    const device = await androidDevice(fake, '16.5.2');
    const t = options(fake);
    await expect(device.spawn(PKG, t.opts)).rejects.toThrow(
      /the running frida-server is 16\.5\.2 \(pid 812\), the frida package is 17\.18\.0: run `overreach device prepare/,
    );
    expect(fake.calls).toEqual([]);
  });

  it('the matching server passes, checked once per device', async () => {
    const fake = new FakeDevice();
    const calls: string[] = [];
    const device = await androidDevice(fake, '17.18.0', calls);
    const t = options(fake);
    await (await device.spawn(PKG, t.opts)).resume();
    await (await device.spawn(PKG, t.opts)).resume();
    expect(calls.filter((c) => c === '/proc/812/exe --version')).toHaveLength(1);
    await device.close();
  });

  it('parses ps output: only frida-server processes', () => {
    expect(
      parseFridaServerPids(
        '  PID ARGS\n  812 /data/local/tmp/frida-server -D\n  900 frida-server-17.18.0-android-x86_64\n 1000 /system/bin/grep frida-server\n',
      ),
    ).toEqual([812, 900]);
  });
});

describe('relaunch leaves no old session attached', () => {
  it('spawning the app again: one agent per helper, one resume, one event per call', async () => {
    const fake = new FakeDevice();
    const device = await androidDevice(fake);
    const t = options(fake);
    const a = await device.spawn(PKG, t.opts);
    await a.resume();
    const b = await device.spawn(PKG, t.opts);
    await b.resume();
    expect(a.detachReason).toBeDefined();
    fake.calls.length = 0;
    const pid = fake.startProcess(`${PKG}:push`);
    await (b as FridaAppSession).settle();
    await (a as FridaAppSession).settle();
    expect(fake.calls.filter((c) => c === `attach ${pid}`)).toHaveLength(1);
    expect(fake.calls.filter((c) => c === `resume ${pid}`)).toHaveLength(1);
    fake.appCall(pid, { type: 'event', n: 1 });
    expect(t.messages.filter(([m]) => (m as { n?: number }).n === 1)).toHaveLength(1);
    // The old session's end must not switch spawn gating off under the new one.
    await a.detach();
    expect(fake.gating).toBe(true);
    await device.close();
  });
});

describe('frida 17.18 device signals', () => {
  it('processCrashed of an app process is reported as a crash, once', async () => {
    const t = options(new FakeDevice());
    const s = await FridaAppSession.spawn(t.device, PKG, t.opts);
    await s.resume();
    t.device.crash(s.pid, 'SIGSEGV in libgame.so');
    expect(t.crashes).toHaveLength(1);
    expect(t.crashes[0]).toMatchObject({ kind: 'native-crash', process: PKG, pid: s.pid });
    expect(t.crashes[0]?.detail).toMatch(/^SIGSEGV in libgame.so/);
  });

  it('spawn gating switched off by the watchdog: degraded coverage, gating back on for the next helper', async () => {
    const t = options(new FakeDevice());
    const s = await FridaAppSession.spawn(t.device, PKG, t.opts);
    await s.resume();
    t.device.gatingTimedOut();
    await s.settle();
    expect(t.degraded.join('\n')).toMatch(/spawn gating.*watchdog-timeout/);
    expect(t.device.gating).toBe(true);
    t.device.startProcess(`${PKG}:push`);
    await s.settle();
    expect(t.device.uninstrumented).toEqual([]);
    expect(s.processes().map((p) => p.name)).toContain(`${PKG}:push`);
  });

  it('the app process whose instrumentation failed is killed, not left suspended', async () => {
    const t = options(new FakeDevice());
    t.device.failScriptFor.add(4321);
    await expect(FridaAppSession.spawn(t.device, PKG, t.opts)).rejects.toThrow(DeviceError);
    expect(t.device.calls).toContain('kill 4321');
    expect(t.device.procs.get(4321)?.alive).toBe(false);
  });

  it('a helper whose instrumentation failed is killed and reported, not run unseen', async () => {
    const t = options(new FakeDevice());
    const s = await FridaAppSession.spawn(t.device, PKG, t.opts);
    await s.resume();
    t.device.failScriptFor.add(4322);
    const pid = t.device.startProcess(`${PKG}:push`);
    expect(pid).toBe(4322);
    await s.settle();
    expect(t.device.calls).toContain(`kill ${pid}`);
    expect(t.device.calls).not.toContain(`resume ${pid}`);
    expect(t.degraded.join('\n')).toMatch(/com.example.shop:push.*not instrumented/);
  });
});
