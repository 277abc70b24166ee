// Start-up: the CLI loads only the command it runs, and the compiled CLI (scripts/build-harness.mjs,
// what bin/overreach.js runs) behaves like the sources: version, queries, data files found.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../harness/cli/registry.ts';
import { TOOL_VERSION } from '../harness/version.ts';
import { buildHarness } from '../scripts/build-harness.mjs';
import { captureDeps } from './helpers/cli.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));

describe('lazy command registry', () => {
  it('loads only the named command, none for --version, all for help or an unknown name', () => {
    expect(commandsFor(['query', 'SELECT 1', '--db', 'x.db']).map((c) => c.name)).toEqual(['query']);
    expect(commandsFor(['report', 'latest']).map((c) => c.name)).toEqual(['report']);
    expect(commandsFor(['--version'])).toEqual([]);
    expect(commandsFor(['-V'])).toEqual([]);
    expect(commandsFor([])).toBe(COMMANDS);
    expect(commandsFor(['--help'])).toBe(COMMANDS);
    expect(commandsFor(['help', 'query'])).toBe(COMMANDS);
    expect(commandsFor(['qurey'])).toBe(COMMANDS);
  });

  it('each entry registers exactly the command it is named after', async () => {
    const deps = captureDeps(tmpdir());
    for (const entry of COMMANDS) {
      const program = new Command('overreach');
      (await entry.load())(program, deps);
      expect(
        program.commands.map((c) => c.name()),
        entry.name,
      ).toEqual([entry.name]);
    }
  });
});

describe('compiled CLI', () => {
  let out: string;
  let dir: string;
  const run = (...args: string[]) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(join(out, 'main.js'))}); await main(process.argv);`,
        'overreach',
        ...args,
      ],
      { cwd: dir, encoding: 'utf8' },
    );

  beforeAll(async () => {
    // Inside the repository, so the chunks resolve commander/better-sqlite3 from node_modules.
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    mkdirSync(dist, { recursive: true });
    out = mkdtempSync(join(dist, 'harness-test-'));
    dir = mkdtempSync(join(tmpdir(), 'overreach-startup-'));
    expect(await buildHarness(out)).toBe(true);
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('bundles commander and yaml, keeps the other npm packages external, splits commands into chunks', () => {
    const main = readFileSync(join(out, 'main.js'), 'utf8');
    // The entry itself imports no database, Appium or analysis code statically, and no npm
    // package: commander is bundled into a chunk (six CommonJS files less at every start).
    const staticImports = [...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => !s?.startsWith('./'))).toEqual([]);
    const chunks = readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'));
    expect(chunks.some((c) => c.includes('node_modules/commander/lib/command.js'))).toBe(true);
    expect(chunks.some((c) => /from "commander"|require\("commander"\)/.test(c))).toBe(false);
    expect(chunks.some((c) => /from "better-sqlite3"|__require\("better-sqlite3"\)/.test(c))).toBe(true);
    expect(main).not.toContain('better-sqlite3');
    // Node built-ins by require (scripts/build-harness.mjs builtinsPlugin): an ES-module import
    // of one builds a facade that runs all its lazy getters (node:process ~5 ms, node:fs ~2 ms).
    expect(chunks.filter((c) => /from "node:|import\("node:/.test(c))).toEqual([]);
    expect(chunks.some((c) => c.includes('__require("node:fs")'))).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.js')).length).toBeGreaterThan(10);
  });

  it('prints the version and runs ingest + query from the compiled chunks', () => {
    expect(run('--version').trim()).toBe(TOOL_VERSION);
    run('ingest', SMALL, '--package', 'com.example.app', '--db', 'x.db');
    const rows = JSON.parse(run('query', 'SELECT count(*) AS n FROM v_events', '--db', 'x.db', '--json')) as {
      n: number;
    }[];
    expect(rows[0]!.n).toBeGreaterThan(0);
    // Data files located through import.meta.url (SDK signatures, platform permissions) and the
    // lazily imported analysis resolve from the build too.
    expect(run('analyze', 'latest', '--db', 'x.db')).toContain('finding');
    expect(run('report', 'latest', '--db', 'x.db', '--format', 'md')).toContain('com.example.app');
  });
});
