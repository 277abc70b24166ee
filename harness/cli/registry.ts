// Every command topic registers itself here: one file per topic under commands/.
import type { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.ts';
import { registerApk } from './commands/apk.ts';
import { registerCalibrate } from './commands/calibrate.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDevice } from './commands/device.ts';
import { registerDiff } from './commands/diff.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerFarm } from './commands/farm.ts';
import { registerHooks } from './commands/hooks.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerMerge } from './commands/merge.ts';
import { registerQuery } from './commands/query.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerRuns } from './commands/runs.ts';
import { registerScenario } from './commands/scenario.ts';
import type { CliDeps } from './deps.ts';

export type RegisterCommand = (program: Command, deps: CliDeps) => void;

export const COMMANDS: RegisterCommand[] = [
  registerAnalyze,
  registerApk,
  registerCalibrate,
  registerDemo,
  registerDevice,
  registerDiff,
  registerDoctor,
  registerFarm,
  registerHooks,
  registerIngest,
  registerMerge,
  registerQuery,
  registerReport,
  registerRun,
  registerRuns,
  registerScenario,
];
