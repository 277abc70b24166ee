// `overreach demo` (npm run demo): runs scenarios/demo.yaml on the simulated device into a fresh
// ./overreach-demo/overreach.db, writes ./overreach-demo/report.html when reports are
// available, and shows where everything is and what to ask next.
import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeRun, parseSpeed, RunFailedError } from '../../run/execute.ts';
import { loadScenario } from '../../scenario/load.ts';
import type { RegisterCommand } from '../registry.ts';

export const DEMO_SCENARIO = fileURLToPath(new URL('../../../scenarios/demo.yaml', import.meta.url));

interface DemoOpts {
  out: string;
  speed: string;
}

export const registerDemo: RegisterCommand = (program, deps) => {
  program
    .command('demo')
    .description('run the demo scenario on the simulated device and write a report (no phone needed)')
    .option('--out <dir>', 'output folder (emptied first)', 'overreach-demo')
    // The virtual clock ('max') gives the same run as real time (same steps, events, findings)
    // without sleeping: the demo takes well under a second of work.
    .option('--speed <n>', 'clock speed: a factor of real time or "max" (virtual clock)', 'max')
    .action(async (opts: DemoOpts) => {
      const speed = parseSpeed(opts.speed);
      const outDir = resolve(deps.cwd, opts.out); // an absolute --out stays absolute
      const db = join(outDir, 'overreach.db');
      // Fresh each time: one run in the database, so "latest" is the demo run.
      for (const f of [db, `${db}-wal`, `${db}-shm`, join(outDir, 'report.html')]) rmSync(f, { force: true });
      rmSync(join(outDir, 'screenshots'), { recursive: true, force: true });
      const scenario = await loadScenario(DEMO_SCENARIO);
      const { result, reportPath } = await executeRun(
        {
          scenario,
          scenarioFile: relative(deps.cwd, DEMO_SCENARIO),
          device: 'sim',
          db,
          outDir,
          rawValues: false,
          speed,
          report: true,
        },
        deps,
      );
      const rel = (p: string) => relative(deps.cwd, p) || p;
      const q = (sql: string) => `  npx overreach query --db ${rel(db)} "${sql}"`;
      deps.stdout(
        [
          reportPath ? '' : 'report: (reports are not available in this build)',
          `open ${rel(reportPath ?? db)}, or try:`,
          q(
            `SELECT category, phase, accesses, first_at FROM v_category_phase WHERE run = ${result.runId} ORDER BY first_at`,
          ),
          q(
            `SELECT category, first_at, api, sdk, step FROM v_first_access WHERE run = ${result.runId} AND phase = 'pre-consent'`,
          ),
          q(
            `SELECT coalesce(sdk, '(app)') AS sdk, category, accesses FROM v_sdk_accesses WHERE run = ${result.runId} ORDER BY accesses DESC`,
          ),
          '',
        ].join('\n'),
      );
      if (result.status !== 'completed')
        throw new RunFailedError(
          `demo run ${result.runId} ${result.status}: ${result.reason ?? ''}`,
          result.status === 'interrupted' ? 130 : 1,
        );
    });
};
