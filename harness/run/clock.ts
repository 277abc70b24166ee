// Clocks a run keeps its step times on. Events carry agent time (the device clock), so steps
// must too: on the simulated device that is its own clock; on a real device the host clock
// plus the offset estimated from the agent's `hello` time.
import { InputError } from '../errors.ts';
import { type SimClock, timerClock } from '../simulation/device/clock.ts';

export interface RunClock {
  /** Agent time, ms since the epoch. */
  now(): number;
  /** Waits `ms` of agent time. */
  sleep(ms: number): Promise<void>;
  /** Called with each `hello` time as it arrives (host time of receipt = Date.now()). */
  noteHello?(agentTime: number): void;
}

/** The simulated device's clock: host and agent agree by construction. */
export function simRunClock(clock: SimClock): RunClock {
  return { now: () => clock.now(), sleep: (ms) => clock.sleep(ms) };
}

/** Host time plus the agent clock offset, estimated from the first `hello` of the run. */
export function deviceRunClock(): RunClock {
  let offset: number | undefined;
  return {
    now: () => Date.now() + (offset ?? 0),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    noteHello(agentTime) {
      // The message took a few ms to arrive; the first hello is good to that precision.
      offset ??= agentTime - Date.now();
    },
  };
}

/**
 * A SimClock running `speed` times faster than real time (the demo: a three-minute scenario in
 * well under a minute). Timers and sleeps take 1/speed of their length in real time.
 */
export function scaledClock(speed: number, start = Date.now()): SimClock {
  const base = Date.now();
  return timerClock(() => start + (Date.now() - base) * speed, speed);
}

export function parseSpeed(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 1000)
    throw new InputError(`--speed: expected a factor between 0 and 1000 or "max", got "${text}"`);
  return n;
}
