import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_BATCH, MessageError, parseAgentMessage } from '../harness/protocol/validate.ts';

const event = {
  time: 1,
  hook: 'h',
  category: 'location',
  api: 'a.B.c()',
  thread: 'main',
  foreground: true,
  phase: 'p',
};
const events = (evs: unknown[], extra: Record<string, unknown> = {}) => ({
  v: 1,
  type: 'events',
  pid: 1,
  process: 'app',
  seq: 1,
  stacks: [],
  events: evs,
  dropped: 0,
  ...extra,
});

const problem = (value: unknown): string => {
  try {
    parseAgentMessage(value);
  } catch (err) {
    expect(err).toBeInstanceOf(MessageError);
    return (err as Error).message;
  }
  throw new Error('expected a MessageError');
};

describe('parseAgentMessage', () => {
  it('accepts every message type and returns the value unchanged', () => {
    const msgs = [
      { v: 1, type: 'hello', time: 5, agentVersion: '1', pid: 3, process: 'p', apiLevel: 30 },
      events([event, { ...event, stack: 2, args: 'x', result: 'y', valueHash: 'ab', raw: 'r' }], {
        stacks: [{ id: 2, frames: ['f'], native: true }],
      }),
      {
        v: 1,
        type: 'hook-status',
        pid: 3,
        process: 'p',
        time: 1,
        statuses: [{ hook: 'h', state: 'pending', overloads: 0 }],
      },
      { v: 1, type: 'lifecycle', pid: 3, process: 'p', time: 1, kind: 'background' },
      { v: 1, type: 'agent-error', pid: 3, process: 'p', time: 1, message: 'boom', future: 'ignored' },
    ];
    for (const m of msgs) expect(parseAgentMessage(m)).toBe(m);
  });

  it('names the bad field with its path', () => {
    expect(problem(events([event, event, event, { ...event, time: 'x' }]))).toBe(
      'events[3].time: expected number, got string "x"',
    );
    expect(problem(events([{ ...event, category: 'foo' }]))).toBe(
      'events[0].category: unknown category "foo"',
    );
    expect(problem(events([{ ...event, foreground: 'yes' }]))).toBe(
      'events[0].foreground: expected boolean, got string "yes"',
    );
    expect(problem(events([{ ...event, stack: -1 }]))).toBe(
      'events[0].stack: expected integer ≥ 0, got number -1',
    );
    expect(problem(events([event], { stacks: [{ id: 1, frames: ['a', 7] }] }))).toBe(
      'stacks[0].frames[1]: expected string, got number 7',
    );
    expect(problem(events([event], { seq: 0 }))).toBe('seq: expected integer ≥ 1, got number 0');
    expect(
      problem({
        v: 1,
        type: 'hook-status',
        pid: 1,
        process: 'p',
        time: 1,
        statuses: [{ hook: 'h', state: 'on' }],
      }),
    ).toBe('statuses[0].state: unknown hook state "on"');
    expect(problem({ v: 1, type: 'lifecycle', pid: 1, process: 'p', time: 1, kind: 'sleep' })).toBe(
      'kind: unknown lifecycle kind "sleep"',
    );
    expect(problem({ v: 1, type: 'hello', time: 1, pid: 1, process: 'p' })).toBe(
      'agentVersion: expected string, got undefined',
    );
  });

  it('rejects unknown versions and types clearly', () => {
    expect(problem({ v: 2, type: 'hello' })).toBe(
      'v: unsupported protocol version 2 (this overreach reads v1)',
    );
    expect(problem({ type: 'hello' })).toBe('v: missing protocol version');
    expect(problem({ v: 1, type: 'telemetry' })).toMatch(
      /^type: unknown message type "telemetry" \(expected hello, events/,
    );
    expect(problem([1, 2])).toBe('expected a JSON object, got array');
    expect(problem(null)).toBe('expected a JSON object, got null');
  });

  it('enforces the batch and stack limits', () => {
    const many = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => event);
    expect(problem(events(many))).toBe('events: 1001 events exceed the batch limit of 1,000');
    expect(parseAgentMessage(events(many.slice(1)))).toBeTruthy();
    const frames = Array.from({ length: 33 }, () => 'f');
    expect(problem(events([], { stacks: [{ id: 1, frames }] }))).toBe(
      'stacks[0].frames: 33 frames exceed the limit of 32',
    );
    expect(
      problem(
        events([], {
          stacks: [
            { id: 1, frames: [] },
            { id: 1, frames: [] },
          ],
        }),
      ),
    ).toBe('stacks[1].id: duplicate stack id 1');
  });
});
