// Calibration on a real device: the calibration APK is installed and launched by an ordinary
// scenario run under the agent (install, launch, wait); the run's events are then read back
// with their stacks. The device's API level comes from the hooked process (processes.api_level).
// Not exercised here (no device on the build machine): the simulator path shares the plan and
// the verdicts, not this file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliDeps } from '../cli/deps.ts';
import { executeRun } from '../run/execute.ts';
import { loadScenario } from '../scenario/load.ts';
import { openReadOnly } from '../store/store.ts';
import { CAL_PACKAGE } from './plan.ts';
import type { Observation } from './results.ts';

export async function deviceCalibration(
  serial: string,
  apk: string,
  deps: CliDeps,
  waitSeconds = 30,
): Promise<{ observed: Observation[]; apiLevel: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'overreach-calibrate-'));
  try {
    const file = join(dir, 'calibrate.yaml');
    writeFileSync(
      file,
      `name: calibration\napp: { package: ${CAL_PACKAGE}, apk: ${JSON.stringify(apk)} }\nsteps:\n  - install\n  - launch: { clear-data: true }\n  - wait: ${waitSeconds}s\n`,
    );
    const db = join(dir, 'calibrate.db');
    const quiet: CliDeps = { ...deps, stdout: () => undefined };
    const { result } = await executeRun(
      {
        scenario: await loadScenario(file),
        scenarioFile: file,
        device: serial,
        db,
        outDir: dir,
        rawValues: false,
        report: false,
        speed: 1,
      },
      quiet,
    );
    const store = openReadOnly(db);
    try {
      const rows = store
        .prepare<[number], { hook: string; frames: string | null }>(
          `SELECT a.hook, s.frames FROM events e JOIN apis a ON a.id = e.api_id
           LEFT JOIN stacks s ON s.id = e.stack_id WHERE e.run_id = ?`,
        )
        .all(result.runId);
      const level = store
        .prepare<[number], number | null>('SELECT max(api_level) FROM processes WHERE run_id = ?')
        .pluck()
        .get(result.runId);
      return {
        observed: rows.map((r) => ({ hook: r.hook, frames: r.frames?.split('\n') ?? [] })),
        apiLevel: level ?? null,
      };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
