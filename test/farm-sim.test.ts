import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFarm } from '../harness/farm/farm.ts';
import { scenarioJobRunner } from '../harness/farm/job-runner.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import type { FarmDevice, FarmEvent } from '../harness/farm/pool.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const ROOT = join(import.meta.dirname, '..');
const MODELS = [join(ROOT, 'scenarios/models/demo-game.yaml'), join(ROOT, 'scenarios/cleaner/model.yaml')];

let agentPath: string;
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

function writePlan(dir: string, extra = ''): string {
  for (let i = 1; i <= 4; i++)
    writeFileSync(
      join(dir, `s${i}.yaml`),
      `name: farm-s${i}\napp: { package: com.starfall.puzzle, model: ${MODELS[0]} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: ${i}s\n  - wait: 20s\n`,
    );
  const plan = join(dir, 'plan.yaml');
  writeFileSync(
    plan,
    `apps:\n${MODELS.map((m) => `  - ${m}`).join('\n')}\nscenarios: [s1.yaml, s2.yaml, s3.yaml, s4.yaml]\ndevices:\n  - sim: 4\nretries: 1\njob-timeout: 2m\nfail-on: critical\ndb: farm.db\nout: out\n${extra}`,
  );
  return plan;
}

const sims = (n: number): FarmDevice[] =>
  Array.from({ length: n }, (_, i) => {
    const device = new SimDevice({ serial: `sim-${i + 1}`, clock: 'virtual', agentPath });
    return { id: device.serial, device };
  });

describe('farm on simulated devices', () => {
  it('runs 8 jobs on 4 devices into one database, all completed', async () => {
    const dir = tempDir();
    const plan = loadPlan(writePlan(dir));
    const events: FarmEvent[] = [];
    const r = await runFarm({ plan, devices: sims(4), onEvent: (e) => events.push(e) });
    expect(r.outcomes).toHaveLength(8);
    expect(r.outcomes.map((o) => o.status)).toEqual(Array(8).fill('completed'));
    const db = new Database(plan.db, { readonly: true });
    const runs = db.prepare('SELECT package, status, device FROM runs ORDER BY id').all() as {
      package: string;
      status: string;
      device: string;
    }[];
    db.close();
    expect(runs).toHaveLength(8);
    expect(new Set(runs.map((x) => x.status))).toEqual(new Set(['completed']));
    expect(new Set(runs.map((x) => x.package)).size).toBe(2);
    // the work was spread: more than one device ran jobs
    expect(new Set(runs.map((x) => x.device)).size).toBeGreaterThan(1);
    const junit = readFileSync(r.files.junit, 'utf8');
    // One testsuite per job (its rules and expectations as test cases, reports/junit.ts).
    expect(junit.match(/<testsuite /g)).toHaveLength(8);
    expect((junit.match(/<testcase /g) ?? []).length).toBeGreaterThan(8);
    const json = JSON.parse(readFileSync(r.files.json, 'utf8')) as { jobs: unknown[] };
    expect(json.jobs).toHaveLength(8);
    expect(events.filter((e) => e.type === 'start')).toHaveLength(8);
  }, 120_000);

  it('retries a job elsewhere when its device is lost, keeping the failed run with its cause', async () => {
    const dir = tempDir();
    const plan = loadPlan(writePlan(dir));
    const devices = sims(4);
    const victim = devices[1]!.device as SimDevice;
    let armed = false;
    const r = await runFarm({
      plan,
      devices,
      runJob: (store) => {
        const inner = scenarioJobRunner({ store, outDir: plan.out });
        return (job, fd, ctx) => {
          if (fd.device === victim && !armed) {
            armed = true;
            // 3 s of scenario time into the job, the device goes away
            victim.clock.setTimeout(() => victim.loseDevice(), 3000);
          }
          return inner(job, fd, ctx);
        };
      },
    });
    expect(armed).toBe(true);
    expect(r.outcomes.map((o) => o.status)).toEqual(Array(8).fill('completed'));
    const retried = r.outcomes.find((o) => o.attempts.length === 2);
    expect(retried).toBeDefined();
    expect(retried!.attempts[0]!.device).toBe('sim-2');
    expect(retried!.attempts[0]!.deviceRemoved).toBe('lost');
    expect(retried!.attempts[1]!.device).not.toBe('sim-2');
    const db = new Database(plan.db, { readonly: true });
    const failed = db.prepare("SELECT id, device, status_reason FROM runs WHERE status = 'failed'").all() as {
      id: number;
      device: string;
      status_reason: string;
    }[];
    const completed = db.prepare("SELECT count(*) AS n FROM runs WHERE status = 'completed'").get() as {
      n: number;
    };
    const kept = db.prepare('SELECT count(*) AS n FROM events WHERE run_id = ?').get(failed[0]?.id ?? -1) as {
      n: number;
    };
    db.close();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ device: 'sim-2', id: retried!.attempts[0]!.runId });
    expect(failed[0]!.status_reason).toMatch(/lost/);
    expect(kept.n).toBeGreaterThan(0);
    expect(completed.n).toBe(8);
    // the lost device took no further job
    expect(r.outcomes.flatMap((o) => o.attempts).filter((a) => a.device === 'sim-2')).toHaveLength(1);
    expect(readFileSync(r.files.text, 'utf8')).toMatch(/sim-2/);
  }, 120_000);
});
