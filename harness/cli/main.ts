import { main } from './cli-main.ts';

export { main };

// `tsx harness/cli/main.ts …` (npm scripts) runs this file directly.
if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv);
}
