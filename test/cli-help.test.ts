// Every command's --help ends with examples and the one exit-code table (harness/cli/help.ts),
// the README repeats the table, usage errors exit 2, and piping into `head` ends quietly.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandPaths, EXAMPLES, EXIT_CODES, exitCodesText } from '../harness/cli/help.ts';
import { createProgram, loadCommands, runCli } from '../harness/cli/program.ts';
import { openStore } from '../harness/store/store.ts';
import { tempDir } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

const ROOT = join(import.meta.dirname, '..');

function find(program: Command, path: string): Command {
  let cmd = program;
  for (const name of path.split(' ')) {
    const next = cmd.commands.find((c) => c.name() === name);
    if (!next) throw new Error(`no command ${path}`);
    cmd = next;
  }
  return cmd;
}

describe('--help', () => {
  const dir = tempDir();

  it('shows two or three examples and the exit-code table for every command', async () => {
    const program = createProgram(captureDeps(dir), await loadCommands());
    const paths = commandPaths(program);
    expect(paths).toContain('runs');
    for (const path of paths) {
      const examples = EXAMPLES[path];
      expect(examples?.length ?? 0, `examples for ${path}`).toBeGreaterThanOrEqual(
        path.includes(' ') ? 1 : 2,
      );
      const deps = captureDeps(dir);
      expect(await runCli([...path.split(' '), '--help'], deps)).toBe(0);
      expect(deps.out(), path).toContain('Examples:');
      expect(deps.out(), path).toContain(exitCodesText());
      for (const e of examples ?? []) expect(deps.out()).toContain(`$ ${e}`);
    }
  });

  it('uses only options and commands that exist in the examples', async () => {
    const program = createProgram(captureDeps(dir), await loadCommands());
    for (const [path, examples] of Object.entries(EXAMPLES)) {
      expect(find(program, path), path).toBeDefined();
      for (const e of examples) {
        const words = e.split('#')[0]!.trim().split(/\s+/);
        expect(words.slice(1, 1 + path.split(' ').length).join(' '), e).toBe(path);
        // The deepest command the example names (a parent's example may show a subcommand).
        let cmd = program;
        for (const w of words.slice(1)) {
          const sub = cmd.commands.find((c) => c.name() === w);
          if (!sub) break;
          cmd = sub;
        }
        for (const w of words.filter((x) => x.startsWith('-')))
          expect(
            cmd.options.some((o) => o.long === w || o.short === w),
            `${path}: ${w}`,
          ).toBe(true);
      }
    }
  });

  it('the README documents the same exit codes', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const e of EXIT_CODES) expect(readme).toContain(`| ${e.code} | ${e.meaning} |`);
  });
});

describe('exit codes', () => {
  const dir = tempDir();
  it('2 for usage errors and bad input, 0 for help', async () => {
    const d = captureDeps(dir);
    expect(await runCli(['run', '--no-such-flag'], d)).toBe(2);
    expect(await runCli(['diff', '1'], d)).toBe(2);
    expect(await runCli(['no-such-command'], d)).toBe(2);
    expect(await runCli(['analyze', 'latest', '--fail-on', 'loud'], d)).toBe(2);
    expect(await runCli(['runs', '--db', 'missing.db'], d)).toBe(2);
    expect(await runCli(['query', '--db', 'missing.db', 'SELECT 1'], d)).toBe(2);
    expect(await runCli(['--help'], d)).toBe(0);
  });
});

describe('piping into head', () => {
  it('ends quietly when the reader goes away (no EPIPE stack trace)', async () => {
    const dir = tempDir();
    openStore(join(dir, 'o.db')).close();
    // More output than a pipe holds, so writes are still pending when head exits.
    const sql =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 60000) SELECT x, 'padding padding padding' AS p FROM c";
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${join(ROOT, 'bin', 'overreach.js')}" query --db o.db "${sql}" | head -1; echo "exit=\${?}"`,
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(out.split('\n')[0]).toMatch(/^\s+x\s+p$/);
  }, 60_000);
});
