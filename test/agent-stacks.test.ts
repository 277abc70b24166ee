// The agent's stack table (agent/runtime/stacks.ts): ids by (scope, backtracer key), frames
// decoded once per key, equal frame texts sharing one id across hooks.
import { describe, expect, it } from 'vitest';
import { internStack, takeUnsentStack } from '../agent/runtime/stacks.ts';

describe('stack table', () => {
  it('keys are per scope: the same backtracer key under another hook is decoded on its own', () => {
    const A = ['com.umeng.X.a(Unknown Source:1)', 'com.example.App.onCreate(App.java:3)'];
    const B = ['com.tencent.bugly.Y.b(Unknown Source:9)'];
    let decoded = 0;
    const frames = (list: string[]) => () => {
      decoded++;
      return list;
    };
    const a = internStack('j:getImei', '7', frames(A));
    const b = internStack('j:getDeviceId', '7', frames(B)); // same key text, other scope
    expect(b).not.toBe(a);
    expect(decoded).toBe(2);
    expect(internStack('j:getImei', '7', frames(B))).toBe(a); // known: not decoded again
    expect(decoded).toBe(2);
    // Another key with A's frames (another backtracer, another hook) shares A's id.
    expect(internStack('x:getSubscriberId', 'trace text', frames(A))).toBe(a);
    // The same frames from a native backtrace are a stack of their own.
    const n = internStack('n', '0x7a1,0x7a2', frames(A), true);
    expect(n).not.toBe(a);
    expect(takeUnsentStack(n as number)).toEqual({ id: n, frames: A, native: true });
    expect(takeUnsentStack(n as number)).toBeUndefined(); // sent once
    // An empty stack (nothing but the hook) carries no id, and is remembered as such.
    expect(internStack('jn', '3', frames([]))).toBeUndefined();
    expect(internStack('jn', '3', frames(A))).toBeUndefined();
  });
});
