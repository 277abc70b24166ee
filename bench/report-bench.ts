// Report benchmark: `npx tsx bench/report-bench.ts [events]` (or runReportBench() from
// bench/run-all.ts). Ingests a synthetic 1,000,000-event trace (bench/synthetic-trace.ts)
// through the real ingest path with SDK attribution and ten scenario steps, runs the analysis
// when harness/analysis exports analyzeRun (else inserts findings rows like it would), then
// times building the report model and rendering each format. Target: analysis + model + HTML ≤ 5 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeSdk } from '../harness/knowledge/sdks.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import { openStore, type Store } from '../harness/store/store.ts';
import { REPORT_FORMATS, renderReport } from '../reports/index.ts';
import { buildReportModel } from '../reports/model.ts';
import { writeSyntheticTrace } from './synthetic-trace.ts';

export interface ReportBenchResult {
  events: number;
  analysisSeconds: number | null;
  modelSeconds: number;
  htmlSeconds: number;
  htmlBytes: number;
  formatSeconds: Record<string, number>;
  findings: number;
  targetMet: boolean;
}

const T0 = 1_767_225_600_000;
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function analyze(store: Store, runId: number): Promise<number | null> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL('../harness/analysis/index.ts', import.meta.url).href)) as Record<
      string,
      unknown
    >;
  } catch {
    return null;
  }
  const fn = mod['analyzeRun'];
  if (typeof fn !== 'function') return null;
  const t0 = process.hrtime.bigint();
  await (fn as (s: Store, id: number, o: object) => unknown)(store, runId, {});
  return seconds(t0);
}

/** Findings rows as the analysis writes them: one per (category, sdk) pair, 20 evidence ids each. */
function insertFindings(store: Store, runId: number): void {
  const db = store.db;
  const pairs = db
    .prepare<[number], { category: string; sdk: string | null; ids: string }>(
      `SELECT c.name AS category, s.name AS sdk, (SELECT group_concat(id) FROM (SELECT id FROM events e2
         WHERE e2.run_id = g.run_id AND e2.category_id = g.category_id LIMIT 20)) AS ids
       FROM (SELECT run_id, category_id, sdk_id FROM events WHERE run_id = ? GROUP BY category_id, sdk_id LIMIT 40) g
       JOIN categories c ON c.id = g.category_id LEFT JOIN sdks s ON s.id = g.sdk_id`,
    )
    .all(runId);
  const add = db.prepare(
    'INSERT INTO findings (run_id, rule, severity, category, sdk, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare('INSERT OR IGNORE INTO finding_events (finding_id, event_id) VALUES (?, ?)');
  const sev = ['info', 'low', 'medium', 'high', 'critical'];
  db.transaction(() => {
    pairs.forEach((p, i) => {
      const id = Number(
        add.run(
          runId,
          'excessive-rate',
          sev[i % 5],
          p.category,
          p.sdk,
          `${p.category} read at a sustained rate`,
          Date.now(),
        ).lastInsertRowid,
      );
      for (const e of p.ids.split(',')) link.run(id, Number(e));
    });
  })();
}

export async function runReportBench(
  opts: { events?: number; print?: (line: string) => void } = {},
): Promise<ReportBenchResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const events = opts.events ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'overreach-report-bench-'));
  try {
    const tracePath = join(dir, 'trace.jsonl');
    await writeSyntheticTrace(tracePath, { events, seed: 7, startTime: T0 });
    const store = openStore(join(dir, 'report.db'));
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'bench',
      scenario: 'bench',
      toolVersion: 'bench',
      startedAt: T0,
    });
    const writer = store.traceWriter(runId, {
      attributeSdk: (frames) => attributeSdk(frames, { appPackage: 'com.example.shop' }).sdk,
    });
    // The synthetic clock advances ~1 ms per event: ten steps cover the run.
    const stepMs = events / 10;
    for (let i = 0; i < 10; i++) {
      const id = writer.beginStep({
        kind: i === 0 ? 'launch' : 'tap',
        label: `step ${i + 1}`,
        phase: null,
        time: T0 + i * stepMs,
      });
      writer.endStep(id, 'ok', undefined, T0 + (i + 1) * stepMs);
    }
    const t0 = process.hrtime.bigint();
    const ingested = await ingestFile(tracePath, writer);
    store.endRun(runId, 'completed', undefined, T0 + events * 1.1);
    print(
      `report bench: ${ingested.events.toLocaleString('en')} events ingested in ${seconds(t0).toFixed(1)} s`,
    );

    const analysisSeconds = await analyze(store, runId);
    if (analysisSeconds === null) insertFindings(store, runId);

    let t = process.hrtime.bigint();
    const model = buildReportModel(store.db, runId);
    const modelSeconds = seconds(t);
    t = process.hrtime.bigint();
    const html = renderReport(model, 'html');
    const htmlSeconds = seconds(t);
    const formatSeconds: Record<string, number> = {};
    for (const f of REPORT_FORMATS) {
      t = process.hrtime.bigint();
      renderReport(model, f);
      formatSeconds[f] = seconds(t);
    }
    store.close();
    const total = (analysisSeconds ?? 0) + modelSeconds + htmlSeconds;
    const htmlBytes = Buffer.byteLength(html);
    const targetMet = total <= 5;
    print(
      `analysis:                 ${analysisSeconds === null ? 'not available (findings rows inserted instead)' : `${analysisSeconds.toFixed(2)} s`}`,
    );
    print(`report model (SQL):       ${modelSeconds.toFixed(2)} s   (${model.findings.length} findings)`);
    print(`HTML render:              ${htmlSeconds.toFixed(3)} s, ${(htmlBytes / 1024).toFixed(0)} KiB`);
    print(
      `other formats:            ${Object.entries(formatSeconds)
        .map(([f, s]) => `${f} ${(s * 1000).toFixed(0)} ms`)
        .join(', ')}`,
    );
    print(
      `total (analysis + model + HTML): ${total.toFixed(2)} s   (target ≤ 5 s) — ${targetMet ? 'met' : 'NOT met'}`,
    );
    return {
      events,
      analysisSeconds,
      modelSeconds,
      htmlSeconds,
      htmlBytes,
      formatSeconds,
      findings: model.findings.length,
      targetMet,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runReportBench(n ? { events: n } : {});
}
