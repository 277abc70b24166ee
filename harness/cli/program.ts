import { Command, CommanderError } from 'commander';
import { errorMessage, OverreachError } from '../errors.ts';
import { TOOL_VERSION } from '../version.ts';
import type { CliDeps } from './deps.ts';
import { addHelpFooters } from './help.ts';
import { COMMANDS, type CommandEntry, commandsFor, type RegisterCommand } from './registry.ts';

/** Loads the registration functions of `entries` (all commands by default). */
export async function loadCommands(entries: readonly CommandEntry[] = COMMANDS): Promise<RegisterCommand[]> {
  return Promise.all(entries.map((c) => c.load()));
}

/** Builds the `overreach` program with the given commands registered (see loadCommands). */
export function createProgram(deps: CliDeps, commands: readonly RegisterCommand[]): Command {
  const program = new Command('overreach')
    .description(
      'Dynamic Android permission monitoring: what an app touches at run time vs. what it says it needs.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: deps.stdout, writeErr: deps.stderr })
    .showHelpAfterError(false);
  for (const register of commands) register(program, deps);
  addHelpFooters(program);
  return program;
}

/** Runs argv through the program; errors become one line on stderr and `process.exitCode`. */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  // A command reports its code through process.exitCode; start each invocation from 0.
  process.exitCode = undefined;
  try {
    // Only the command being run is loaded: start-up stays close to bare node.
    const program = createProgram(deps, await loadCommands(commandsFor(argv)));
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit through here with code 0; every other commander error is usage
      return err.exitCode === 0 ? 0 : 2;
    }
    deps.stderr(`overreach: ${errorMessage(err)}\n`);
    return err instanceof OverreachError ? err.exitCode : 1;
  }
}
