import { processDeps } from './deps.ts';
import { runCli } from './program.ts';

export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv.slice(2), processDeps());
  if (code !== 0) process.exitCode = code;
}

// `tsx harness/cli/main.ts …` (npm scripts) runs this file directly.
if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv);
}
