import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { formatCsv, formatTable, printable } from '../harness/store/query.ts';
import { SCHEMA_VERSION } from '../harness/store/schema.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));

let dir: string;
let deps: CapturedDeps;
const cli = (...args: string[]) => runCli(args, deps);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-query-'));
  deps = captureDeps(dir);
  expect(await cli('ingest', SMALL, '--package', 'com.example.app')).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  deps.reset();
});

const counts = async () => {
  deps.reset('out');
  expect(
    await cli(
      'query',
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM sqlite_master) AS objects',
      '--json',
    ),
  ).toBe(0);
  const r = JSON.parse(deps.out()) as unknown[];
  deps.reset('out');
  return r;
};

describe('overreach query', () => {
  it('prints an aligned table', async () => {
    expect(
      await cli(
        'query',
        'SELECT category, count(*) AS n FROM v_events GROUP BY category ORDER BY n DESC, category',
      ),
    ).toBe(0);
    expect(deps.out()).toBe(
      [
        'category   n',
        '---------  -',
        'device-id  3',
        'location   2',
        'clipboard  1',
        'contacts   1',
        '(4 rows)',
        '',
      ].join('\n'),
    );
  });

  it('truncates very long cells in the table but not in --json', async () => {
    await cli('query', "SELECT stack FROM v_events WHERE hook = 'contacts.query'");
    const cell = deps.out().split('\n')[2]!;
    expect(cell).toHaveLength(60);
    expect(cell.endsWith('…')).toBe(true);
    deps.reset('out');
    await cli('query', "SELECT stack FROM v_events WHERE hook = 'contacts.query'", '--json');
    const rows = JSON.parse(deps.out()) as { stack: string }[];
    expect(rows[0]!.stack.split('\n')).toHaveLength(2);
  });

  it('prints JSON objects', async () => {
    expect(
      await cli(
        'query',
        'SELECT category, phase, accesses FROM v_category_phase WHERE category = ? ORDER BY phase'.replace(
          '?',
          "'location'",
        ),
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(deps.out())).toEqual([
      { category: 'location', phase: 'background', accesses: 1 },
      { category: 'location', phase: 'launch', accesses: 1 },
    ]);
  });

  it('prints RFC 4180 CSV', async () => {
    expect(
      await cli(
        'query',
        "SELECT hook, args FROM v_events WHERE hook = 'location.get-last-known' ORDER BY time_ms",
        '--csv',
      ),
    ).toBe(0);
    expect(deps.out()).toBe(
      'hook,args\r\nlocation.get-last-known,"{""provider"":""gps""}"\r\nlocation.get-last-known,"{""provider"":""network""}"\r\n',
    );
    expect(
      formatCsv({
        columns: ['a', 'b'],
        rows: [
          ['x\ny', null],
          [1.5, 'plain'],
        ],
      }),
    ).toBe('a,b\r\n"x\ny",\r\n1.5,plain\r\n');
  });

  it('prints a table of 400,000 rows (no argument-spread stack overflow)', () => {
    const rows = Array.from({ length: 400_000 }, (_, i) => [i, `r${i}`]);
    const table = formatTable({ columns: ['n', 'name'], rows });
    expect(table.split('\n').length).toBeGreaterThan(400_000);
    expect(table).toContain('r399999');
  });

  it('never lets app-controlled text drive the terminal', () => {
    expect(printable('ok\u001b[31mred\u0007\n2\t3\u009b')).toBe('ok\\x1b[31mred\\x07⏎2 3\\x9b');
    const table = formatTable({ columns: ['args'], rows: [['\u001b]0;pwned\u0007']] });
    expect([...table].filter((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\n')).toEqual([]);
    expect(table).toContain('\\x1b]0;pwned\\x07');
  });

  it('refuses writes with one line and changes nothing', async () => {
    const before = await counts();
    for (const sql of [
      "INSERT INTO runs (package, device, scenario, started_at, tool_version, owner_host, owner_pid) VALUES ('x','x','x',0,'x','x',1)",
      'DELETE FROM event_rows',
      'DROP TABLE event_rows',
      "UPDATE runs SET status = 'failed'",
      'PRAGMA user_version = 99',
      'CREATE TABLE x (y)',
    ]) {
      deps.reset('err');
      // 2: bad input (a write statement), the exit-code table in harness/cli/help.ts.
      expect(await cli('query', sql)).toBe(2);
      expect(deps.err()).toBe(
        'overreach: query: only read-only statements are allowed; the database is unchanged\n',
      );
    }
    expect(await counts()).toEqual(before);
    deps.reset('out');
    await cli('query', 'PRAGMA user_version');
    expect(deps.out()).toContain(String(SCHEMA_VERSION));
  });

  it('reports SQL errors on one line', async () => {
    expect(await cli('query', 'SELEC * FROM events')).toBe(2);
    expect(deps.err()).toBe('overreach: query: near "SELEC": syntax error\n');
    deps.reset('err');
    expect(await cli('query', 'SELECT nope FROM events')).toBe(2);
    expect(deps.err()).toBe('overreach: query: no such column: nope\n');
    deps.reset('err');
    expect(await cli('query', 'SELECT 1; SELECT 2')).toBe(2);
    expect(deps.err()).toMatch(/^overreach: query: .*more than one statement.*\n$/);
    expect(deps.err().split('\n')).toHaveLength(2);
  });

  it('does not create a missing database', async () => {
    expect(await cli('query', 'SELECT 1', '--db', 'missing.db')).toBe(2);
    expect(deps.err()).toBe('overreach: missing.db: no such database\n');
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});
