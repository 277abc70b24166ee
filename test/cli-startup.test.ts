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

  it('bundles each command in one file with commander and yaml, keeps the other npm packages external', () => {
    const files = readdirSync(out);
    for (const name of [...COMMANDS.map((c) => c.name), 'none', 'all'])
      expect(files).toContain(`cmd-${name}.cjs`);
    expect(files).toContain('sim-worker.js');
    const text = (f: string) => readFileSync(join(out, f), 'utf8');
    const bundles = files.filter((f) => f.endsWith('.cjs')).map(text);
    // commander and yaml are bundled (six and sixty CommonJS files less at start-up).
    expect(bundles.every((c) => c.includes('node_modules/commander/lib/command.js'))).toBe(true);
    expect(text('cmd-analyze.cjs')).toContain('node_modules/yaml/dist/');
    expect(bundles.some((c) => /require\("commander"\)|require\("yaml"\)/.test(c))).toBe(false);
    expect(text('cmd-query.cjs')).toMatch(/require\("better-sqlite3"\)/);
    // A command's bundle holds that command only: query never carries the analysis or Appium.
    expect(text('cmd-query.cjs')).not.toContain('harness/analysis/engine.ts');
    expect(text('cmd-query.cjs')).not.toContain('webdriverio');
    expect(text('cmd-none.cjs')).not.toContain('better-sqlite3');
    expect(text('cmd-all.cjs')).toContain('harness/analysis/engine.ts');
    // Node built-ins by require (scripts/build-harness.mjs builtinsPlugin): an ES-module import
    // of one builds a facade that runs all its lazy getters (node:process ~5 ms, node:fs ~2 ms).
    expect(text('sim-worker.js')).not.toMatch(/from "node:|import\("node:/);
    expect(text('sim-worker.js')).toContain('__require("node:');
  });

  it('runs the bundle that registers what commandsFor loads', async () => {
    const { bundleFor } = (await import(join(out, 'main.js'))) as { bundleFor: (args: string[]) => string };
    const cases = [
      ['--version'],
      ['-V'],
      [],
      ['--help'],
      ['help', 'query'],
      ['qurey'],
      ['query', 'SELECT 1', '--db', 'x.db'],
      ['analyze', 'latest', '--json'],
      ['--db', 'x', 'report', 'latest'],
      ...COMMANDS.map((c) => [c.name]),
    ];
    for (const args of cases) {
      const want = commandsFor(args);
      const bundle =
        want === COMMANDS ? 'cmd-all.cjs' : `cmd-${want.length === 0 ? 'none' : want[0]!.name}.cjs`;
      expect([args, bundleFor(args)]).toEqual([args, bundle]);
    }
  });

  it('prints the version and runs ingest + query from the compiled bundles', () => {
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
