import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrace } from '../bench/synthetic-trace.ts';
import { runCli } from '../harness/cli/program.ts';
import { SCHEMA_VERSION } from '../harness/store/schema.ts';
import { openStore } from '../harness/store/store.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

let dir: string;
let deps: CapturedDeps;

interface TraceSpec {
  file: string;
  pkg: string;
}

async function ingestInto(db: string, traces: TraceSpec[]): Promise<void> {
  for (const t of traces) {
    const code = await runCli(['ingest', t.file, '--db', db, '--package', t.pkg, '--device', 'emu-1'], deps);
    expect(code, deps.err()).toBe(0);
    const store = openStore(db);
    const runId = (store.db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number }).id;
    // The same app recorded in two databases must come out as one apps row.
    const appId = store.upsertApp({
      package: t.pkg,
      versionCode: 7,
      permissions: [{ name: 'android.permission.CAMERA' }],
    });
    store.db.prepare('UPDATE runs SET app_id = ? WHERE id = ?').run(appId, runId);
    store.db
      .prepare(
        `INSERT INTO appops (run_id, "when", op, mode, raw_line) VALUES (?, 'after', 'CAMERA', 'allow', ?)`,
      )
      .run(runId, `CAMERA: allow ${t.pkg}`);
    store.db
      .prepare(`INSERT INTO device_logs (run_id, time, kind, process, detail) VALUES (?, 1, 'crash', ?, 'x')`)
      .run(runId, t.pkg);
    store.close();
    expect(await runCli(['analyze', String(runId), '--db', db], deps), deps.err()).toBe(0);
  }
}

const QUERIES = {
  categoryPhase: 'SELECT * FROM v_category_phase ORDER BY run, category, phase',
  sdkAccesses: 'SELECT * FROM v_sdk_accesses ORDER BY run, sdk, category',
  perRun:
    'SELECT r.id, r.package, a.package AS app, a.version_code, count(e.id) AS events FROM runs r LEFT JOIN apps a ON a.id = r.app_id LEFT JOIN events e ON e.run_id = r.id GROUP BY r.id ORDER BY r.id',
  perApp:
    'SELECT a.package, count(DISTINCT r.id) AS runs FROM apps a JOIN runs r ON r.app_id = a.id GROUP BY a.package ORDER BY a.package',
  apps: 'SELECT package, version_code, (SELECT group_concat(name) FROM app_permissions p WHERE p.app_id = apps.id) AS perms FROM apps ORDER BY package',
  findings:
    'SELECT f.run_id, f.rule, f.severity, f.title, count(fe.event_id) AS evidence FROM findings f LEFT JOIN finding_events fe ON fe.finding_id = f.id GROUP BY f.id ORDER BY f.run_id, f.rule, f.title',
  events:
    'SELECT run, time_ms, process, thread, hook, api, category, phase, sdk, args, result, value_hash, stack FROM v_events ORDER BY run, time_ms, id',
  hooks: 'SELECT * FROM v_hook_coverage ORDER BY run, state',
  extras:
    'SELECT (SELECT count(*) FROM appops) AS appops, (SELECT count(*) FROM device_logs) AS logs, (SELECT count(*) FROM processes) AS procs, (SELECT count(*) FROM lifecycle) AS lc, (SELECT count(*) FROM steps) AS steps',
} as const;

function answers(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(QUERIES).map(([k, sql]) => [k, db.prepare(sql).all()]));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-merge-'));
  deps = captureDeps(dir);
  const t = (n: number, pkg: string): TraceSpec => ({ file: join(dir, `t${n}.jsonl`), pkg });
  const specs = [t(1, 'com.example.shop'), t(2, 'com.example.game'), t(3, 'com.example.shop')];
  for (const [i, s] of specs.entries())
    await writeSyntheticTrace(s.file, {
      events: 3000,
      seed: i + 11,
      stacks: 40,
      startTime: 1_700_000_000_000 + i * 1000,
    });
  await ingestInto(join(dir, 'db1.db'), specs.slice(0, 2));
  await ingestInto(join(dir, 'db2.db'), specs.slice(2));
  await ingestInto(join(dir, 'db3.db'), specs);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('overreach merge', () => {
  it('answers the same queries as one database holding both sets of runs', async () => {
    deps.reset('out');
    const code = await runCli(['merge', 'db1.db', 'db2.db', '-o', 'all.db'], deps);
    expect(code, deps.err()).toBe(0);
    expect(deps.out()).toContain('db2.db: 1 runs');
    const merged = answers(join(dir, 'all.db'));
    const single = answers(join(dir, 'db3.db'));
    expect((merged.events ?? []).length).toBe(9000);
    expect((merged.findings ?? []).length).toBeGreaterThan(0);
    expect((merged.apps ?? []).length).toBe(2);
    for (const k of Object.keys(QUERIES)) expect(merged[k], k).toEqual(single[k]);
  });

  it('renumbers runs when merging into a database that already has runs', async () => {
    const code = await runCli(['merge', 'db2.db', '-o', 'db1copy.db'], deps);
    expect(code, deps.err()).toBe(0);
    deps.reset('out');
    expect(await runCli(['merge', 'db1.db', '-o', 'db1copy.db'], deps), deps.err()).toBe(0);
    expect(deps.out()).toContain('1→2, 2→3');
    const db = new Database(join(dir, 'db1copy.db'), { readonly: true });
    const ids = db.prepare('SELECT id FROM runs ORDER BY id').all();
    expect(ids).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    db.close();
  });

  it('refuses a database of another schema version with a one-line error', async () => {
    const old = join(dir, 'old.db');
    const s = openStore(old, { migrateTo: 3 });
    s.close();
    deps.reset('err');
    const code = await runCli(['merge', 'db1.db', 'old.db', '-o', 'x.db'], deps);
    expect(code).toBe(2);
    expect(deps.err()).toMatch(new RegExp(`old\\.db: schema version 3, expected ${SCHEMA_VERSION}`));
    expect(deps.err().trim().split('\n')).toHaveLength(1);
    // Checked before writing: the refused merge did not even create the output.
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
