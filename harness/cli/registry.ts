// Every command topic registers itself here: one file per topic under commands/.
import type { Command } from 'commander';
import type { CliDeps } from './deps.ts';

export type RegisterCommand = (program: Command, deps: CliDeps) => void;

export const COMMANDS: RegisterCommand[] = [];
