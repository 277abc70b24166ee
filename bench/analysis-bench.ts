// Analysis and report benchmark: `npx tsx bench/analysis-bench.ts` (or runAnalysisBench()).
// 1. records a realistic trace (bench/synthetic-trace.ts REALISTIC: 3 processes, every category,
//    ~200 APIs, ~2,000 stacks of 10–20 frames, ~200 events per message) through the real
//    TraceWriter with SDK attribution and ten scenario steps, plus lifecycle background spans,
//    an AppOps snapshot, manifest permissions and an app profile, so every rule has work;
// 2. measures the CLI commands a user runs, each a fresh process with start-up:
//      overreach analyze 1 --profile … --rules …      and
//      overreach report 1 --format html --out …
//    each PAIRED with the anchor, one raw scan of the events table (bench/raw-scan.mjs);
// 3. prints medians, spreads, the HTML size and peak memory, with targets and verdicts.
// Sizes: BENCH_EVENTS (default 1,000,000); BENCH_10M=1 adds one 10,000,000-event run
// (growth and memory only: never more than once, it takes minutes).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeAttributor } from '../harness/analysis/sdk-attribution.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import { openReadOnly, openStore } from '../harness/store/store.ts';
import {
  BIN,
  benchEvents,
  benchPairs,
  machine,
  type Paired,
  paired,
  print,
  printPaired,
  ROOT,
  runNode,
  verdict,
} from './measure.ts';
import { REALISTIC, writeSyntheticTrace } from './synthetic-trace.ts';

const T0 = 1_767_225_600_000;
const PKG = 'com.example.shop';
const PROFILE = `package: ${PKG}
category: online_shopping
privacyPolicy:
  declares:
    - category: phone-number
      purposes: [account]
    - category: location
      purposes: [delivery]
      sdk: umeng-analytics
  sdks: [umeng-analytics]
`;
// The synthetic `launch` phase is the pre-consent one, so access-before-consent has work.
const RULES = 'rules:\n  access-before-consent:\n    phases: [launch]\n';

export interface AnalysisBenchResult {
  events: number;
  analyze: Paired;
  report: Paired;
  htmlBytes: number;
  findings: number;
}

/** Records the realistic trace into `db` as run 1, the way a scenario run would. */
async function record(dir: string, db: string, events: number): Promise<void> {
  const trace = join(dir, 'trace.jsonl');
  await writeSyntheticTrace(trace, { ...REALISTIC, events, seed: 42, startTime: T0 });
  const store = openStore(db);
  const appId = store.upsertApp({
    package: PKG,
    permissions: ['READ_PHONE_STATE', 'READ_CONTACTS', 'RECORD_AUDIO', 'CAMERA', 'ACCESS_FINE_LOCATION'].map(
      (p) => ({ name: `android.permission.${p}` }),
    ),
  });
  const runId = store.createRun({
    package: PKG,
    device: 'bench',
    scenario: 'bench',
    toolVersion: 'bench',
    appId,
    startedAt: T0,
  });
  const writer = store.traceWriter(runId, { attributeSdk: storeAttributor(PKG) });
  // The synthetic clock advances ~1 ms per event: ten steps cover the run.
  const stepMs = events / 10;
  for (let i = 0; i < 10; i++) {
    const id = writer.beginStep({
      kind: i === 0 ? 'launch' : 'tap',
      label: `step ${i + 1}`,
      time: T0 + i * stepMs,
    });
    writer.endStep(id, 'ok', undefined, T0 + (i + 1) * stepMs);
  }
  const r = await ingestFile(trace, writer);
  if (r.events !== events || r.malformed > 0)
    throw new Error(`bench trace did not ingest cleanly (${r.events})`);
  store.endRun(runId, 'completed', undefined, T0 + events * 1.1);
  store.db
    .prepare(
      `INSERT INTO appops (run_id, "when", op, mode, last_access, raw_line) VALUES
       (?, 'after', 'READ_CLIPBOARD', 'allow', '+12s ago', 'READ_CLIPBOARD: allow; time=+12s ago'),
       (?, 'after', 'CAMERA', 'allow', '+1d ago', 'CAMERA: allow; time=+1d ago')`,
    )
    .run(runId, runId);
  // Ten background spans of 20 s on the main process: background-access reads lifecycle too.
  const span = store.db
    .prepare<{ run: number; pkg: string }, { p: number; t0: number; t1: number }>(
      `SELECT (SELECT id FROM processes WHERE run_id = @run AND name = @pkg) AS p,
         min(first) AS t0, max(last) AS t1 FROM event_groups WHERE run_id = @run`,
    )
    .get({ run: runId, pkg: PKG })!;
  const life = store.db.prepare('INSERT INTO lifecycle (run_id, process_id, time, kind) VALUES (?, ?, ?, ?)');
  life.run(runId, span.p, span.t0, 'foreground');
  for (let i = 0; i < 10; i++) {
    const at = span.t0 + ((span.t1 - span.t0) * (i + 0.5)) / 10;
    life.run(runId, span.p, at, 'background');
    life.run(runId, span.p, at + 20_000, 'foreground');
  }
  store.close();
  rmSync(trace, { force: true });
}

function scale(dir: string, events: number, pairs: number): AnalysisBenchResult {
  const db = join(dir, 'bench.db');
  const profile = join(dir, 'profile.yaml');
  const rules = join(dir, 'rules.yaml');
  const html = join(dir, 'report.html');
  writeFileSync(profile, PROFILE);
  writeFileSync(rules, RULES);
  const analyzeArgs = [BIN, 'analyze', '1', '--db', db, '--profile', profile, '--rules', rules, '--json'];
  const anchor = () => runNode([join(ROOT, 'bench', 'raw-scan.mjs'), db, '1']);
  // A warm-up of each side (page cache, first analysis stores the roll-up-free parts).
  runNode(analyzeArgs, { okCodes: [0, 1] });
  anchor();
  const analyze = paired(() => runNode(analyzeArgs, { okCodes: [0, 1] }), anchor, pairs);
  const reportArgs = [BIN, 'report', '1', '--db', db, '--format', 'html', '--out', html];
  const report = paired(() => runNode(reportArgs), anchor, pairs);
  const ro = openReadOnly(db);
  const findings =
    ro.prepare<[], number>('SELECT count(*) FROM findings WHERE run_id = 1').pluck().get() ?? 0;
  ro.close();
  return { events, analyze, report, htmlBytes: statSync(html).size, findings };
}

export async function runAnalysisBench(opts: { events?: number } = {}): Promise<AnalysisBenchResult> {
  const events = opts.events ?? benchEvents(1_000_000);
  const pairs = benchPairs();
  const dir = mkdtempSync(join(tmpdir(), 'overreach-analysis-bench-'));
  try {
    print(`analysis bench: ${events.toLocaleString('en')} events (realistic shape), ${machine()}`);
    const t0 = performance.now();
    await record(dir, join(dir, 'bench.db'), events);
    print(
      `  recorded in ${((performance.now() - t0) / 1000).toFixed(1)} s (not a target: see the ingest bench)`,
    );
    const r = scale(dir, events, pairs);
    print(`  findings stored: ${r.findings}`);
    printPaired('overreach analyze', 'raw scan', r.analyze);
    verdict('analyze ÷ one raw scan (medians)', r.analyze.ratio.toFixed(2), '≤ 1.5', r.analyze.ratio <= 1.5);
    printPaired('overreach report --format html', 'raw scan', r.report);
    verdict(
      'report html ÷ one raw scan (medians)',
      r.report.ratio.toFixed(2),
      '≤ 1.5',
      r.report.ratio <= 1.5,
    );
    verdict(
      'HTML report size',
      `${(r.htmlBytes / 2 ** 20).toFixed(2)} MiB`,
      '< 5 MiB',
      r.htmlBytes < 5 * 2 ** 20,
    );
    for (const [name, p] of [
      ['analyze', r.analyze],
      ['report', r.report],
    ] as const)
      if (p.oursRss)
        verdict(
          `${name} peak memory (median)`,
          `${(p.oursRss.median / 1024).toFixed(0)} MiB`,
          '< 300 MiB',
          p.oursRss.median < 300 * 1024,
        );
    if (process.env['BENCH_10M'] === '1' && events < 10_000_000) {
      const big = 10_000_000;
      const dir10 = mkdtempSync(join(tmpdir(), 'overreach-analysis-bench-10m-'));
      try {
        print(`  10M: recording ${big.toLocaleString('en')} events (one run, minutes)…`);
        await record(dir10, join(dir10, 'bench.db'), big);
        const r10 = scale(dir10, big, 1);
        for (const [name, small, large] of [
          ['analyze', r.analyze, r10.analyze],
          ['report html', r.report, r10.report],
        ] as const) {
          const growth = large.ours.median / small.ours.median;
          const rawGrowth = large.anchor.median / small.anchor.median;
          verdict(
            `${name} time 10M ÷ ${events / 1e6}M (raw scan grew ${rawGrowth.toFixed(1)}×)`,
            `${growth.toFixed(1)}×`,
            `≤ ${((big / events) * 1.2).toFixed(0)}× (linear)`,
            growth <= (big / events) * 1.2,
          );
          if (large.oursRss)
            verdict(
              `${name} peak memory at 10M`,
              `${(large.oursRss.median / 1024).toFixed(0)} MiB`,
              '< 400 MiB',
              large.oursRss.median < 400 * 1024,
            );
        }
      } finally {
        rmSync(dir10, { recursive: true, force: true });
      }
    }
    return r;
  } finally {
    if (process.env['BENCH_KEEP'] === '1') print(`  kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  await runAnalysisBench(n ? { events: n } : {});
}
