#!/usr/bin/env node
// Runs the TypeScript sources through tsx so there is no separate harness build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli/main.ts');
await main(process.argv);
