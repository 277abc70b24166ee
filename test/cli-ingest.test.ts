import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/traces/${name}`, import.meta.url));

let dir: string;
let deps: CapturedDeps;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-ingest-'));
  deps = captureDeps(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const db = () => new Database(join(dir, 'overreach.db'), { readonly: true });

describe('overreach ingest', () => {
  it('imports a trace into a new completed run', async () => {
    const code = await runCli(
      ['ingest', fixture('small.jsonl'), '--package', 'com.example.app', '--device', 'emu-1'],
      deps,
    );
    expect(deps.err()).toBe('');
    expect(code).toBe(0);
    expect(deps.out()).toBe(
      'run 1: 9 messages, 7 events, 2 new stacks, 0 malformed lines, 3 events dropped by the agent, 1 batches lost\n',
    );
    const d = db();
    expect(
      d.prepare('SELECT package, device, scenario, status, ended_at IS NOT NULL AS ended FROM runs').all(),
    ).toEqual([
      { package: 'com.example.app', device: 'emu-1', scenario: 'ingest', status: 'completed', ended: 1 },
    ]);
    expect(d.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 7 });
    d.close();
  });

  it('appends to an existing run with --run', async () => {
    expect(await runCli(['ingest', fixture('small.jsonl')], deps)).toBe(0);
    expect(await runCli(['ingest', fixture('small.jsonl'), '--run', '1', '--db', 'overreach.db'], deps)).toBe(
      0,
    );
    const d = db();
    expect(d.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 });
    expect(d.prepare('SELECT count(*) AS n FROM events WHERE run_id = 1').get()).toEqual({ n: 14 });
    expect(d.prepare('SELECT count(*) AS n FROM stacks').get()).toEqual({ n: 2 });
    d.close();
    expect(await runCli(['ingest', fixture('small.jsonl'), '--run', '9'], deps)).toBe(2);
    expect(deps.err()).toContain('--run: no run 9');
  });

  it('--run with context flags records them on the run (an override); new-run flags are refused', async () => {
    const profile = fileURLToPath(new URL('./fixtures/profiles/shop.yaml', import.meta.url));
    const permissionsOf = (d: Database.Database) =>
      d
        .prepare('SELECT p.name FROM runs r JOIN app_permissions p ON p.app_id = r.app_id WHERE r.id = 1')
        .pluck()
        .all();
    expect(await runCli(['ingest', fixture('small.jsonl'), '--package', 'com.example.shop'], deps)).toBe(0);
    expect(
      await runCli(['ingest', fixture('small.jsonl'), '--run', '1', '--permissions', 'READ_CONTACTS'], deps),
    ).toBe(0);
    let d = db();
    expect(permissionsOf(d)).toEqual(['android.permission.READ_CONTACTS']);
    d.close();
    const before = deps.err();
    // The profile names an APK: both are recorded, and the APK's manifest becomes the run's app.
    expect(await runCli(['ingest', fixture('small.jsonl'), '--run', '1', '--profile', profile], deps)).toBe(
      0,
    );
    expect(deps.err().slice(before.length)).toContain('overridden and recorded with run 1: profile, apk');
    d = db();
    const config = JSON.parse(
      d.prepare<[], { config: string }>('SELECT config FROM runs WHERE id = 1').get()!.config,
    );
    expect(config.analysis.profile.file).toBe(profile);
    expect(config.analysis.overrides).toEqual([
      expect.objectContaining({ command: 'ingest', keys: ['profile', 'apk'] }),
    ]);
    expect(permissionsOf(d).length).toBeGreaterThan(1);
    expect(d.prepare('SELECT count(*) FROM events WHERE run_id = 1').pluck().get()).toBe(21);
    d.close();
    expect(await runCli(['ingest', fixture('small.jsonl'), '--run', '1', '--package', 'x.y'], deps)).toBe(2);
    expect(deps.err()).toContain('--package: describe a new run; leave out with --run (run 1 keeps its own)');
  });

  it('reports malformed lines with line numbers, keeps the valid ones and exits 2', async () => {
    deps.cwd = fileURLToPath(new URL('./fixtures/traces/', import.meta.url));
    const code = await runCli(['ingest', 'malformed.jsonl', '--db', join(dir, 'overreach.db')], deps);
    expect(code).toBe(2);
    const lines = deps.err().trim().split('\n');
    expect(lines[0]).toMatch(/^malformed\.jsonl:3: invalid JSON: /);
    expect(lines.slice(1)).toEqual([
      'malformed.jsonl:4: events[0].time: expected number, got string "soon"',
      'malformed.jsonl:5: type: unknown message type "telemetry" (expected hello, events, hook-status, lifecycle, agent-error)',
      'malformed.jsonl:6: events[1].category: unknown category "foo"',
      'malformed.jsonl:8: events[0].stack: stack 9 was never sent by pid 100',
      'malformed.jsonl:9: v: unsupported protocol version 2 (this overreach reads v1)',
      'overreach: malformed.jsonl: 6 malformed lines skipped',
    ]);
    expect(deps.out()).toBe(
      'run 1: 3 messages, 2 events, 1 new stacks, 6 malformed lines, 0 events dropped by the agent, 3 batches lost\n',
    );
    const d = db();
    expect(d.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
    expect(d.prepare('SELECT status FROM runs').get()).toEqual({ status: 'completed' });
    d.close();
  });

  it('lists the first 20 problems, then how many more', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, Array.from({ length: 25 }, (_, i) => `{"v":1,"type":"nope${i}"}`).join('\n'));
    expect(await runCli(['ingest', 'bad.jsonl'], deps)).toBe(2);
    const lines = deps.err().trim().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[19]).toMatch(/^bad\.jsonl:20: type: unknown message type "nope19"/);
    expect(lines[20]).toBe('… and 5 more');
  });

  it('skips an over-long line without reading it into one string', async () => {
    const path = join(dir, 'long.jsonl');
    const ok = '{"v":1,"type":"lifecycle","pid":1,"process":"p","time":1,"kind":"foreground"}';
    writeFileSync(path, `${ok}\n${'x'.repeat(3 * 1024 * 1024)}\n${ok}\n`);
    expect(await runCli(['ingest', path], deps)).toBe(2);
    expect(deps.err()).toContain('long.jsonl:2: line exceeds the 1048576 byte message limit');
    const d = db();
    expect(d.prepare('SELECT count(*) AS n FROM lifecycle').get()).toEqual({ n: 2 });
    d.close();
  });

  it('keeps UTF-8 intact when a character straddles a read-chunk boundary', async () => {
    const path = join(dir, 'utf8.jsonl');
    const msg = (detail: string) =>
      JSON.stringify({ v: 1, type: 'lifecycle', pid: 1, process: 'p', time: 1, kind: 'activity', detail });
    const first = `${msg('x'.repeat(1_000_000))}\n`;
    // place the 3-byte '主' so that it starts one byte before the 1 MiB chunk boundary
    const prefix = msg('').indexOf('""') + 1;
    const pad = 2 ** 20 - 1 - Buffer.byteLength(first) - prefix;
    const detail = `${'y'.repeat(pad)}主线程 ✓`;
    const text = `${first}${msg(detail)}\n`;
    expect(
      Buffer.from(text)
        .subarray(2 ** 20 - 1, 2 ** 20 + 2)
        .toString(),
    ).toBe('主');
    writeFileSync(path, text);
    expect(await runCli(['ingest', path], deps)).toBe(0);
    const d = db();
    const got = d.prepare('SELECT detail FROM lifecycle ORDER BY id').pluck().all() as string[];
    expect(got[1]).toBe(detail);
    d.close();
  });

  it('accepts a UTF-8 BOM and CRLF line ends', async () => {
    const path = join(dir, 'bom.jsonl');
    const ok = '{"v":1,"type":"lifecycle","pid":1,"process":"p","time":1,"kind":"foreground"}';
    writeFileSync(path, `\ufeff${ok}\r\n${ok}\r\n`);
    expect(await runCli(['ingest', path], deps)).toBe(0);
    expect(deps.out()).toContain('2 messages');
  });

  it('fails clearly on a missing file', async () => {
    expect(await runCli(['ingest', 'nope.jsonl'], deps)).toBe(2);
    expect(deps.err()).toBe('overreach: nope.jsonl: no such file\n');
  });
});
