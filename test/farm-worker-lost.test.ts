// A device worker that fails to start (its thread ends before it is ready) takes its devices
// with it: the farm must count them lost and run their jobs on the devices that work. Before,
// the pool asked this thread's stand-in SimDevice, which always answers, so those devices stayed
// in the pool and failed every job they took — with two of them a job used up its retries.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFarm } from '../harness/farm/farm.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import type { FarmEvent } from '../harness/farm/pool.ts';
import type { SimProcessRunner } from '../harness/farm/sim-processes.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

let agentPath: string;
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

/** Devices 1 and 3 live in a worker that ended before it was ready (as sim-processes reports it). */
function brokenWorker(): SimProcessRunner & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    remote: (i) => i % 2 === 1,
    start: async () => undefined,
    alive: (i) => {
      asked.push(i);
      return i % 2 === 0;
    },
    runJob: (i) => async (_job, fd) => {
      throw new Error(`${fd.id}: simulated device worker is not running (device ${i})`);
    },
    shareModels: () => undefined,
    close: async () => undefined,
  };
}

describe('farm: a device worker that never started', () => {
  it('counts its devices lost and runs every job on the devices that work', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 's.yaml'),
      `name: farm-lost\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 1s\n`,
    );
    writeFileSync(
      join(dir, 'plan.yaml'),
      `scenarios: [s.yaml, s.yaml, s.yaml, s.yaml]\ndevices:\n  - sim: 4\nretries: 1\njob-timeout: 2m\ndb: farm.db\nout: out\n`,
    );
    const events: FarmEvent[] = [];
    const processes = brokenWorker();
    const r = await runFarm({
      plan: loadPlan(join(dir, 'plan.yaml')),
      processes,
      simAgentPath: agentPath,
      html: false,
      analyze: false,
      onEvent: (e) => events.push(e),
    });
    expect(r.outcomes.map((o) => o.status)).toEqual(Array(4).fill('completed'));
    const removed = events.flatMap((e) => (e.type === 'device-removed' ? [e.device] : []));
    expect(removed.sort()).toEqual(['sim-2', 'sim-4']);
    // Each broken device failed once, then left the pool; the job went to a working device.
    for (const o of r.outcomes) {
      expect(o.attempts.at(-1)!.device).toMatch(/^sim-[13]$/);
      for (const a of o.attempts.slice(0, -1)) {
        expect(a.reason).toMatch(/lost: .*not running/);
        expect(a.deviceRemoved).toBe('lost');
      }
    }
    expect(processes.asked.every((i) => i % 2 === 1)).toBe(true);
  }, 120_000);
});
