// Many writers on one database, as on an emulator farm: separate `overreach` processes (ingests,
// a simulated run, analyze) at once. Every one must succeed (waiting on SQLite's busy timeout,
// not failing with "database is locked"), every event must be stored, and the file intact.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrace } from '../bench/synthetic-trace.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { SCHEMA_VERSION } from '../harness/store/schema.ts';
import { DEMO_MODEL, PKG } from './fixtures/run/sim-run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'overreach.js');
let dir: string;
let simAgent: string;

interface Exit {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, OVERREACH_SIM_AGENT: simAgent },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code) => resolve({ args, code, stdout, stderr }));
  });
}

const ok = (e: Exit) => expect(e.code, `${e.args.join(' ')}\n${e.stderr}`).toBe(0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-writers-'));
  simAgent = (await buildFreshBundles()).sim;
  await writeSyntheticTrace(join(dir, 'small.jsonl'), { events: 3000, seed: 1 });
  await writeSyntheticTrace(join(dir, 'big.jsonl'), { events: 40_000, seed: 2 });
  writeFileSync(
    join(dir, 'game.yaml'),
    `name: writers\napp: { package: ${PKG}, model: ${DEMO_MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 3s\n  - consent\n  - wait: 20s\n`,
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('many writers on one database', () => {
  it('processes opening a fresh database at once all migrate it once and succeed', async () => {
    const db = 'fresh.db';
    const exits = await Promise.all(
      [1, 2, 3, 4].map((i) => cli(['ingest', 'small.jsonl', '--db', db, '--scenario', `fresh-${i}`])),
    );
    for (const e of exits) ok(e);
    const check = new Database(join(dir, db), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.prepare('SELECT count(*) FROM events').pluck().get()).toBe(4 * 3000);
    expect(check.prepare("SELECT count(*) FROM runs WHERE status = 'completed'").pluck().get()).toBe(4);
    check.close();
  }, 120_000);

  it('processes migrating one fresh database at the same instant all succeed', async () => {
    const db = join(dir, 'race.db');
    const at = Date.now() + 4000;
    const exits = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(
        () =>
          new Promise<Exit>((resolve) => {
            const args = ['--import', 'tsx', 'test/fixtures/open-at.ts', db, String(at)];
            const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (d: Buffer) => {
              stdout += d.toString();
            });
            child.stderr.on('data', (d: Buffer) => {
              stderr += d.toString();
            });
            child.on('exit', (code) => resolve({ args, code, stdout, stderr }));
          }),
      ),
    );
    for (const e of exits) {
      ok(e);
      expect(e.stdout).toBe(`version ${SCHEMA_VERSION}\n`);
    }
  }, 60_000);

  it('ingests, a run and analyses at once: all succeed, every event is stored', async () => {
    const db = 'farm.db';
    ok(await cli(['ingest', 'small.jsonl', '--db', db, '--package', 'com.example.shop']));
    const exits = await Promise.all([
      cli(['ingest', 'big.jsonl', '--db', db, '--package', 'com.example.shop']),
      cli(['ingest', 'big.jsonl', '--db', db, '--package', 'com.example.shop']),
      cli(['ingest', 'big.jsonl', '--db', db]),
      cli(['run', 'game.yaml', '--db', db, '--device', 'sim', '--speed', 'max', '--no-report']),
      cli(['analyze', '1', '--db', db]),
      cli(['analyze', '1', '--db', db, '--json']),
    ]);
    for (const e of exits) ok(e);
    const check = new Database(join(dir, db), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const runs = check
      .prepare<[], { id: number; scenario: string; status: string; n: number }>(
        'SELECT r.id, r.scenario, r.status, (SELECT count(*) FROM events e WHERE e.run_id = r.id) AS n FROM runs r ORDER BY id',
      )
      .all();
    expect(runs.map((r) => r.status)).toEqual(Array(5).fill('completed'));
    expect(runs.filter((r) => r.scenario === 'ingest').map((r) => r.n)).toEqual([
      3000, 40_000, 40_000, 40_000,
    ]);
    expect(runs.find((r) => r.scenario === 'writers')!.n).toBeGreaterThan(5);
    // every event resolves through the view: no dangling lookup or stack ids
    expect(check.prepare('SELECT count(*) FROM v_events').pluck().get()).toBe(
      check.prepare('SELECT count(*) FROM events').pluck().get(),
    );
    check.close();
  }, 240_000);
});
