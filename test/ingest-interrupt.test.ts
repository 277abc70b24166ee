// `overreach ingest` under Ctrl-C, on a terminal (progress) and with hostile bytes in the trace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrace } from '../bench/synthetic-trace.ts';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-ingest-int-'));
  await writeSyntheticTrace(join(dir, 'big.jsonl'), { events: 60_000, seed: 3 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest interrupted and on a terminal', () => {
  it('shows progress on a terminal', async () => {
    const deps = { ...captureDeps(dir, { defaultDb: join(dir, 'progress.db') }), isTty: true };
    let err = '';
    deps.stderr = (t) => {
      err += t;
    };
    expect(await runCli(['ingest', 'big.jsonl'], deps)).toBe(0);
    expect(err).toMatch(/\ringesting big\.jsonl: [\d,]+ events committed/);
    // the last progress line is cleared before the summary
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });

  it('Ctrl-C ends the run interrupted and says how many events were committed', async () => {
    const dbPath = join(dir, 'sigint.db');
    const deps = { ...captureDeps(dir, { defaultDb: dbPath }), isTty: true };
    let err = '';
    let sent = false;
    deps.stderr = (t) => {
      err += t;
      // the first progress line: a batch is committed, the rest of the file is still to come
      if (!sent && t.includes('events committed')) {
        sent = true;
        process.emit('SIGINT');
      }
    };
    const code = await runCli(['ingest', 'big.jsonl'], deps);
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const db = new Database(dbPath, { readonly: true });
    const run = db.prepare('SELECT status, status_reason FROM runs WHERE id = 1').get() as {
      status: string;
      status_reason: string;
    };
    const n = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    db.close();
    expect(run).toEqual({ status: 'interrupted', status_reason: 'interrupted (SIGINT)' });
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(60_000);
    expect(err).toContain(`overreach: run 1 interrupted: ${n.toLocaleString('en-US')} events committed`);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('warns with file and line about invalid UTF-8, storing the line', async () => {
    const lines = readFileSync(SMALL, 'utf8').split('\n');
    // line 3 (an events message): a raw 0xff byte inside a JSON string
    const bytes = Buffer.concat([
      Buffer.from(`${lines.slice(0, 2).join('\n')}\n`),
      Buffer.from(lines[2]!.replace('MainActivity.onCreate', 'Main\u0001.onCreate')).map((b) =>
        b === 1 ? 0xff : b,
      ),
      Buffer.from(`\n${lines.slice(3).join('\n')}`),
    ]);
    writeFileSync(join(dir, 'bad-utf8.jsonl'), bytes);
    const deps = captureDeps(dir, { defaultDb: join(dir, 'utf8.db') });
    expect(await runCli(['ingest', 'bad-utf8.jsonl'], deps)).toBe(0);
    expect(deps.err()).toBe(
      'warning: bad-utf8.jsonl:3: invalid UTF-8 (stored with U+FFFD replacement characters)\n',
    );
  });
});
