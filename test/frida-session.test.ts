// The Frida session adapter against the TEST DOUBLE of the frida API (helpers/frida-double.ts), shaped like the vendored
// typings (types/frida/): Device.spawn/attach/resume/enableSpawnGating + childAdded/spawnAdded
// signals, Session.enableChildGating/createScript/detach + detached, Script.load/unload/exports/message.
import type * as Frida from 'frida';
import { describe, expect, it } from 'vitest';
import { belongsTo, FridaAppSession, toDetachReason } from '../harness/device/android/frida-session.ts';
import type { DetachReason, ProcessInfo } from '../harness/device/types.ts';
import { DeviceError } from '../harness/errors.ts';
import { FakeDevice } from './helpers/frida-double.ts';

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
