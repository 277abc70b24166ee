import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FarmJob } from '../harness/farm/plan.ts';
import { type FarmDevice, type JobRunner, runPool } from '../harness/farm/pool.ts';
import { progressView } from '../harness/farm/progress.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { openStore } from '../harness/store/store.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const jobs = (n: number): FarmJob[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, scenario: `s${i + 1}.yaml` }));
const devices = (n: number): FarmDevice[] =>
  Array.from({ length: n }, (_, i) => {
    const device = new SimDevice({ serial: `d${i + 1}`, clock: 'virtual' });
    return { id: device.serial, device };
  });

describe('farm worker pool', () => {
  it('closes a hung attempt’s run as failed and retries the job on another device', async () => {
    const store = openStore(join(tempDir(), 'pool.db'));
    let hung = false;
    const runJob: JobRunner = async (job, fd, ctx) => {
      const runId = store.createRun({
        package: 'p',
        device: fd.id,
        scenario: job.scenario,
        toolVersion: 't',
      });
      ctx.onRun(runId);
      if (fd.id === 'd1' && !hung) {
        hung = true;
        return new Promise(() => undefined); // ignores the abort: a hung device
      }
      await new Promise((r) => setTimeout(r, 20));
      store.endRun(runId, 'completed');
      return { runId, status: 'completed' };
    };
    const removed: string[] = [];
    const out = await runPool({
      jobs: jobs(4),
      devices: devices(2),
      runJob,
      retries: 1,
      jobTimeoutMs: 150,
      graceMs: 50,
      closeRun: (id, reason) => store.endRun(id, 'failed', reason),
      onEvent: (e) => {
        if (e.type === 'device-removed') removed.push(`${e.device}: ${e.reason}`);
      },
    });
    expect(out.map((o) => o.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const retried = out.find((o) => o.attempts.length === 2)!;
    expect(retried.attempts.map((a) => a.device)).toEqual(['d1', 'd2']);
    expect(retried.attempts[0]!.deviceRemoved).toBe('hung');
    expect(removed).toEqual(['d1: device hung (job timeout)']);
    const failedRun = store.getRun(retried.attempts[0]!.runId!)!;
    expect(failedRun.status).toBe('failed');
    expect(failedRun.status_reason).toMatch(/job timeout after 150 ms/);
    store.close();
  });

  it('retries an ordinary failure on a device that has not tried the job, then gives up with the reason', async () => {
    const tried: string[] = [];
    const out = await runPool({
      jobs: jobs(1),
      devices: devices(3),
      retries: 2,
      jobTimeoutMs: 10_000,
      runJob: async (_job, fd) => {
        tried.push(fd.id);
        return { status: 'failed', reason: `app crashed on ${fd.id}` };
      },
    });
    expect(new Set(tried).size).toBe(3);
    expect(out[0]).toMatchObject({ status: 'failed', reason: `app crashed on ${tried[2]}` });
    expect(out[0]!.attempts).toHaveLength(3);
  });

  it('fails the remaining jobs when every device is lost', async () => {
    const ds = devices(1);
    const out = await runPool({
      jobs: jobs(3),
      devices: ds,
      retries: 1,
      jobTimeoutMs: 10_000,
      runJob: async (_job, fd) => {
        (fd.device as SimDevice).loseDevice();
        return { status: 'failed', reason: 'device lost' };
      },
    });
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(out[0]!.reason).toMatch(/^no device left in the pool; last attempt: device d1 lost/);
    expect(out[1]!.reason).toBe('no device left in the pool');
  });
});

describe('farm progress', () => {
  it('redraws in place on a TTY and prints plain lines otherwise', () => {
    let tty = '';
    let plain = '';
    const t = progressView(
      2,
      (s) => (tty += s),
      true,
      () => 0,
    );
    const p = progressView(
      2,
      (s) => (plain += s),
      false,
      () => 0,
    );
    const job = { id: 1, scenario: 's.yaml' };
    for (const v of [t, p]) {
      v.onEvent({ type: 'start', job, device: 'd1', attempt: 1 });
      v.onEvent({
        type: 'end',
        job,
        attempt: { device: 'd1', status: 'completed', runId: 4, wallMs: 1 },
        final: true,
      });
    }
    expect(tty).toContain('\x1b[2F\x1b[J');
    expect(tty).toMatch(/farm: 1\/2 done, 0 running, 0 failed, 0 retried, ETA 0m00s\n$/);
    expect(plain).toBe('job 1 started on d1 (attempt 1)\njob 1 completed on d1 run 4\n');
  });
});
