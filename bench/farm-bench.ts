// Farm benchmark: `npx tsx bench/farm-bench.ts [jobs]` (or runFarmBench()).
// Question: how much time does the farm add per job beyond the scenario's own time?
// Method: the scenario runs 60 s of scenario time on the simulated devices' VIRTUAL clock, so
// waiting costs no wall time and what remains is work. We time
//   (a) the same N jobs run directly with runScenario, one after another on one sim device
//       (the scenario's own cost: simulated app + agent + store writes), and
//   (b) the same N jobs through the farm (plan → pool → job runner → report/JUnit) on 1 device,
// and report overhead per job = (wall(b) − wall(a)) / N, as a % of the 60 s scenario.
// A 4-device farm's wall time is printed too (2 shared cores: parallelism is limited by CPU).
// Target: ≤ 5 % of 60 s (3 s) per job.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFarm } from '../harness/farm/farm.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import type { FarmDevice } from '../harness/farm/pool.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';

const SCENARIO_MS = 60_000;
const MODEL = join(import.meta.dirname, '..', 'scenarios', 'models', 'demo-game.yaml');

export interface FarmBenchResult {
  jobs: number;
  directMsPerJob: number;
  farmMsPerJob: number;
  overheadMsPerJob: number;
  overheadPercent: number;
  farm4WallMs: number;
}

export async function runFarmBench(jobs = 8): Promise<FarmBenchResult> {
  const agentPath = (await buildFreshBundles()).sim;
  const dir = mkdtempSync(join(tmpdir(), 'overreach-farm-bench-'));
  try {
    writeFileSync(
      join(dir, 's.yaml'),
      `name: bench-60s\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n  - consent\n  - wait: 40s\n`,
    );
    const sim = (n: number): FarmDevice[] =>
      Array.from({ length: n }, (_, i) => {
        const device = new SimDevice({ serial: `sim-${i + 1}`, clock: 'virtual', agentPath });
        return { id: device.serial, device };
      });
    const plan = (name: string) => {
      writeFileSync(
        join(dir, `${name}.yaml`),
        `scenarios: [${Array(jobs).fill('s.yaml').join(', ')}]\ndevices: [{ sim: 1 }]\ndb: ${name}.db\nout: ${name}-out\n`,
      );
      return loadPlan(join(dir, `${name}.yaml`));
    };
    // Warm-up (module loading, JIT) so neither side pays it.
    await runFarm({ plan: plan('warm'), devices: sim(1), analyze: false });

    const scenario = await loadScenario(join(dir, 's.yaml'));
    const store = openStore(join(dir, 'direct.db'));
    const [dev] = sim(1);
    let scenarioMs = 0;
    const t0 = performance.now();
    for (let i = 0; i < jobs; i++) {
      const r = await runScenario({
        scenario,
        device: dev!.device,
        store,
        outDir: join(dir, 'direct-out'),
        log: () => undefined,
      });
      const run = store.getRun(r.runId);
      scenarioMs += (run?.ended_at ?? 0) - (run?.started_at ?? 0);
    }
    const direct = performance.now() - t0;
    store.close();

    const farm1 = await runFarm({ plan: plan('farm1'), devices: sim(1), analyze: false });
    const farm4 = await runFarm({ plan: { ...plan('farm4') }, devices: sim(4), analyze: false });
    const completed = [...farm1.outcomes, ...farm4.outcomes].filter((o) => o.status === 'completed').length;
    const r: FarmBenchResult = {
      jobs,
      directMsPerJob: direct / jobs,
      farmMsPerJob: farm1.wallMs / jobs,
      overheadMsPerJob: (farm1.wallMs - direct) / jobs,
      overheadPercent: ((farm1.wallMs - direct) / jobs / SCENARIO_MS) * 100,
      farm4WallMs: farm4.wallMs,
    };
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    process.stdout.write(
      `farm bench: ${jobs} jobs of a ${SCENARIO_MS / 1000} s scenario (virtual clock; mean scenario time per run ${(scenarioMs / jobs / 1000).toFixed(1)} s)\n` +
        `  direct runScenario, 1 sim device : ${f(r.directMsPerJob)} wall per job (the scenario's own cost)\n` +
        `  farm, 1 sim device               : ${f(r.farmMsPerJob)} wall per job\n` +
        `  orchestration overhead per job   : ${f(r.overheadMsPerJob)} = ${r.overheadPercent.toFixed(3)} % of ${SCENARIO_MS / 1000} s (target ≤ 5 %) ${r.overheadPercent <= 5 ? 'OK' : 'MISSED'}\n` +
        `  upper bound (all farm wall time counted as overhead): ${((r.farmMsPerJob / SCENARIO_MS) * 100).toFixed(3)} %\n` +
        `  farm, 4 sim devices              : ${f(r.farm4WallMs)} wall for ${jobs} jobs; ${completed}/${2 * jobs} farm jobs completed\n` +
        '  method: overhead = (farm wall − direct wall) / jobs; waits cost no wall time on the virtual clock\n',
    );
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runFarmBench(Number(process.argv[2] ?? 8));
