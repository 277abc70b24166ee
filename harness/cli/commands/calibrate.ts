// `overreach calibrate --device <serial|sim> [--json]`: proves the instrument. The calibration
// app (dist/overreach-calibration.apk, `npm run build:calibration`) makes one call per catalog
// target and overload; each catalog entry is then fired exactly once / not fired / fired more
// than once / not applicable (API level, or no receiver obtainable by app code). On `sim` a model
// of the same app runs against the real agent in the simulated runtime. Exit 1 when any entry
// did not fire exactly once.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAndroidApi } from '../../android-api/load.ts';
import { deviceCalibration } from '../../calibration/device.ts';
import { buildPlan } from '../../calibration/plan.ts';
import { calibrationVerdicts, formatCalibration } from '../../calibration/results.ts';
import { simulateCalibration } from '../../calibration/simulate.ts';
import { EnvironmentError, InputError } from '../../errors.ts';
import { DEFAULT_AGENT, DEFAULT_API_LEVEL } from '../../simulation/runtime/sim-runtime.ts';
import type { RegisterCommand } from '../registry.ts';

interface CalibrateOpts {
  device: string;
  json?: boolean;
  api?: string;
  apk?: string;
  wait?: string;
}

export const registerCalibrate: RegisterCommand = (program, deps) => {
  program
    .command('calibrate')
    .description('prove every hook fires exactly once per call, on a device or the simulator')
    .requiredOption('--device <serial>', "a device serial, or 'sim' for the simulated device")
    .option('--json', 'print one JSON object')
    .option('--api <level>', `simulated device: API level (default ${DEFAULT_API_LEVEL})`)
    .option('--apk <file>', 'device: the calibration APK', 'dist/overreach-calibration.apk')
    .option('--wait <seconds>', 'device: how long the calls may take', '30')
    .action(async (opts: CalibrateOpts) => {
      const api = loadAndroidApi();
      const plan = buildPlan(api);
      let report: ReturnType<typeof calibrationVerdicts>;
      if (opts.device === 'sim') {
        const level = Number(opts.api ?? DEFAULT_API_LEVEL);
        if (!Number.isInteger(level) || level < 21 || level > 37)
          throw new InputError(`--api: expected an API level 21…37, got "${opts.api}"`);
        const agentPath = deps.env['OVERREACH_SIM_AGENT'] ?? DEFAULT_AGENT;
        if (!existsSync(agentPath))
          throw new EnvironmentError(
            `${agentPath}: simulator agent bundle missing (run npm run build:agent)`,
          );
        report = calibrationVerdicts(
          plan,
          simulateCalibration(plan, { agentPath, apiLevel: level }),
          level,
          'sim',
        );
      } else {
        const apk = resolve(deps.cwd, opts.apk ?? 'dist/overreach-calibration.apk');
        if (!existsSync(apk))
          throw new EnvironmentError(`${opts.apk}: calibration APK missing (run npm run build:calibration)`);
        const wait = Number(opts.wait ?? '30');
        if (!Number.isFinite(wait) || wait <= 0 || wait > 3600)
          throw new InputError(`--wait: expected seconds 1…3600, got "${opts.wait}"`);
        const { observed, apiLevel } = await deviceCalibration(opts.device, apk, deps, wait);
        if (apiLevel === null)
          throw new EnvironmentError(`${opts.device}: the calibration app's process was never hooked`);
        report = calibrationVerdicts(plan, observed, apiLevel, opts.device);
      }
      deps.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatCalibration(report));
      if (report.counts['not-fired'] > 0 || report.counts['fired-more-than-once'] > 0) process.exitCode = 1;
    });
};
