// `npm run bench`: every benchmark in turn. Each prints its own figures and targets; this file
// only sequences them (they share 2 cores, so running them concurrently would skew figures)
// and exits non-zero when a benchmark could not run at all. Missing a target is printed, not fatal.
import { existsSync } from 'node:fs';

interface BenchModule {
  file: string;
  exportName: string;
}

const BENCHES: BenchModule[] = [
  { file: './ingest-bench.ts', exportName: 'runIngestBench' },
  { file: './agent-bench.ts', exportName: 'runAgentBench' },
  { file: './agent-engine-bench.ts', exportName: 'runAgentEngineBench' },
  { file: './value-match-bench.ts', exportName: 'runValueMatchBench' },
  { file: './analysis-bench.ts', exportName: 'runAnalysisBench' },
  { file: './report-bench.ts', exportName: 'runReportBench' },
  { file: './farm-bench.ts', exportName: 'runFarmBench' },
  { file: './dex-bench.ts', exportName: 'runDexBench' },
];

let failed = 0;
for (const bench of BENCHES) {
  if (!existsSync(new URL(bench.file, import.meta.url))) continue;
  process.stdout.write(`\n== ${bench.file.replace('./', 'bench/')} ==\n`);
  try {
    const mod = (await import(bench.file)) as Record<string, unknown>;
    const fn = mod[bench.exportName];
    if (typeof fn !== 'function') throw new Error(`${bench.file} does not export ${bench.exportName}()`);
    await (fn as () => Promise<unknown>)();
  } catch (err) {
    failed++;
    process.stdout.write(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}
if (failed > 0) process.exitCode = 1;
