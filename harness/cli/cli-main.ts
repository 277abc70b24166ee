// The CLI's main(argv): what harness/cli/main.ts runs from the sources and each compiled bundle
// exports (scripts/build-harness.mjs; no top-level await here, the bundles are CommonJS).
import { processDeps } from './deps.ts';
import { runCli } from './program.ts';

export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv.slice(2), processDeps());
  if (code !== 0) process.exitCode = code;
}
