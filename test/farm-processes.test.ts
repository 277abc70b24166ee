// A farm of simulated devices runs each device but the first in its own process (harness/farm/sim-processes.ts)
// so it can use every core: the runs are written by the device processes into the one database,
// with the analysis, and the farm's outcome is the same as in-process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFarm } from '../harness/farm/farm.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

let agentPath: string;
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

describe('farm: simulated devices in their own processes', () => {
  it('runs 6 jobs on 3 device processes into one database, analysed', async () => {
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
    const runs = db.prepare('SELECT id, owner_pid, status FROM runs ORDER BY id').all() as {
      id: number;
      owner_pid: number;
      status: string;
    }[];
    expect(runs).toHaveLength(6);
    expect(runs.every((x) => x.status === 'completed')).toBe(true);
    // The first device runs here, the others in their own processes: one writer pid per device
    // used, at least one of them another process.
    const pids = new Set(runs.map((x) => x.owner_pid));
    expect([...pids].some((p) => p !== process.pid)).toBe(true);
    expect(pids.size).toBeGreaterThanOrEqual(2);
    expect(pids.size).toBeLessThanOrEqual(3);
    // Every run has its events and was analysed in its device process.
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
