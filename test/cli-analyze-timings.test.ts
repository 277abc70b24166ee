import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RULE_IDS } from '../harness/analysis/types.ts';
import { runCli } from '../harness/cli/program.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/traces/${name}`, import.meta.url));

let dir: string;
let deps: CapturedDeps;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-timings-'));
  deps = captureDeps(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('analyze --timings prints one stderr line with every rule that ran, and nothing without it', async () => {
  expect(await runCli(['ingest', fixture('small.jsonl'), '--package', 'com.example.app'], deps)).toBe(0);
  expect(await runCli(['analyze', '1', '--json'], deps)).toBe(0);
  expect(deps.err()).not.toContain('timings');
  expect(
    await runCli(['analyze', '1', '--json', '--only', 'background-access,excessive-rate', '--timings'], deps),
  ).toBe(0);
  const line = deps
    .err()
    .split('\n')
    .find((l) => l.startsWith('timings (ms): '));
  expect(line).toBeDefined();
  const entries = line!
    .slice('timings (ms): '.length)
    .split(', ')
    .map((e) => e.split(' '));
  const names = entries.map((e) => e[0]);
  expect(names).toEqual(['prepare', 'background-access', 'excessive-rate', 'write', 'total']);
  for (const [, ms] of entries) expect(Number(ms)).toBeGreaterThanOrEqual(0);
  expect(names.filter((n) => (RULE_IDS as readonly string[]).includes(n!))).toHaveLength(2);
  // stdout stays the JSON document alone
  expect(() => JSON.parse(deps.out().slice(deps.out().lastIndexOf('{\n  "run"')))).not.toThrow();
});
