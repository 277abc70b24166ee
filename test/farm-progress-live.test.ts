// The farm's live view: per device the app, scenario and current step, with an ETA, redrawn in
// place on a terminal; start/end lines only (no escape codes, no step chatter) otherwise.
import { describe, expect, it } from 'vitest';
import type { FarmJob } from '../harness/farm/plan.ts';
import { progressView } from '../harness/farm/progress.ts';

const job = (id: number): FarmJob => ({
  id,
  scenario: '/x/scenarios/game/scenario.yaml',
  app: { kind: 'model', ref: '/x/apps/fruit.yaml' } as FarmJob['app'] & object,
});

function drive(tty: boolean) {
  const out: string[] = [];
  let now = 0;
  const view = progressView(
    2,
    (t) => out.push(t),
    tty,
    () => now,
  );
  view.onEvent({ type: 'start', job: job(1), device: 'emu-1', attempt: 1 });
  view.onEvent({ type: 'step', job: job(1), device: 'emu-1', label: 'step 3: tap 立即下载' });
  now = 10_000;
  view.onEvent({
    type: 'end',
    job: job(1),
    attempt: { device: 'emu-1', status: 'completed', runId: 4, wallMs: 10_000 },
    final: true,
  });
  view.done();
  return out;
}

describe('farm live view', () => {
  it('shows app, scenario and step per device with an ETA, redrawn in place', () => {
    const out = drive(true);
    expect(out[1]).toContain('\x1b[');
    expect(out[1]).toContain('emu-1: job 1 fruit.yaml · scenario.yaml (attempt 1) · step 3: tap 立即下载');
    expect(out.at(-1)).toContain('farm: 1/2 done, 0 running, 0 failed, 0 retried, ETA 0m10s');
  });

  it('prints plain start/end lines when not a terminal', () => {
    const text = drive(false).join('');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('step 3');
    expect(text).toContain('job 1 started on emu-1 (attempt 1)');
  });
});
