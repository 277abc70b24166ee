// A farm of simulated devices hosts some of them in worker threads (harness/farm/sim-processes.ts)
// so it can use every core: the runs are written by the device workers into the one database,
// with the analysis, and the farm's outcome is the same as with every device on its own thread.
// runs.config.farmWorker names the thread that ran each run (0: the farm's own).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { runFarm } from '../harness/farm/farm.ts';
import { scenarioJobRunner } from '../harness/farm/job-runner.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import { processCount, simProcessRunner } from '../harness/farm/sim-processes.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';
import { tempDir } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

let agentPath: string;
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

describe('farm: simulated devices in worker threads', () => {
  it('runs 6 jobs on 3 devices, one in a worker thread, into one database, analysed', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 's.yaml'),
      `name: farm-proc\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n  - consent\n  - wait: 10s\n`,
    );
    writeFileSync(
      join(dir, 'plan.yaml'),
      `scenarios: [s.yaml, s.yaml, s.yaml, s.yaml, s.yaml, s.yaml]\ndevices:\n  - sim: 3\njob-timeout: 2m\ndb: farm.db\nout: out\n`,
    );
    const plan = loadPlan(join(dir, 'plan.yaml'));
    const r = await runFarm({ plan, simProcesses: { speed: 'max' }, simAgentPath: agentPath, html: false });
    expect(r.outcomes.map((o) => o.status)).toEqual(Array(6).fill('completed'));
    const db = new Database(join(dir, 'farm.db'), { readonly: true });
    const runs = db
      .prepare(
        "SELECT id, device, owner_pid, status, json_extract(config, '$.farmWorker') AS worker FROM runs ORDER BY id",
      )
      .all() as { id: number; device: string; owner_pid: number; status: string; worker: number }[];
    expect(runs).toHaveLength(6);
    expect(runs.every((x) => x.status === 'completed' && x.owner_pid === process.pid)).toBe(true);
    // Devices 1 and 3 run on this thread (device i → thread i mod 2), device 2 in a worker. The
    // devices here keep real time (no simClock), the worker's run at --speed max: it takes jobs.
    expect(runs.some((x) => x.worker !== 0)).toBe(true);
    for (const x of runs) expect(x.worker !== 0).toBe(x.device === 'sim-2');
    // Every run has its events and was analysed on the thread that ran it.
    const perRun = db
      .prepare(
        `SELECT r.id, (SELECT count(*) FROM events e WHERE e.run_id = r.id) AS events,
           (SELECT count(*) FROM findings f WHERE f.run_id = r.id) AS findings FROM runs r`,
      )
      .all() as { events: number; findings: number }[];
    expect(perRun.every((x) => x.events > 0 && x.findings > 0)).toBe(true);
    db.close();
  }, 120_000);
});

describe('overreach farm: device workers started before the farm set-up', () => {
  interface Outcome {
    code: number;
    jobs: { job: number; status: string; events: number; findings: string[] }[];
    workers: Map<string, Set<number>>;
  }

  // The CLI a user runs; runs are matched by their farm job (runs.config), not by run id.
  async function farmCli(dir: string, plan: string): Promise<Outcome> {
    const deps = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: agentPath } });
    const code = await runCli(['farm', plan, '--speed', 'max', '--no-html', '--fail-on', 'high'], deps);
    const db = new Database(join(dir, `${plan}.db`), { readonly: true });
    const runs = db
      .prepare(
        `SELECT r.id, r.status, r.device, json_extract(r.config, '$.farmWorker') AS worker,
           json_extract(r.config, '$.farmJob') AS job,
           (SELECT count(*) FROM events e WHERE e.run_id = r.id) AS events
         FROM runs r ORDER BY job`,
      )
      .all() as { id: number; status: string; device: string; worker: number; job: number; events: number }[];
    const findings = db.prepare(
      `SELECT f.rule, f.severity, coalesce(f.category, '-') AS category, coalesce(f.sdk, '-') AS sdk,
         (SELECT count(*) FROM finding_events fe WHERE fe.finding_id = f.id) AS evidence
       FROM findings f WHERE f.run_id = ? ORDER BY 1, 2, 3, 4, 5`,
    );
    const workers = new Map<string, Set<number>>();
    for (const r of runs) workers.set(r.device, (workers.get(r.device) ?? new Set()).add(r.worker));
    const jobs = runs.map((r) => ({
      job: r.job,
      status: r.status,
      events: r.events,
      findings: (findings.all(r.id) as Record<string, string | number>[]).map((f) =>
        Object.values(f).join(' '),
      ),
    }));
    db.close();
    return { code, jobs, workers };
  }

  it('stores the same runs, findings and exit code with 4 devices as with 1, some of them in a worker', async () => {
    const dir = tempDir();
    // Two scenarios (consent given or not) alternate, so a result stored under the wrong job shows.
    const scenario = (name: string, consent: boolean) =>
      writeFileSync(
        join(dir, `${name}.yaml`),
        `name: ${name}\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n${consent ? '  - consent\n' : ''}  - wait: 10s\n`,
      );
    scenario('agree', true);
    scenario('ignore', false);
    const plan = (n: number) =>
      writeFileSync(
        join(dir, `farm${n}`),
        `scenarios: [agree.yaml, ignore.yaml, agree.yaml, ignore.yaml, agree.yaml, ignore.yaml]\ndevices: [{ sim: ${n} }]\ndb: farm${n}.db\nout: out${n}\n`,
      );
    plan(1);
    plan(4);
    const one = await farmCli(dir, 'farm1');
    const four = await farmCli(dir, 'farm4');
    expect(one.jobs.map((j) => j.status)).toEqual(Array(6).fill('completed'));
    expect(one.jobs.every((j) => j.events > 0 && j.findings.length > 0)).toBe(true);
    // Consent changes what is found: the comparison below can tell the two scenarios apart.
    expect(one.jobs[0]?.findings).not.toEqual(one.jobs[1]?.findings);
    expect(one.code).toBe(3);
    expect(four.code).toBe(one.code);
    expect(four.jobs).toEqual(one.jobs);
    // One device: everything on the farm's thread. Four: devices 2 and 4 live in a worker
    // (i mod 2) and take jobs from the start (how many depends on timing; the test below is exact).
    expect([...(one.workers.get('sim-1') ?? [])]).toEqual([0]);
    if (processCount(4) > 1) {
      for (const d of ['sim-2', 'sim-4']) for (const w of four.workers.get(d) ?? []) expect(w).not.toBe(0);
      for (const d of ['sim-1', 'sim-3']) for (const w of four.workers.get(d) ?? []) expect(w).toBe(0);
    }
  }, 180_000);

  it('closes the started device workers when the plan is bad input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nsteps: [{ launch: {} }]\n');
    writeFileSync(
      join(dir, 'farm'),
      'scenarios: [bad.yaml, bad.yaml]\ndevices: [{ sim: 2 }]\ndb: f.db\nout: out\n',
    );
    const deps = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: agentPath } });
    expect(await runCli(['farm', 'farm', '--speed', 'max'], deps)).toBe(2);
    expect(deps.err()).toContain('bad.yaml');
    // The workers open the database only with their first job: a bad plan leaves none.
    expect(existsSync(join(dir, 'f.db'))).toBe(false);
  }, 60_000);
});

describe('sim device workers', () => {
  it("runs a worker device's job on the worker's thread, stored as the same job run here would be", async () => {
    if (processCount(2) < 2) return; // one core: no device workers at all
    const dir = tempDir();
    const scenario = join(dir, 's.yaml');
    writeFileSync(
      scenario,
      `name: one-job\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n  - consent\n  - wait: 10s\n`,
    );
    const db = join(dir, 'f.db');
    const store = openStore(db);
    const runner = simProcessRunner(
      { db, outDir: join(dir, 'out'), analyze: true, html: false, rawValues: false, speed: 'max', agentPath },
      2,
    );
    try {
      expect(runner.remote(0)).toBe(false);
      expect(runner.remote(1)).toBe(true);
      await runner.start(1);
      const ctx = { signal: new AbortController().signal, onRun: () => undefined };
      const job = { id: 1, scenario };
      const remote = await runner.runJob(1)(
        job,
        { id: 'sim-2', device: new SimDevice({ serial: 'sim-2' }) },
        ctx,
      );
      const here = await scenarioJobRunner({ store, outDir: join(dir, 'out-here') })(
        { id: 2, scenario },
        { id: 'sim-1', device: new SimDevice({ serial: 'sim-1', clock: 'virtual', agentPath }) },
        ctx,
      );
      expect([remote.status, here.status]).toEqual(['completed', 'completed']);
      const row = store.db.prepare(
        "SELECT json_extract(config, '$.farmWorker') AS worker, device FROM runs WHERE id = ?",
      );
      const r = row.get(remote.runId) as { worker: number; device: string };
      expect(r.device).toBe('sim-2');
      expect(r.worker).toBeGreaterThan(0);
      expect((row.get(here.runId) as { worker: number }).worker).toBe(0);
      const found = store.db.prepare(
        "SELECT group_concat(rule || ' ' || severity || ' ' || coalesce(category, '-') || ' ' || coalesce(sdk, '-'), '; ') AS f FROM (SELECT * FROM findings WHERE run_id = ? ORDER BY rule, severity, category, sdk)",
      );
      const events = store.db.prepare('SELECT count(*) AS n FROM events WHERE run_id = ?');
      expect(found.get(remote.runId)).toEqual(found.get(here.runId));
      expect((found.get(remote.runId) as { f: string | null }).f).toContain('access-before-consent');
      expect(events.get(remote.runId)).toEqual(events.get(here.runId));
    } finally {
      await runner.close();
      store.close();
    }
  }, 120_000);
});
