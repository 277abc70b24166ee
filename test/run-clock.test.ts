// Run clocks: the demo's faster-than-real-time simulator clock and the real device's offset.
import { describe, expect, it } from 'vitest';
import { deviceRunClock, scaledClock } from '../harness/run/clock.ts';

describe('run clocks', () => {
  it('scaledClock runs sleeps and timers `speed` times faster than real time', async () => {
    const clock = scaledClock(50, 1_000_000);
    const t0 = clock.now();
    const real0 = Date.now();
    let fired = 0;
    clock.setTimeout(() => {
      fired = clock.now();
    }, 1000);
    await clock.sleep(2000);
    const realElapsed = Date.now() - real0;
    expect(realElapsed).toBeLessThan(1000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(fired - t0).toBeGreaterThanOrEqual(950);
    const id = clock.setTimeout(() => {
      fired = -1;
    }, 10);
    clock.clearTimeout(id);
    await clock.sleep(100);
    expect(fired).not.toBe(-1);
  });

  it('deviceRunClock adopts the agent clock offset from the first hello', () => {
    const clock = deviceRunClock();
    const before = clock.now();
    expect(Math.abs(before - Date.now())).toBeLessThan(50);
    clock.noteHello?.(Date.now() + 60_000);
    clock.noteHello?.(Date.now() - 60_000); // later hellos do not move it
    expect(clock.now() - Date.now()).toBeGreaterThan(59_000);
    expect(clock.now() - Date.now()).toBeLessThan(61_000);
  });
});
