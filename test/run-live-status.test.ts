// The run's console: a status line redrawn in place on a terminal, plain lines otherwise.
import { describe, expect, it } from 'vitest';
import { liveStatus } from '../harness/run/live-status.ts';

const ESC = '\x1b';

function drive(tty: boolean) {
  const out: string[] = [];
  let n = 0;
  const live = liveStatus(
    (t) => out.push(t),
    tty,
    () => n,
    60_000,
  );
  live.line('run 1: game on sim');
  live.onProgress({ type: 'step-start', index: 1, kind: 'launch', label: 'launch', nested: false });
  n = 42;
  live.onProgress({ type: 'step-start', index: 0, kind: 'tap', label: 'tap 开始', nested: true });
  live.onProgress({
    type: 'step-end',
    index: 1,
    kind: 'launch',
    label: 'launch',
    nested: false,
    outcome: 'ok',
  });
  live.stop();
  return out.join('');
}

describe('run live status', () => {
  it('redraws the current step and event count in place on a terminal', () => {
    const text = drive(true);
    expect(text).toContain(`\r${ESC}[K▶ step 1: launch · 0 events`);
    expect(text).toContain(`\r${ESC}[K▶ step 1: launch › tap 开始 · 42 events`);
    // The finished step is a plain line printed over the status line, and the status is cleared at the end.
    expect(text).toContain(`\r${ESC}[K   1. launch  ok\n`);
    expect(text.endsWith(`\r${ESC}[K`)).toBe(true);
  });

  it('prints plain lines without escape codes when not a terminal', () => {
    const text = drive(false);
    expect(text).toBe('run 1: game on sim\n   1. launch  ok\n');
    expect(text).not.toContain(ESC);
  });
});
