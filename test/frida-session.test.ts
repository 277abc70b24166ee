// The Frida session adapter against a TEST DOUBLE of the frida API, shaped like the vendored
// typings (types/frida/): Device.spawn/attach/resume/enableSpawnGating + childAdded/spawnAdded
// signals, Session.enableChildGating/createScript/detach + detached, Script.load/unload/exports/message.
import type * as Frida from 'frida';
import { describe, expect, it } from 'vitest';
import {
  belongsTo,
  FridaAppSession,
  type FridaDeviceApi,
  type FridaScriptApi,
  type FridaSessionApi,
  toDetachReason,
} from '../harness/device/android/frida-session.ts';
import type { DetachReason, ProcessInfo } from '../harness/device/types.ts';
import { DeviceError } from '../harness/errors.ts';

type Handler = (...args: never[]) => void;

class FakeSignal<H extends Handler> {
  readonly handlers: H[] = [];
  connect(h: H): void {
    this.handlers.push(h);
  }
  disconnect(h: H): void {
    const i = this.handlers.indexOf(h);
    if (i >= 0) this.handlers.splice(i, 1);
  }
  emit(...args: Parameters<H>): void {
    for (const h of [...this.handlers]) h(...args);
  }
}

class FakeScript implements FridaScriptApi {
  readonly message = new FakeSignal<Frida.ScriptMessageHandler>();
  readonly exports: Frida.ScriptExports;
  constructor(
    private readonly calls: string[],
    readonly pid: number,
    readonly source: string,
  ) {
    this.exports = {
      ping: async () => `pong from ${pid}`,
      flush: async () => 7,
      setPhase: async (name: string) => {
        calls.push(`rpc setPhase ${name} @${pid}`);
      },
    };
  }
  async load(): Promise<void> {
    this.calls.push(`load ${this.pid}`);
  }
  async unload(): Promise<void> {
    this.calls.push(`unload ${this.pid}`);
  }
  send(payload: unknown): void {
    this.message.emit({ type: 'send', payload } as Frida.SendMessage, null);
  }
  error(description: string): void {
    this.message.emit(
      { type: 'error', description, fileName: 'agent.js', lineNumber: 3 } as Frida.ErrorMessage,
      null,
    );
  }
}

class FakeSession implements FridaSessionApi {
  readonly detached = new FakeSignal<Frida.SessionDetachedHandler>();
  script: FakeScript | undefined;
  constructor(
    private readonly calls: string[],
    readonly pid: number,
  ) {}
  persistTimeout = 0;
  async enableChildGating(): Promise<void> {
    this.calls.push(`enableChildGating ${this.pid}`);
  }
  async createScript(source: string): Promise<FakeScript> {
    this.calls.push(`createScript ${this.pid}`);
    this.script = new FakeScript(this.calls, this.pid, source);
    return this.script;
  }
  async detach(): Promise<void> {
    this.calls.push(`detach ${this.pid}`);
    this.detached.emit('application-requested' as Frida.SessionDetachReason, null);
  }
}

class FakeDevice implements FridaDeviceApi {
  readonly id = 'emulator-5554';
  readonly calls: string[] = [];
  readonly sessions = new Map<number, FakeSession>();
  readonly childAdded = new FakeSignal<Frida.ChildAddedHandler>();
  readonly spawnAdded = new FakeSignal<Frida.SpawnAddedHandler>();
  failSpawn = false;
  async spawn(program: string | string[]): Promise<number> {
    if (this.failSpawn) throw new Error('Unable to find application with identifier');
    this.calls.push(`spawn ${String(program)}`);
    return 4321;
  }
  async attach(pid: number): Promise<FakeSession> {
    this.calls.push(`attach ${pid}`);
    const s = new FakeSession(this.calls, pid);
    this.sessions.set(pid, s);
    return s;
  }
  async resume(pid: number | string): Promise<void> {
    this.calls.push(`resume ${pid}`);
  }
  async enableSpawnGating(): Promise<void> {
    this.calls.push('enableSpawnGating');
  }
  async disableSpawnGating(): Promise<void> {
    this.calls.push('disableSpawnGating');
  }
  addChild(pid: number, identifier: string): void {
    this.childAdded.emit({
      pid,
      parentPid: 4321,
      identifier,
      path: '/system/bin/app_process64',
    } as unknown as Frida.Child);
  }
  addSpawn(pid: number, identifier: string): void {
    this.spawnAdded.emit({ pid, identifier } as unknown as Frida.Spawn);
  }
}

function harness() {
  const device = new FakeDevice();
  const messages: [unknown, ProcessInfo][] = [];
  const errors: string[] = [];
  const detaches: [DetachReason, string][] = [];
  const opts = {
    agentSource: 'rpc.exports = {};',
    onMessage: (m: unknown, p: ProcessInfo) => messages.push([m, p]),
    onAgentError: (d: string) => errors.push(d),
    onDetach: (r: DetachReason, p: ProcessInfo) => detaches.push([r, p.name]),
  };
  return { device, messages, errors, detaches, opts };
}

describe('FridaAppSession', () => {
  it('spawns, attaches, loads the agent and only then resumes', async () => {
    const { device, opts } = harness();
    const s = await FridaAppSession.spawn(device, 'com.example.shop', opts);
    expect(device.calls).toEqual([
      'spawn com.example.shop',
      'enableSpawnGating',
      'attach 4321',
      'enableChildGating 4321',
      'createScript 4321',
      'load 4321',
    ]);
    expect(device.sessions.get(4321)?.script?.source).toBe('rpc.exports = {};');
    await s.resume();
    await s.resume();
    expect(device.calls.slice(6)).toEqual(['resume 4321']);
    expect(s.processes()).toEqual([{ name: 'com.example.shop', pid: 4321 }]);
  });

  it('delivers send payloads with their process and reports script errors', async () => {
    const { device, opts, messages, errors } = harness();
    await FridaAppSession.spawn(device, 'com.example.shop', opts);
    const script = device.sessions.get(4321)?.script;
    script?.send({ v: 1, type: 'hello', pid: 4321 });
    script?.error('TypeError: cannot read property');
    expect(messages).toEqual([
      [
        { v: 1, type: 'hello', pid: 4321 },
        { name: 'com.example.shop', pid: 4321 },
      ],
    ]);
    expect(errors).toEqual(['TypeError: cannot read property (agent.js:3)']);
  });

  it('instruments gated children and :push sub-processes before resuming them; others run untouched', async () => {
    const { device, opts, messages } = harness();
    const s = await FridaAppSession.spawn(device, 'com.example.shop', opts);
    device.calls.length = 0;
    device.addChild(5000, 'com.example.shop');
    device.addSpawn(5001, 'com.example.shop:push');
    device.addSpawn(6000, 'com.other.app');
    await s.settle();
    expect(device.calls.filter((c) => c.includes('5000'))).toEqual([
      'attach 5000',
      'enableChildGating 5000',
      'createScript 5000',
      'load 5000',
      'resume 5000',
    ]);
    expect(device.calls.filter((c) => c.includes('5001'))).toEqual([
      'attach 5001',
      'enableChildGating 5001',
      'createScript 5001',
      'load 5001',
      'resume 5001',
    ]);
    expect(device.calls.filter((c) => c.includes('6000'))).toEqual(['resume 6000']);
    device.sessions.get(5001)?.script?.send('from push');
    expect(messages.at(-1)).toEqual(['from push', { name: 'com.example.shop:push', pid: 5001 }]);
    expect(await s.rpc('com.example.shop:push').ping()).toBe('pong from 5001');
    expect(await s.rpc().flush()).toBe(7);
    await s.rpc().setPhase('login');
    expect(device.calls).toContain('rpc setPhase login @4321');
    await expect(s.rpc().status()).rejects.toThrow(/no rpc export 'status'/);
    expect(() => s.rpc('com.example.shop:remote')).toThrow(DeviceError);
  });

  it('records each process detach reason once and surfaces the main one', async () => {
    const { device, opts, detaches } = harness();
    const s = await FridaAppSession.spawn(device, 'com.example.shop', opts);
    device.addSpawn(5001, 'com.example.shop:push');
    await s.settle();
    expect(s.detachReason).toBeUndefined();
    device.sessions.get(5001)?.detached.emit('process-terminated' as Frida.SessionDetachReason, null);
    device.sessions.get(4321)?.detached.emit('device-lost' as Frida.SessionDetachReason, null);
    device.sessions.get(4321)?.detached.emit('process-terminated' as Frida.SessionDetachReason, null);
    expect(s.detachReason).toBe('device-lost');
    expect(detaches).toEqual([
      ['process-terminated', 'com.example.shop:push'],
      ['device-lost', 'com.example.shop'],
    ]);
    expect(s.processes()).toEqual([]);
    expect([...s.detachReasons()]).toEqual([
      ['com.example.shop', 'device-lost'],
      ['com.example.shop:push', 'process-terminated'],
    ]);
  });

  it('detach() unloads, detaches (application-requested) and stops gating', async () => {
    const { device, opts, detaches } = harness();
    const s = await FridaAppSession.spawn(device, 'com.example.shop', opts);
    device.calls.length = 0;
    await s.detach();
    expect(device.calls).toEqual(['disableSpawnGating', 'unload 4321', 'detach 4321']);
    expect(s.detachReason).toBe('application-requested');
    expect(detaches).toEqual([['application-requested', 'com.example.shop']]);
    expect(device.childAdded.handlers).toHaveLength(0);
    expect(device.spawnAdded.handlers).toHaveLength(0);
  });

  it('a failed spawn is a DeviceError naming device and package', async () => {
    const { device, opts } = harness();
    device.failSpawn = true;
    await expect(FridaAppSession.spawn(device, 'com.example.shop', opts)).rejects.toThrow(
      /^emulator-5554: frida could not spawn com.example.shop: Unable to find application/,
    );
  });

  it('maps detach reasons and process names', () => {
    expect(toDetachReason('process-replaced')).toBe('process-replaced');
    expect(toDetachReason('something-new')).toBe('connection-terminated');
    expect(belongsTo('com.a', 'com.a:remote')).toBe(true);
    expect(belongsTo('com.a', 'com.ab')).toBe(false);
  });
});
