// `overreach run <scenario>`: runs a scenario on a device (or the simulated one) into the trace
// database, printing each step, event counts per category and where everything went.
// Exit codes: 0 completed, 1 failed, 2 bad input, 3 an `expect` assertion failed, 130 Ctrl-C.
import { resolve } from 'node:path';
import { Option } from 'commander';
import { readFindings } from '../../analysis/engine.ts';
import { DEFAULT_JS_RUNTIME, JS_RUNTIMES, type JsRuntime } from '../../device/types.ts';
import { InputError } from '../../errors.ts';
import { checkOutcome, executeRun, parseSpeed, runJson } from '../../run/execute.ts';
import { loadScenario } from '../../scenario/load.ts';
import { openReadOnly } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

interface RunOpts {
  device?: string;
  db?: string;
  out: string;
  rawValues?: boolean;
  honey?: boolean;
  appiumUrl?: string;
  speed: string;
  report?: boolean;
  pack?: string;
  jsRuntime: JsRuntime;
  profile?: string;
  rules?: string;
  apk?: string;
  json?: boolean;
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
    .option(
      '--honey',
      'plant distinctive values (IMEI, Android ID, phone number, location, advertising ID, clipboard) so sent values are unambiguous',
    )
    .option('--appium-url <url>', 'an existing Appium server (default: start one on demand)')
    .option('--speed <n>', 'simulated device: clock speed, a factor of real time or "max"', '1')
    .option('--profile <file>', "app profile (default: the scenario's app.profile); stored with the run")
    .option(
      '--pack <id|file>',
      'policy pack for the analysis (default: the built-in 2021 necessary-information rules); stored with the run',
    )
    .addOption(
      new Option(
        '--js-runtime <engine>',
        'real device: the JavaScript engine Frida runs the agent in (docs/real-devices.md)',
      )
        .choices(JS_RUNTIMES)
        .default(DEFAULT_JS_RUNTIME),
    )
    .option('--rules <file>', 'rule thresholds YAML (docs/findings.md); stored with the run')
    .option('--apk <file>', "the APK whose manifest is the app's (declared permissions); stored with the run")
    .option('--no-report', 'do not write report.html into --out')
    .option('--lang <lang>', 'language of report.html: en or zh', 'en')
    .option(
      '--json',
      'print one JSON object (run, status, steps, expectations, findings); progress goes to stderr',
    )
    .action(async (file: string, opts: RunOpts) => {
      const speed = parseSpeed(opts.speed);
      if (opts.lang !== 'en' && opts.lang !== 'zh')
        throw new InputError(`--lang: expected en or zh, got "${opts.lang}"`);
      const scenarioPath = resolve(deps.cwd, file);
      const scenario = await loadScenario(scenarioPath);
      // With --json, stdout carries only the JSON object; progress lines go to stderr.
      const runDeps = opts.json ? { ...deps, stdout: deps.stderr } : deps;
      const { result, dbPath, reportPath } = await executeRun(
        {
          scenario,
          scenarioFile: file,
          ...(opts.device ? { device: opts.device } : {}),
          db: opts.db ?? deps.defaultDb,
          outDir: resolve(deps.cwd, opts.out),
          rawValues: opts.rawValues === true,
          jsRuntime: opts.jsRuntime,
          ...(opts.honey ? { honey: true } : {}),
          ...(opts.appiumUrl ? { appiumUrl: opts.appiumUrl } : {}),
          scenarioPath,
          analysis: {
            ...(opts.profile ? { profile: opts.profile } : {}),
            ...(opts.pack ? { pack: opts.pack } : {}),
            ...(opts.rules ? { rules: opts.rules } : {}),
            ...(opts.apk ? { apk: opts.apk } : {}),
          },
          speed,
          report: opts.report !== false,
          lang: opts.lang,
        },
        runDeps,
      );
      if (opts.json) {
        const db = openReadOnly(dbPath);
        try {
          const findings = readFindings(db, result.runId);
          deps.stdout(`${JSON.stringify({ ...runJson(result, dbPath, reportPath), findings }, null, 2)}\n`);
        } finally {
          db.close();
        }
      }
      checkOutcome(result);
    });
};
