// `overreach farm plan.yaml`: apps × scenarios across devices into one database (docs/farm.md).
import { resolve } from 'node:path';
import { prestartSimWorkers, releaseSimWorkers, startSimProcesses } from '../../farm/sim-processes.ts';
import type { CliDeps } from '../deps.ts';
import type { RegisterCommand } from '../registry.ts';

interface FarmOpts {
  failOn?: string;
  db?: string;
  out?: string;
  speed: string;
  analyze: boolean;
  html: boolean;
  json?: boolean;
}

export const registerFarm: RegisterCommand = (program, deps) => {
  program
    .command('farm')
    .description('run a farm plan: apps × scenarios on many devices in parallel, one database')
    .argument('<plan>', 'farm plan YAML (docs/farm.md)')
    .option('--fail-on <severity>', 'exit 3 when a finding has this severity or higher (overrides the plan)')
    .option('--db <file>', 'database file (overrides the plan)')
    .option('--out <dir>', 'report folder (overrides the plan)')
    .option('--speed <n>', 'simulated devices: clock speed, a factor of real time or "max"', '1')
    .option('--no-analyze', 'skip the findings analysis after each run')
    .option('--no-html', 'skip the per-run HTML reports (out/job-N-attempt-M/report.html)')
    .option('--json', 'print the farm report as JSON on stdout (progress goes to stderr)')
    .action(async (file: string, opts: FarmOpts) => {
      // The device workers start first of all, so their start-up overlaps loading the farm's
      // modules, reading the plan and the farm's set-up here (docs/performance.md "Farm").
      prestartSimWorkers();
      try {
        await farmAction(file, opts, deps);
      } finally {
        await releaseSimWorkers();
      }
    });
};

async function farmAction(file: string, opts: FarmOpts, deps: CliDeps): Promise<void> {
  const [{ parseSeverity }, { loadPlan }, { progressView }, { parseSpeed, scaledClock }] = await Promise.all([
    import('../../../reports/severity.ts'),
    import('../../farm/plan.ts'),
    import('../../farm/progress.ts'),
    import('../../run/clock.ts'),
  ]);
  const plan = loadPlan(resolve(deps.cwd, file));
  if (opts.failOn !== undefined) plan.failOn = parseSeverity(opts.failOn);
  if (opts.db) plan.db = resolve(deps.cwd, opts.db);
  if (opts.out) plan.out = resolve(deps.cwd, opts.out);
  const speed = parseSpeed(opts.speed);
  const agentPath = deps.env['OVERREACH_SIM_AGENT'];
  // The plan's device workers (those pre-started); runFarm closes them, also on bad input.
  const processes = startSimProcesses(plan, {
    speed,
    analyze: opts.analyze,
    html: opts.html,
    ...(agentPath ? { agentPath } : {}),
  });
  // Those the plan does not use (one simulated device, real devices) end now.
  void releaseSimWorkers();
  const [{ runFarm }, { reportText }] = await Promise.all([
    import('../../farm/farm.ts'),
    import('../../farm/report.ts'),
  ]).catch(async (err: unknown) => {
    await processes?.close();
    throw err;
  });
  const ac = new AbortController();
  const onSigint = () => {
    deps.stderr('\ninterrupted: finishing the running jobs\n');
    ac.abort('SIGINT');
  };
  process.once('SIGINT', onSigint);
  const jobs = (plan.apps.length || 1) * plan.scenarios.length;
  const out = opts.json ? deps.stderr : deps.stdout;
  const view = progressView(jobs, out, deps.isTty && !opts.json);
  try {
    const r = await runFarm({
      plan,
      signal: ac.signal,
      onEvent: (e) => view.onEvent(e),
      analyze: opts.analyze,
      html: opts.html,
      simProcesses: { speed },
      ...(processes ? { processes } : {}),
      ...(speed === 'max'
        ? { simClock: 'virtual' as const }
        : speed === 1
          ? {}
          : { simClock: () => scaledClock(speed) }),
      ...(agentPath ? { simAgentPath: agentPath } : {}),
    });
    view.done();
    // Interrupted farms exit 130 like `run` (the shell's convention for SIGINT).
    const code = ac.signal.aborted ? 130 : r.exitCode;
    if (opts.json) {
      const json = { plan: plan.file, db: plan.db, files: r.files, exitCode: code, ...r.report };
      deps.stdout(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      deps.stdout(`\n${reportText(r.report)}\n`);
      deps.stdout(
        `database: ${plan.db}\nreport: ${r.files.text}, ${r.files.json}\njunit: ${r.files.junit}, ${r.files.sarif}\n`,
      );
    }
    if (code !== 0) process.exitCode = code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
