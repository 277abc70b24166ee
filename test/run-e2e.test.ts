// End-to-end runs on the simulated device: steps, phases, hook statuses, device loss, Ctrl-C.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../harness/run/run-scenario.ts';
import { openStore } from '../harness/store/store.ts';
import { PKG, rows, runOnSim, scenarioFrom, simDevice, tempDir } from './fixtures/run/sim-run.ts';

const FIRST_RUN = `
name: e2e-first-run
app: { package: ${PKG}, model: $MODEL }
expect:
  - no-access: { category: clipboard, phase: pre-consent }
  - no-access: { category: device-id, phase: pre-consent }
steps:
  - launch: { clear-data: true }
  - wait: 3s
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - consent
  - wait: 2s
  - permission-dialog: { action: allow }
  - wait: 30s
`;

describe('runScenario on the simulated device', () => {
  it('records steps, events in the right phases, hook statuses, and completes', async () => {
    const { result, store } = await runOnSim(FIRST_RUN);
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => `${s.kind}:${s.outcome}`)).toEqual([
      'launch:ok',
      'wait:ok',
      'permission-dialog:ok',
      'consent:ok',
      'wait:ok',
      'permission-dialog:ok',
      'wait:ok',
    ]);
    const run = rows<{ status: string }>(store, 'SELECT status FROM runs WHERE id = ?', result.runId)[0];
    expect(run?.status).toBe('completed');
    const consent = rows<{ started_at: number; ended_at: number }>(
      store,
      "SELECT started_at, ended_at FROM steps WHERE run_id = ? AND kind = 'consent'",
      result.runId,
    )[0]!;
    const events = rows<{ time: number; phase: string; category: string; step: string | null }>(
      store,
      'SELECT time_ms AS time, phase, category, step FROM v_events WHERE run = ? ORDER BY time_ms',
      result.runId,
    );
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      if (e.time < consent.started_at) expect(e.phase, `${e.category} at ${e.time}`).toBe('pre-consent');
      if (e.time >= consent.ended_at) expect(e.phase, `${e.category} at ${e.time}`).toBe('post-consent');
    }
    expect(events.some((e) => e.category === 'device-id' && e.phase === 'pre-consent')).toBe(true);
    expect(events.some((e) => e.category === 'clipboard' && e.phase === 'post-consent')).toBe(true);
    // every event falls inside a step
    expect(events.filter((e) => e.step === null)).toEqual([]);
    const hooks = rows<{ n: number }>(
      store,
      "SELECT count(*) AS n FROM hook_status WHERE run_id = ? AND state = 'installed'",
      result.runId,
    )[0]!;
    expect(hooks.n).toBeGreaterThan(10);
    expect(result.expectations.map((e) => e.outcome)).toEqual(['ok', 'failed']);
    const appops = rows<{ n: number }>(
      store,
      'SELECT count(*) AS n FROM appops WHERE run_id = ? AND "when" = \'after\'',
      result.runId,
    )[0]!;
    expect(appops.n).toBeGreaterThan(0);
  });

  it('a lost device fails the run with the cause and keeps the events captured before', async () => {
    const device = await simDevice();
    const { result, store } = await runOnSim(FIRST_RUN, {
      device,
      onProgress: (p) => {
        // the device goes away 1 s into the 30 s wait (after the location answer)
        if (p.type === 'step-start' && p.index === 7)
          device.clock.setTimeout(() => device.loseDevice(), 1000);
      },
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/device lost/);
    expect(result.steps.at(-1)).toMatchObject({ kind: 'wait', outcome: 'failed' });
    const run = rows<{ status: string; status_reason: string }>(
      store,
      'SELECT status, status_reason FROM runs WHERE id = ?',
      result.runId,
    )[0]!;
    expect(run).toMatchObject({ status: 'failed' });
    expect(run.status_reason).toMatch(/device lost/);
    const n = rows<{ n: number }>(
      store,
      'SELECT count(*) AS n FROM events WHERE run_id = ?',
      result.runId,
    )[0]!.n;
    expect(n).toBeGreaterThan(5);
    const logs = rows<{ detail: string }>(
      store,
      "SELECT detail FROM device_logs WHERE run_id = ? AND kind = 'detach'",
      result.runId,
    );
    expect(logs.some((l) => l.detail.startsWith('device-lost'))).toBe(true);
  });

  it('an abort (Ctrl-C) ends the run as interrupted with events kept', async () => {
    const ac = new AbortController();
    const { result, store } = await runOnSim(FIRST_RUN, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.type === 'step-end' && p.index === 4) ac.abort('SIGINT');
      },
    });
    expect(result.status).toBe('interrupted');
    expect(result.reason).toBe('interrupted (SIGINT)');
    expect(result.steps).toHaveLength(4);
    const run = rows<{ status: string }>(store, 'SELECT status FROM runs WHERE id = ?', result.runId)[0]!;
    expect(run.status).toBe('interrupted');
    const n = rows<{ n: number }>(
      store,
      'SELECT count(*) AS n FROM events WHERE run_id = ?',
      result.runId,
    )[0]!.n;
    expect(n).toBeGreaterThan(3);
    expect(result.expectations).toEqual([]);
  });

  it('configures the agent: one hash salt per database, raw values only when asked', async () => {
    const dir = tempDir();
    const scenario = await scenarioFrom(
      dir,
      `name: salt\napp: { package: ${PKG}, model: $MODEL }\nsteps:\n  - launch\n  - wait: 1s\n`,
    );
    const store = openStore(join(dir, 'overreach.db'));
    const androidId = (runId: number) =>
      rows<{ value_hash: string | null; raw: string | null }>(
        store,
        "SELECT value_hash, raw FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string'",
        runId,
      )[0]!;
    const a = await runScenario({ scenario, device: await simDevice(), store, outDir: dir });
    const b = await runScenario({ scenario, device: await simDevice(), store, outDir: dir, rawValues: true });
    expect(androidId(a.runId).value_hash).toMatch(/^[0-9a-f]{16}$/);
    expect(androidId(a.runId).raw).toBeNull();
    expect(androidId(b.runId).value_hash).toBe(androidId(a.runId).value_hash);
    expect(androidId(b.runId).raw).toBe('9774d56d682e549c');
    // another database, another salt
    const c = await runOnSim(
      `name: salt2\napp: { package: ${PKG}, model: $MODEL }\nsteps:\n  - launch\n  - wait: 1s\n`,
    );
    const hashC = rows<{ value_hash: string }>(
      c.store,
      "SELECT value_hash FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string'",
      c.result.runId,
    )[0]!;
    expect(hashC.value_hash).not.toBe(androidId(a.runId).value_hash);
  });

  it('launches the app implicitly when the scenario has no launch step', async () => {
    const { result } = await runOnSim(
      `name: implicit\napp: { package: ${PKG}, model: $MODEL }\nsteps:\n  - set-location: { lat: 1, lon: 2 }\n  - wait: 2s\n`,
    );
    expect(result.steps.map((s) => s.label)).toEqual(['set-location 1,2', 'launch (implicit)', 'wait 2s']);
    expect(result.stats.events).toBeGreaterThan(0);
  });
});
