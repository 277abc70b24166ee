// Farm benchmark: `npx tsx bench/farm-bench.ts [jobs]` (or runFarmBench()).
// The CLI a user runs, `overreach farm plan.yaml --speed max` (virtual clock: no waiting, all
// wall time is work), with the analysis and per-run HTML reports on, for 8 jobs of a 60-s
// scenario: 4 simulated devices PAIRED with 1 simulated device, alternating, fresh database
// each time. Prints wall time per job and the speed-up. Target: 4 devices ≥ 1.6× faster.
// What it excludes: nothing of the farm (plan, devices, device worker threads, store, analysis,
// reports, JUnit) — the simulated app is lighter than a real one, so per-job work is small
// (~70 ms warm) next to the fixed costs (start-up, each thread's module load and warm-up).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, benchPairs, machine, paired, print, printPaired, ROOT, runNode, verdict } from './measure.ts';

const MODEL = join(ROOT, 'scenarios', 'models', 'demo-game.yaml');

export interface FarmBenchResult {
  jobs: number;
  oneMsPerJob: number;
  fourMsPerJob: number;
  speedup: number;
}

export async function runFarmBench(jobs = 8): Promise<FarmBenchResult> {
  const pairs = benchPairs();
  const dir = mkdtempSync(join(tmpdir(), 'overreach-farm-bench-'));
  try {
    print(`farm bench: ${jobs} jobs of a 60 s scenario, analysis and HTML on, ${machine()}`);
    writeFileSync(
      join(dir, 's.yaml'),
      `name: bench-60s\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n  - consent\n  - wait: 40s\n`,
    );
    for (const n of [1, 4])
      writeFileSync(
        join(dir, `farm${n}.yaml`),
        `scenarios: [${Array(jobs).fill('s.yaml').join(', ')}]\ndevices: [{ sim: ${n} }]\ndb: farm${n}.db\nout: out${n}\n`,
      );
    const wipe = (n: number) => () => {
      for (const f of [`farm${n}.db`, `farm${n}.db-wal`, `farm${n}.db-shm`, `out${n}`])
        rmSync(join(dir, f), { recursive: true, force: true });
    };
    const farm = (n: number) => () => runNode([BIN, 'farm', `farm${n}.yaml`, '--speed', 'max'], { cwd: dir });
    wipe(1)();
    farm(1)(); // warm-up: page cache, the Android API cache
    const p = paired(farm(4), farm(1), pairs, { ours: wipe(4), anchor: wipe(1) });
    printPaired(`4 devices (${Math.min(4, availableParallelism())} threads)`, '1 device', p);
    const r: FarmBenchResult = {
      jobs,
      oneMsPerJob: p.anchor.median / jobs,
      fourMsPerJob: p.ours.median / jobs,
      speedup: p.anchor.median / p.ours.median,
    };
    verdict('farm wall per job, 1 device (median)', `${r.oneMsPerJob.toFixed(0)} ms`, '—', null);
    verdict('farm wall per job, 4 devices (median)', `${r.fourMsPerJob.toFixed(0)} ms`, '—', null);
    verdict('farm speed-up, 4 devices ÷ 1 (medians)', `${r.speedup.toFixed(2)}×`, '≥ 1.6×', r.speedup >= 1.6);
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runFarmBench(Number(process.argv[2] ?? 8));
