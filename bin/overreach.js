#!/usr/bin/env node
// Runs the CLI compiled at install (`npm run build`, run by `prepare`: dist/harness/main.js).
// Without a build (no esbuild, e.g. `npm ci --omit=dev`) or with OVERREACH_FROM_SOURCE=1 it
// runs the TypeScript sources through tsx instead: correct, only slower to start.
import { createRequire } from 'node:module';

// By require: an ES-module import of node:fs builds its facade, loading fs/promises, readline
// and streams (~2 ms of every start-up).
const { existsSync } = createRequire(import.meta.url)('node:fs');

const built = new URL('../dist/harness/main.js', import.meta.url);
let main;
if (process.env.OVERREACH_FROM_SOURCE !== '1' && existsSync(built)) {
  ({ main } = await import(built.href));
} else {
  if (process.env.OVERREACH_FROM_SOURCE !== '1')
    process.stderr.write(
      'overreach: dist/harness is not built (run `npm run build`); running the TypeScript sources through tsx (slower start-up)\n',
    );
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../harness/cli/main.ts'));
}
await main(process.argv);
