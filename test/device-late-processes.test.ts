// Helper processes that start later or restart (issue 10, behaviour 2). On Android a ":push"
// process is not part of the app's spawn: the system starts it when a service needs it, and
// restarts it after a low-memory kill. Frida hands it over through spawn gating, held, with the
// agent loaded: the run's settings (hash salt, phase, options) must reach it BEFORE it runs, and
// rpc goes only to processes that are alive. The simulated device starts helpers the same way.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rows, runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, 'fixtures', 'device', 'late-helper.yaml');
const PKG = 'com.example.late';
const HEAD = `app: { package: ${PKG}, model: ${MODEL} }\nphases: [later]\n`;

interface Row {
  process: string;
  pid: number;
  phase: string;
  value_hash: string | null;
}

describe('helper processes that start after the app', () => {
  it('a :push process starting 30 s after consent runs post-consent with the run salt', async () => {
    const { result, store } = await runOnSim(
      `name: late-helper\n${HEAD}steps:\n  - launch\n  - consent: { labels: [I agree] }\n  - wait: 40s\n`,
    );
    expect(result.status).toBe('completed');
    const ev = rows<Row>(
      store,
      "SELECT process, pid, phase, value_hash FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string' ORDER BY time_ms, id",
      result.runId,
    );
    expect(ev.map((e) => [e.process, e.phase])).toEqual([
      [PKG, 'pre-consent'],
      [`${PKG}:push`, 'post-consent'],
    ]);
    // It started when Android started it (30 s in), not at the end of the wait.
    const t = rows<{ t: number }>(
      store,
      "SELECT time_ms AS t FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string' ORDER BY time_ms",
      result.runId,
    ).map((r) => r.t);
    expect((t[1] ?? 0) - (t[0] ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect((t[1] ?? 0) - (t[0] ?? 0)).toBeLessThan(30_500);
    // One salt for the whole run: the same value hashes the same in every process.
    expect(ev[0]?.value_hash).toBeTruthy();
    expect(ev[1]?.value_hash).toBe(ev[0]?.value_hash);
  });

  it('a helper killed and restarted gets the current phase; phases reach only live processes', async () => {
    const device = await simDevice();
    let killed = false;
    const { result, store } = await runOnSim(
      `name: restart-helper\n${HEAD}steps:\n  - launch\n  - consent: { labels: [I agree] }\n  - wait: 40s\n  - wait: 2s\n  - set-phase: later\n  - wait: 10s\n`,
      {
        device,
        onProgress: (p) => {
          // After `wait 2s`: the system kills :push; it restarts 5 s later (sticky service).
          if (p.type === 'step-end' && p.label === 'wait 2s' && !killed) {
            killed = true;
            device.killProcess(PKG, `${PKG}:push`, 5_000);
          }
        },
      },
    );
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const ev = rows<Row>(
      store,
      "SELECT process, pid, phase, value_hash FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string' ORDER BY time_ms, id",
      result.runId,
    );
    expect(ev.map((e) => [e.process, e.phase])).toEqual([
      [PKG, 'pre-consent'],
      [`${PKG}:push`, 'post-consent'],
      [`${PKG}:push`, 'later'],
    ]);
    expect(ev[2]?.pid).not.toBe(ev[1]?.pid);
    expect(new Set(ev.map((e) => e.value_hash)).size).toBe(1);
    const detaches = rows<{ process: string; detail: string }>(
      store,
      "SELECT process, detail FROM device_logs WHERE run_id = ? AND kind = 'detach' ORDER BY id",
      result.runId,
    );
    expect(detaches).toEqual([{ process: `${PKG}:push`, detail: `process-terminated (pid ${ev[1]?.pid})` }]);
  });

  it('the session lists only live processes and rpc refuses a dead one', async () => {
    const device = await simDevice();
    await device.install(MODEL);
    const s = await device.spawn(PKG, { agentSource: '', onMessage: () => undefined });
    await s.resume();
    expect(s.processes().map((p) => p.name)).toEqual([PKG]);
    await device.clock.sleep(31_000);
    await device.settle();
    expect(s.processes().map((p) => p.name)).toEqual([PKG, `${PKG}:push`]);
    const first = s.processes()[1]?.pid;
    device.killProcess(PKG, `${PKG}:push`);
    expect(s.processes().map((p) => p.name)).toEqual([PKG]);
    await expect(s.rpc(`${PKG}:push`).ping()).rejects.toThrow(/no process com.example.late:push/);
    const again = await device.startProcess(PKG, `${PKG}:push`);
    expect(again?.pid).not.toBe(first);
    expect(await s.rpc(`${PKG}:push`).ping()).toBeTruthy();
    expect(s.resumeCount).toBe(1);
  });
});

describe('relaunch on the simulated device', () => {
  it('keeps the old app instance queued events: one per call, none lost, none doubled', async () => {
    const { result, store } = await runOnSim(
      `name: relaunch-now\n${HEAD}steps:\n  - launch\n  - relaunch\n  - launch: { cold: true }\n  - wait: 1s\n`,
    );
    expect(result.status).toBe('completed');
    const ev = rows<{ pid: number; n: number }>(
      store,
      "SELECT pid, count(*) AS n FROM v_events WHERE run = ? AND hook = 'settings.secure-get-string' AND process = ? GROUP BY pid ORDER BY pid",
      result.runId,
      PKG,
    );
    // Three app instances, each read the Android ID once in Application.onCreate.
    expect(ev.map((e) => e.n)).toEqual([1, 1, 1]);
  });
});
