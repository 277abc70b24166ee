// Runner control flow: explore determinism, on-error continue/stop, app crashes, expectations.
import { describe, expect, it } from 'vitest';
import { maxPerMinute } from '../harness/run/steps/expect.ts';
import { mulberry32 } from '../harness/run/steps/explore.ts';
import { PKG, rows, runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const HEAD = `app: { package: ${PKG}, model: $MODEL }\n`;
const START = `  - launch: { clear-data: true }\n  - wait: 2s\n  - permission-dialog: { action: deny }\n  - consent\n  - permission-dialog: { action: allow, permission: ACCESS_FINE_LOCATION }\n`;

async function exploreActions(seed: number, strategy = 'random'): Promise<string[]> {
  const { result, store } = await runOnSim(
    `name: explore-${seed}\n${HEAD}steps:\n${START}  - explore: { duration: 40s, seed: ${seed}, max-actions: 12, strategy: ${strategy} }\n`,
  );
  expect(result.status).toBe('completed');
  return rows<{ label: string }>(
    store,
    "SELECT label FROM steps WHERE run_id = ? AND kind = 'explore-action' ORDER BY idx",
    result.runId,
  ).map((r) => r.label);
}

describe('explore', () => {
  it('mulberry32 is deterministic per seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect([c(), c(), c()]).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('repeats the same action sequence for the same seed, another for another seed', async () => {
    const first = await exploreActions(42);
    const again = await exploreActions(42);
    const other = await exploreActions(7);
    expect(first.filter((l) => l.startsWith('#'))).toHaveLength(12);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('monkey on the simulator is a seeded random tapper, repeatable too', async () => {
    const first = await exploreActions(5, 'monkey');
    expect(first.filter((l) => /^#\d+ (touch \d+,\d+|key back)$/.test(l))).toHaveLength(12);
    expect(await exploreActions(5, 'monkey')).toEqual(first);
    expect(await exploreActions(6, 'monkey')).not.toEqual(first);
  });
});

describe('on-error', () => {
  const failing = (onError: string) =>
    `name: on-error-${onError}\n${HEAD}steps:\n${START}  - tap: { text: No such button }\n    on-error: ${onError}\n  - wait: 1s\n  - back\n`;

  it('continue: the failed step is recorded with its cause and the run goes on', async () => {
    const { result, store } = await runOnSim(failing('continue'));
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'failed', 'ok', 'ok']);
    const tap = rows<{ outcome: string; detail: string }>(
      store,
      "SELECT outcome, detail FROM steps WHERE run_id = ? AND kind = 'tap'",
      result.runId,
    )[0]!;
    expect(tap).toEqual({ outcome: 'failed', detail: 'no element with text "No such button" on screen' });
  });

  it('stop: the run ends failed there and the remaining steps do not run', async () => {
    const { result, store } = await runOnSim(failing('stop'));
    expect(result.status).toBe('failed');
    expect(result.reason).toBe(
      'step 6 (tap text=No such button) failed: no element with text "No such button" on screen',
    );
    expect(result.steps).toHaveLength(6);
    const kinds = rows<{ kind: string }>(
      store,
      'SELECT kind FROM steps WHERE run_id = ? ORDER BY idx',
      result.runId,
    );
    expect(kinds.map((k) => k.kind)).not.toContain('back');
  });

  it('an app crash fails the step it happened in; relaunch brings the app back', async () => {
    const device = await simDevice();
    const { result, store } = await runOnSim(
      `name: crash\n${HEAD}steps:\n${START}  - wait: 10s\n  - tap: text=开始游戏\n  - relaunch\n  - permission-dialog: deny\n  - wait-for: text=进入游戏\n`,
      {
        device,
        onProgress: (p) => {
          if (p.type === 'step-start' && p.index === 6)
            device.clock.setTimeout(() => device.crash(PKG), 3000);
        },
      },
    );
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => `${s.kind}:${s.outcome}`)).toEqual([
      'launch:ok',
      'wait:ok',
      'permission-dialog:ok',
      'consent:ok',
      'permission-dialog:ok',
      'wait:failed',
      'tap:failed',
      'relaunch:ok',
      'permission-dialog:ok',
      'wait-for:ok',
    ]);
    expect(result.steps[5]!.detail).toMatch(
      /^app crash in com\.starfall\.puzzle: java\.lang\.RuntimeException/,
    );
    const logs = rows<{ kind: string }>(
      store,
      'SELECT kind FROM device_logs WHERE run_id = ? ORDER BY id',
      result.runId,
    );
    expect(logs.map((l) => l.kind)).toContain('crash');
  });

  it('counts malformed agent messages without failing the run', async () => {
    const device = await simDevice();
    const { result } = await runOnSim(`name: malformed\n${HEAD}steps:\n${START}  - wait: 1s\n`, {
      device,
      onProgress: (p) => {
        if (p.type === 'step-start' && p.index === 6) {
          const s = device.session(PKG)!;
          s.deliver({ v: 1, type: 'events', pid: 'x' }, s.processes()[0]!);
          s.deliver('not json at all', s.processes()[0]!);
        }
      },
    });
    expect(result.status).toBe('completed');
    expect(result.malformedMessages).toBe(2);
  });
});

describe('expect', () => {
  it('maxPerMinute counts the busiest 60-second window', () => {
    expect(maxPerMinute([])).toBe(0);
    expect(maxPerMinute([0, 10_000, 59_999, 60_000])).toBe(3);
    expect(maxPerMinute([0, 10_000, 59_999, 60_000, 61_000])).toBe(4);
    expect(maxPerMinute([0, 120_000])).toBe(1);
  });

  it('evaluates each assertion against the trace, a failure as a failed `expect:` step', async () => {
    const { result, store } = await runOnSim(
      `name: expectations\n${HEAD}expect:
  - no-access: { category: device-id, phase: pre-consent }
  - no-access: { category: contacts }
  - max-count: { category: notification, count: 100 }
  - max-count: { category: notification, count: 1 }
  - max-rate: { category: notification, per-minute: 3 }
  - max-rate: { category: notification, per-minute: 2 }
  - setting-found:
  - setting-found: [no such label]
  - no-finding: { severity: high }
steps:\n${START}  - wait: 2m\n  - tap: text=设置\n  - check-setting\n`,
    );
    expect(result.status).toBe('completed');
    expect(result.expectations.map((e) => `${e.label} → ${e.outcome}`)).toEqual([
      'expect: no-access device-id in pre-consent → failed',
      'expect: no-access contacts → ok',
      'expect: max-count notification ≤ 100 → ok',
      'expect: max-count notification ≤ 1 → failed',
      'expect: max-rate notification ≤ 3/min → ok',
      'expect: max-rate notification ≤ 2/min → failed',
      'expect: setting-found (default labels) → ok',
      'expect: setting-found no such label → failed',
      'expect: no-finding at or above high → skipped',
    ]);
    const stored = rows<{ label: string; outcome: string }>(
      store,
      "SELECT label, outcome FROM steps WHERE run_id = ? AND kind = 'expect' AND outcome = 'failed' ORDER BY idx",
      result.runId,
    );
    expect(stored.map((s) => s.label)).toEqual([
      'expect: no-access device-id in pre-consent',
      'expect: max-count notification ≤ 1',
      'expect: max-rate notification ≤ 2/min',
      'expect: setting-found no such label',
    ]);
  });
});
