import { existsSync } from 'node:fs';
// `overreach run <scenario>`: runs a scenario on a device (or the simulated one) into the trace
// database, printing each step, event counts per category and where everything went.
// Exit codes: 0 completed, 1 failed, 2 bad input, 3 an `expect` assertion failed, 130 Ctrl-C.
import { resolve } from 'node:path';
import { InputError } from '../../errors.ts';
import { checkOutcome, executeRun, parseSpeed } from '../../run/execute.ts';
import { loadScenario } from '../../scenario/load.ts';
import type { RegisterCommand } from '../registry.ts';

interface RunOpts {
  device?: string;
  db?: string;
  out: string;
  rawValues?: boolean;
  appiumUrl?: string;
  speed: string;
  report?: boolean;
  pack?: string;
  lang: string;
}

export const registerRun: RegisterCommand = (program, deps) => {
  program
    .command('run')
    .description('run a scenario on a device or the simulated device (see docs/scenarios.md)')
    .argument('<scenario>', 'scenario file (.yaml, .yml or .ts)')
    .option(
      '--device <serial>',
      'adb serial, or "sim" for the simulated device (default: sim when the scenario has app.model)',
    )
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--out <dir>', 'folder for screenshots and the report', 'overreach-out')
    .option('--raw-values', 'record raw personal values (default: salted hashes only)')
    .option('--appium-url <url>', 'an existing Appium server (default: start one on demand)')
    .option('--speed <n>', 'simulated device: clock speed, a factor of real time or "max"', '1')
    .option(
      '--pack <id|file>',
      'policy pack for the analysis (default: the built-in 2021 necessary-information rules)',
    )
    .option('--no-report', 'do not write report.html into --out')
    .option('--lang <lang>', 'language of report.html: en or zh', 'en')
    .action(async (file: string, opts: RunOpts) => {
      const speed = parseSpeed(opts.speed);
      if (opts.lang !== 'en' && opts.lang !== 'zh')
        throw new InputError(`--lang: expected en or zh, got "${opts.lang}"`);
      const scenario = await loadScenario(resolve(deps.cwd, file));
      const { result } = await executeRun(
        {
          scenario,
          scenarioFile: file,
          ...(opts.device ? { device: opts.device } : {}),
          db: opts.db ?? deps.defaultDb,
          outDir: resolve(deps.cwd, opts.out),
          rawValues: opts.rawValues === true,
          ...(opts.appiumUrl ? { appiumUrl: opts.appiumUrl } : {}),
          // a file relative to the working directory, else a built-in pack id
          ...(opts.pack
            ? { pack: existsSync(resolve(deps.cwd, opts.pack)) ? resolve(deps.cwd, opts.pack) : opts.pack }
            : {}),
          speed,
          report: opts.report !== false,
          lang: opts.lang,
        },
        deps,
      );
      checkOutcome(result);
    });
};
