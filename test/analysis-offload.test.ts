// `analyze` runs its heaviest rules in a worker thread (harness/analysis/rule-offload.ts): the
// findings must be exactly those of one thread. Checked on a realistic trace with background
// spans (background-access) and timers (periodic-collection) that both have findings: in
// process with an offload that runs the rules on a second connection (the merge, the order, a
// failed worker), and through the compiled CLI with the real worker thread.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALISTIC, syntheticMessages } from '../bench/synthetic-trace.ts';
import { resolveLimits } from '../harness/analysis/config.ts';
import { AnalysisContext } from '../harness/analysis/context.ts';
import { analyzeRun } from '../harness/analysis/engine.ts';
import { OFFLOADED, type RuleOffload, type RuleOutcome } from '../harness/analysis/rule-offload.ts';
import { RULES } from '../harness/analysis/rules/index.ts';
import { storeAttributor } from '../harness/analysis/sdk-attribution.ts';
import type { Finding, RuleId } from '../harness/analysis/types.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';
import { buildHarness } from '../scripts/build-harness.mjs';

const T0 = 1_767_225_600_000;
const PKG = 'com.example.shop';
const PERMISSIONS = ['android.permission.READ_PHONE_STATE', 'android.permission.ACCESS_FINE_LOCATION'];
let dir: string;
let db: string;

/** A finding by content (ids and creation times differ between analyses). */
const content = (f: Finding) => ({
  rule: f.rule,
  severity: f.severity,
  category: f.category,
  sdk: f.sdk,
  count: f.count,
  title: f.title,
  detail: f.detail,
  evidence: f.evidence,
  scenarios: f.scenarios,
});

/** The worker's side, in process: the rules on a second, read-only connection. */
function secondConnection(runId: number, log: RuleId[][], answer = true): RuleOffload {
  let pending: RuleOutcome[] | null = null;
  return {
    start(rules, declared) {
      log.push(rules);
      const ro = openReadOnly(db);
      try {
        const ctx = new AnalysisContext(ro, runId, resolveLimits(), undefined, undefined);
        ctx.declared = declared ? new Set(declared) : null;
        pending = rules.map((id) => ({ rule: id, result: RULES.find((r) => r.id === id)!.run(ctx), ms: 0 }));
      } finally {
        ro.close();
      }
      return true;
    },
    collect: () => (answer ? new Map(pending!.map((o) => [o.rule, o])) : null),
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-offload-'));
  db = join(dir, 'o.db');
  const store = openStore(db);
  const runId = store.createRun({
    package: PKG,
    device: 'd',
    scenario: 's',
    toolVersion: 't',
    startedAt: T0,
  });
  const w = store.traceWriter(runId, { attributeSdk: storeAttributor(PKG) });
  for (const m of syntheticMessages({ ...REALISTIC, events: 30_000, seed: 11, startTime: T0 })) w.handle(m);
  w.flush();
  store.endRun(runId, 'completed', undefined, T0 + 40_000);
  // Background spans of the main process, as the analysis bench records them.
  const p = store.db
    .prepare('SELECT id FROM processes WHERE run_id = ? AND name = ?')
    .pluck()
    .get(runId, PKG);
  const life = store.db.prepare('INSERT INTO lifecycle (run_id, process_id, time, kind) VALUES (?, ?, ?, ?)');
  life.run(runId, p, T0, 'foreground');
  for (let i = 0; i < 3; i++) {
    life.run(runId, p, T0 + 5_000 + i * 10_000, 'background');
    life.run(runId, p, T0 + 8_000 + i * 10_000, 'foreground');
  }
  store.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rules offloaded to a second thread', () => {
  it('give the same findings in the same order; the offloaded rules do not also run here', () => {
    const store = openStore(db);
    try {
      const one = analyzeRun(store, 1, { permissions: PERMISSIONS });
      const rules = new Set(one.map((f) => f.rule));
      // The trace exercises both offloaded rules and the one that reads every draft.
      for (const id of OFFLOADED) expect(rules.has(id), id).toBe(true);
      const log: RuleId[][] = [];
      const ran: string[] = [];
      const run = RULES.map((r) => r.run);
      RULES.forEach((r, i) => {
        (r as { run: typeof r.run }).run = (ctx) => {
          ran.push(r.id);
          return run[i]!.call(r, ctx);
        };
      });
      let two: Finding[];
      try {
        two = analyzeRun(store, 1, { permissions: PERMISSIONS, offload: secondConnection(1, log) });
      } finally {
        RULES.forEach((r, i) => {
          (r as { run: typeof r.run }).run = run[i]!;
        });
      }
      expect(log).toEqual([
        [...OFFLOADED].sort(
          (a, b) => RULES.findIndex((r) => r.id === a) - RULES.findIndex((r) => r.id === b),
        ),
      ]);
      // Here: every rule but the offloaded ones (the second connection ran those).
      expect(ran.filter((id) => OFFLOADED.includes(id as RuleId)).length).toBe(OFFLOADED.length);
      expect(two.map(content)).toEqual(one.map(content));
    } finally {
      store.close();
    }
  });

  it('a worker that does not answer: its rules run here, same findings', () => {
    const store = openStore(db);
    try {
      const one = analyzeRun(store, 1, { permissions: PERMISSIONS });
      const two = analyzeRun(store, 1, { permissions: PERMISSIONS, offload: secondConnection(1, [], false) });
      expect(two.map(content)).toEqual(one.map(content));
    } finally {
      store.close();
    }
  });
});

describe('the compiled CLI’s worker thread', () => {
  let out: string;
  beforeAll(async () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    mkdirSync(dist, { recursive: true });
    out = mkdtempSync(join(dist, 'harness-offload-'));
    expect(await buildHarness(out)).toBe(true);
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('runs the offloaded rules there and prints the findings one thread makes', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(join(out, 'main.js'))}); await main(process.argv);`,
        'overreach',
        'analyze',
        '1',
        '--db',
        db,
        '--json',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, OVERREACH_LOG: 'debug', OVERREACH_ANALYZE_WORKER: '1' },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rules in a worker thread: ${OFFLOADED.join(', ')}`);
    expect(r.stderr).toMatch(
      new RegExp(`worker thread answered: ${OFFLOADED.map((id) => `${id} \\(\\d+ ms\\)`).join(', ')}`),
    );
    const cli = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    // After the CLI (it may have attributed the run's SDKs again): one thread, in process.
    const store = openStore(db);
    try {
      const one = analyzeRun(store, 1, {});
      expect(new Set(one.map((f) => f.rule))).toContain('periodic-collection');
      expect(cli.map(content)).toEqual(one.map(content));
    } finally {
      store.close();
    }
  });
});
