// Every command topic registers itself here: one file per topic under commands/. Each entry is
// loaded only when its command runs (or for the full help), so `overreach query` never loads
// the analysis, Appium or the simulator.
import type { Command } from 'commander';
import type { CliDeps } from './deps.ts';

export type RegisterCommand = (program: Command, deps: CliDeps) => void;

export interface CommandEntry {
  /** The top-level command name the module registers. */
  name: string;
  load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', load: async () => (await import('./commands/analyze.ts')).registerAnalyze },
  { name: 'apk', load: async () => (await import('./commands/apk.ts')).registerApk },
  { name: 'demo', load: async () => (await import('./commands/demo.ts')).registerDemo },
  { name: 'device', load: async () => (await import('./commands/device.ts')).registerDevice },
  { name: 'diff', load: async () => (await import('./commands/diff.ts')).registerDiff },
  { name: 'doctor', load: async () => (await import('./commands/doctor.ts')).registerDoctor },
  { name: 'farm', load: async () => (await import('./commands/farm.ts')).registerFarm },
  { name: 'hooks', load: async () => (await import('./commands/hooks.ts')).registerHooks },
  { name: 'ingest', load: async () => (await import('./commands/ingest.ts')).registerIngest },
  { name: 'merge', load: async () => (await import('./commands/merge.ts')).registerMerge },
  { name: 'query', load: async () => (await import('./commands/query.ts')).registerQuery },
  { name: 'report', load: async () => (await import('./commands/report.ts')).registerReport },
  { name: 'run', load: async () => (await import('./commands/run.ts')).registerRun },
  { name: 'scenario', load: async () => (await import('./commands/scenario.ts')).registerScenario },
  { name: 'calibrate', load: async () => (await import('./commands/calibrate.ts')).registerCalibrate },
  { name: 'runs', load: async () => (await import('./commands/runs.ts')).registerRuns },
];

const VERSION_FLAGS = new Set(['-V', '--version']);

/**
 * The command modules argv needs: the named command only; none for a bare --version; every one
 * for help, no command or an unknown name (commander lists or suggests them).
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined && argv.length > 0 && argv.every((a) => VERSION_FLAGS.has(a))) return [];
  const named = COMMANDS.find((c) => c.name === first);
  return named ? [named] : COMMANDS;
}
