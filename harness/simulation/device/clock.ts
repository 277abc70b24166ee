// Clocks for the simulated device: real time for the demo, a virtual clock for tests so a
// two-minute scenario runs in milliseconds (advance() fires due timers in time order).

import { ManualClock } from '../runtime/manual-clock.ts';

export interface SimClock {
  /** ms since the Unix epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  /** Waits `ms` of clock time (virtual: advances at once; real: sleeps). */
  sleep(ms: number): Promise<void>;
}

export function realClock(): SimClock {
  return timerClock(() => Date.now());
}

/**
 * A SimClock on real timers: `now` tells the time; timers and sleeps last 1/speed of their
 * length in real time (speed 1: real time).
 */
export function timerClock(now: () => number, speed = 1): SimClock {
  const handles = new Map<number, NodeJS.Timeout>();
  let next = 1;
  return {
    now,
    setTimeout(fn, ms) {
      const id = next++;
      const h = setTimeout(
        () => {
          handles.delete(id);
          fn();
        },
        Math.max(0, ms / speed),
      );
      h.unref?.();
      handles.set(id, h);
      return id;
    },
    clearTimeout(id) {
      const h = handles.get(id);
      if (h) clearTimeout(h);
      handles.delete(id);
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / speed))),
  };
}

// The virtual clock is the simulated runtime's ManualClock (one implementation for both).
export { ManualClock as VirtualClock } from '../runtime/manual-clock.ts';

/**
 * A virtual clock whose sleep lets work started by a timer finish near the time it fired: a
 * helper process starts asynchronously (agent load, prepare), which advance() alone would
 * only let happen after the whole sleep, at its end time. Sleeps advance in 250 ms steps.
 */
export function settlingClock(work: { pending(): boolean; settle(): Promise<void> }): ManualClock {
  const vc = new ManualClock();
  vc.sleep = async (ms: number) => {
    let left = Math.max(0, ms);
    do {
      const step = Math.min(left, 250);
      vc.advance(step);
      left -= step;
      if (work.pending()) await work.settle();
    } while (left > 0);
  };
  return vc;
}
