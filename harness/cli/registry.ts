// Every command topic registers itself here: one file per topic under commands/.
import type { Command } from 'commander';
import { registerApk } from './commands/apk.ts';
import { registerHooks } from './commands/hooks.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerQuery } from './commands/query.ts';
import { registerScenario } from './commands/scenario.ts';
import type { CliDeps } from './deps.ts';

export type RegisterCommand = (program: Command, deps: CliDeps) => void;

export const COMMANDS: RegisterCommand[] = [
  registerApk,
  registerHooks,
  registerIngest,
  registerQuery,
  registerScenario,
];
