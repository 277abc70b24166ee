// Which engine the agent asks Frida for: QuickJS by default (in every Frida build), V8 on request,
// and a clear error naming the fix when the server was built without V8.
import { describe, expect, it } from 'vitest';
import { FridaAppSession } from '../harness/device/android/frida-session.ts';
import { DeviceError } from '../harness/errors.ts';
import { FakeDevice } from './helpers/frida-double.ts';

const opts = { agentSource: 'rpc.exports = {};', onMessage: () => undefined };

describe('the agent’s JavaScript engine on a device', () => {
  it('asks for QuickJS unless told otherwise', async () => {
    const device = new FakeDevice();
    await FridaAppSession.spawn(device, 'com.example.shop', opts);
    expect(device.sessions.get(4321)?.runtimes).toEqual(['qjs']);
  });

  it('asks for V8 when the run says so', async () => {
    const device = new FakeDevice();
    await FridaAppSession.spawn(device, 'com.example.shop', { ...opts, jsRuntime: 'v8' });
    expect(device.sessions.get(4321)?.runtimes).toEqual(['v8']);
  });

  it('a server without V8: one error with the fix, and the suspended app is killed', async () => {
    const device = new FakeDevice();
    device.hasV8 = false;
    const err = await FridaAppSession.spawn(device, 'com.example.shop', { ...opts, jsRuntime: 'v8' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as Error).message).toMatch(/no V8 .*v8 runtime not available.*--js-runtime qjs/);
    expect(device.calls).toContain('kill 4321');
  });
});
