// `overreach ingest` under Ctrl-C, on a terminal (progress) and with hostile bytes in the trace.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrace } from '../bench/synthetic-trace.ts';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';

const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/overreach.js', import.meta.url));
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

  it('a real SIGINT while the trace is still arriving through a pipe ends the run interrupted', async () => {
    const fifo = join(dir, 'live.jsonl');
    execFileSync('mkfifo', [fifo]);
    const lines = readFileSync(join(dir, 'big.jsonl'), 'utf8').split('\n');
    const child = spawn(process.execPath, [BIN, 'ingest', 'live.jsonl', '--db', 'pipe.db'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = once(child, 'exit');
    // lines up to 11,000 events: two batches of 5,000 get committed, then the pipe stays open
    let sent = 0;
    let upTo = 0;
    while (sent < 11_000) {
      const m = JSON.parse(lines[upTo++]!) as { events?: unknown[] };
      sent += m.events?.length ?? 0;
    }
    const out = createWriteStream(fifo);
    out.write(`${lines.slice(0, upTo).join('\n')}\n`);
    const db = () => new Database(join(dir, 'pipe.db'), { readonly: true, fileMustExist: true });
    const count = () => {
      try {
        const d = db();
        const n = d.prepare('SELECT count(*) FROM events').pluck().get() as number;
        d.close();
        return n;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 30_000;
    while (count() < 10_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(count()).toBeGreaterThanOrEqual(10_000);
    // Ctrl-C in a terminal signals the whole pipeline: the writer of the pipe ends too.
    child.kill('SIGINT');
    out.end();
    const [code] = (await exited) as [number | null];
    const d = db();
    const run = d.prepare('SELECT status, status_reason FROM runs WHERE id = 1').get();
    const n = d.prepare('SELECT count(*) FROM events').pluck().get() as number;
    d.close();
    expect(code).toBe(130);
    expect(run).toEqual({ status: 'interrupted', status_reason: 'interrupted (SIGINT)' });
    expect(n).toBeGreaterThanOrEqual(10_000);
    expect(n).toBeLessThanOrEqual(sent);
    expect(stderr).toMatch(
      new RegExp(`^overreach: run 1 interrupted: ${n.toLocaleString('en-US')} events committed`),
    );
  }, 60_000);

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
