// Analysis benchmark: `npx tsx bench/analysis-bench.ts [events]` (or runAnalysisBench()).
// 1. writes the ingest bench's synthetic trace (1,000,000 events) and ingests it for real;
// 2. times attributeRunSdks (the one-off SDK attribution `overreach analyze` does first);
// 3. times analyzeRun with a profile, the 2021 pack, manifest permissions, an AppOps snapshot and
//    lifecycle background spans,
//    with the synthetic `launch` phase treated as pre-consent so every rule has work to do;
// 4. times a second analyzeRun (idempotent replace). Target: analysis + HTML report ≤ 5 s
//    (the report is timed by its own bench).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRunDetailed } from '../harness/analysis/engine.ts';
import { attributeRunSdks } from '../harness/analysis/sdk-attribution.ts';
import type { AppProfile } from '../harness/profile/profile.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import { openStore } from '../harness/store/store.ts';
import { writeSyntheticTrace } from './synthetic-trace.ts';

export interface AnalysisBenchResult {
  events: number;
  attributeSeconds: number;
  analysisSeconds: number;
  reanalysisSeconds: number;
  findings: number;
  timings: Record<string, number>;
}

const PROFILE: AppProfile = {
  file: 'bench-profile.yaml',
  package: 'com.example.shop',
  category: 'online_shopping',
  privacyPolicy: {
    declares: [
      { category: 'phone-number', purposes: ['account'] },
      { category: 'location', purposes: ['delivery'], sdk: 'umeng-analytics' },
    ],
    sdks: ['umeng-analytics'],
    unknownSdks: [],
  },
};

export async function runAnalysisBench(
  opts: { events?: number; print?: (line: string) => void } = {},
): Promise<AnalysisBenchResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const events = opts.events ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'overreach-analysis-bench-'));
  try {
    const tracePath = join(dir, 'trace.jsonl');
    await writeSyntheticTrace(tracePath, { events, stacks: 300, hooks: 60, seed: 42 });
    const store = openStore(join(dir, 'analysis.db'));
    const appId = store.upsertApp({
      package: PROFILE.package,
      permissions: [
        { name: 'android.permission.READ_PHONE_STATE' },
        { name: 'android.permission.READ_CONTACTS' },
        { name: 'android.permission.RECORD_AUDIO' },
        { name: 'android.permission.CAMERA' },
      ],
    });
    const runId = store.createRun({
      package: PROFILE.package,
      device: 'bench',
      scenario: 'bench',
      toolVersion: 'bench',
      appId,
    });
    const result = await ingestFile(tracePath, store.traceWriter(runId));
    store.endRun(runId, 'completed');
    if (result.events !== events)
      throw new Error(`bench trace did not ingest cleanly (${result.events} events)`);
    store.db
      .prepare(
        `INSERT INTO appops (run_id, "when", op, mode, last_access, raw_line) VALUES
         (?, 'after', 'READ_CLIPBOARD', 'allow', '+12s ago', 'READ_CLIPBOARD: allow; time=+12s ago'),
         (?, 'after', 'CAMERA', 'allow', '+1d ago', 'CAMERA: allow; time=+1d ago')`,
      )
      .run(runId, runId);
    // Ten background spans of 20 s on the main process, so background-access also checks lifecycle.
    const span = store.db
      .prepare<[number], { p: number; t0: number; t1: number }>(
        'SELECT min(process_id) AS p, min(time) AS t0, max(time) AS t1 FROM events WHERE run_id = ?',
      )
      .get(runId)!;
    const life = store.db.prepare(
      'INSERT INTO lifecycle (run_id, process_id, time, kind) VALUES (?, ?, ?, ?)',
    );
    for (let i = 0; i < 10; i++) {
      const at = span.t0 + ((span.t1 - span.t0) * (i + 0.5)) / 10;
      life.run(runId, span.p, at, 'background');
      life.run(runId, span.p, at + 20_000, 'foreground');
    }

    let t0 = performance.now();
    const attributed = attributeRunSdks(store.db, runId, PROFILE.package);
    const attributeSeconds = (performance.now() - t0) / 1000;
    const options = { profile: PROFILE, limits: { preConsentPhases: ['launch'] } };
    t0 = performance.now();
    const first = analyzeRunDetailed(store, runId, options);
    const analysisSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    analyzeRunDetailed(store, runId, options);
    const reanalysisSeconds = (performance.now() - t0) / 1000;
    store.close();

    print(`analysis bench: ${events.toLocaleString('en')} events`);
    print(
      `SDK attribution (one-off):  ${attributeSeconds.toFixed(2)} s  (${attributed.stacks} stacks, ${attributed.changedEvents.toLocaleString('en')} events updated)`,
    );
    print(`analyzeRun:                 ${analysisSeconds.toFixed(2)} s  (${first.findings.length} findings)`);
    print(`analyzeRun again (replace): ${reanalysisSeconds.toFixed(2)} s`);
    for (const [k, ms] of Object.entries(first.timings)) print(`  ${k.padEnd(28)} ${ms.toFixed(0)} ms`);
    print(`target analysis + report ≤ 5 s: analysis part ${analysisSeconds <= 5 ? 'within' : 'OVER'} budget`);
    return {
      events,
      attributeSeconds,
      analysisSeconds,
      reanalysisSeconds,
      findings: first.findings.length,
      timings: first.timings,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runAnalysisBench(n ? { events: n } : {});
}
