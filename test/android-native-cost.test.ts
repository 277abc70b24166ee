// Native hooks at their real cost. On a device libc's ioctl runs for every Binder transaction
// (each framework call to a system service), open/fopen for every file the process opens, and
// bionic's fopen() opens through open(). The simulated runtime fires them the same way; the agent
// must decide in onEnter (no onLeave work for calls that cannot matter), count an fopen once, and
// give a native event the calling thread's Java stack when it is a Java thread, so that an SDK
// reading /sys/class/net/*/address through JNI is named.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, StackRecord } from '../agent/protocol/messages.ts';
import { attributeSdk } from '../harness/knowledge/sdks.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

const UMENG = [
  'com.umeng.commonsdk.internal.utils.c.a(Unknown Source:14)',
  'com.umeng.commonsdk.UMConfigure.init(Unknown Source:88)',
  'java.lang.Thread.run(Thread.java:1012)',
];

function start(): SimRuntime {
  const rt = createSimRuntime({ packageName: 'com.example.app' });
  rt.loadAgent(agentPath);
  return rt;
}

function drain(rt: SimRuntime): { events: EventRecord[]; stacks: StackRecord[] } {
  rt.rpc.flush();
  const batches = rt.ofType('events');
  return { events: batches.flatMap((b) => b.events), stacks: batches.flatMap((b) => b.stacks) };
}

describe('native hooks at their real cost', () => {
  it('every Binder call reaches ioctl, and the agent does no onLeave work for it', () => {
    const rt = start();
    for (let i = 0; i < 50; i++)
      rt.app.call('android.os.PowerManager', 'isInteractive', {
        result: true,
        stack: ['com.example.app.A.b(A.java:1)'],
      });
    for (let i = 0; i < 50; i++) rt.app.callNative('libc.so', 'open', ['/proc/self/maps', 0], { result: 3 });
    const ioctl = rt.nativeCallbacks.get('ioctl');
    expect(ioctl?.enter).toBe(50); // the hook is entered for each transaction: that cost is real
    expect(ioctl?.leave ?? 0).toBe(0); // … but it leaves no work for the way out
    expect(rt.nativeCallbacks.get('open')?.leave ?? 0).toBe(0);
    expect(drain(rt).events).toEqual([]);
    expect(rt.ofType('agent-error')).toEqual([]);
  });

  it('counts an fopen once, not again through the open() it makes inside libc', () => {
    const rt = start();
    rt.app.callNative('libc.so', 'fopen', ['/sys/class/net/wlan0/address', 'r'], { result: 1, stack: UMENG });
    expect(rt.nativeCallbacks.get('open')?.enter).toBe(1); // bionic's fopen did call open
    expect(drain(rt).events.map((e) => e.hook)).toEqual(['native.fopen']);
  });

  it("gives a native event on a Java thread that thread's Java stack, so the SDK is named", () => {
    const rt = start();
    rt.app.callNative('libc.so', 'open', ['/sys/class/net/wlan0/address', 0], {
      result: 5,
      stack: UMENG,
      thread: 'umeng-init',
    });
    rt.app.callNative('libc.so', 'ioctl', [58, 0x8927, 'wlan0'], {
      result: 0,
      stack: UMENG,
      thread: 'umeng-init',
    });
    const { events, stacks } = drain(rt);
    expect(events.map((e) => e.hook)).toEqual(['native.open', 'native.ioctl-hwaddr']);
    for (const e of events) {
      const stack = stacks.find((s) => s.id === e.stack);
      expect(stack?.native).toBeUndefined();
      expect(stack?.frames[0]).toBe(UMENG[0]);
      expect(attributeSdk(stack?.frames ?? [], { appPackage: 'com.example.app' }).sdk).toMatch(/^umeng-/);
    }
  });

  it('SystemProperties.get is one event, though its JNI code reads the property through libc', () => {
    const rt = start();
    rt.rpc.configure({ hashSalt: 's' });
    rt.app.call('android.os.SystemProperties', 'get', {
      overload: ['java.lang.String'],
      args: ['ro.serialno'],
      result: 'R58M123ABCD',
      stack: UMENG,
    });
    // The framework's native get() did reach the libc hook …
    expect(rt.nativeCallbacks.get('__system_property_read_callback')?.enter).toBe(1);
    // … but the app made one call: the Java event alone.
    expect(drain(rt).events.map((e) => e.hook)).toEqual(['system-properties.get']);
  });

  it('keeps the native stack on a thread outside the VM, without an agent error', () => {
    const rt = start();
    rt.app.callNative('libc.so', 'open', ['/proc/net/arp', 0], {
      result: 5,
      stack: ['libshield.so!0x2f10', 'libc.so!__pthread_start+0x30'],
      thread: 'native-worker',
    });
    const { events, stacks } = drain(rt);
    expect(events.map((e) => e.hook)).toEqual(['native.open']);
    const stack = stacks.find((s) => s.id === events[0]?.stack);
    expect(stack).toMatchObject({
      native: true,
      frames: ['libshield.so!0x2f10', 'libc.so!__pthread_start+0x30'],
    });
    expect(rt.ofType('agent-error')).toEqual([]);
  });
});
