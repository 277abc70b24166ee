// `npm run bench`: every benchmark in turn (they share the cores, so never concurrently), then a
// summary of every figure with its target and verdict (from medians of paired runs). Missing a
// target is printed, not fatal; a benchmark that cannot run at all makes the exit code 1.
// Sizes: BENCH_EVENTS (default 1,000,000), BENCH_PAIRS (default 5), BENCH_10M=1 (one 10M run).
import { existsSync } from 'node:fs';
import { print, VERDICTS } from './measure.ts';

interface BenchModule {
  file: string;
  exportName: string;
}

const BENCHES: BenchModule[] = [
  { file: './startup-bench.ts', exportName: 'runStartupBench' },
  { file: './ingest-bench.ts', exportName: 'runIngestBench' },
  { file: './agent-engine-bench.ts', exportName: 'runAgentEngineBench' },
  { file: './value-match-bench.ts', exportName: 'runValueMatchBench' },
  { file: './analysis-bench.ts', exportName: 'runAnalysisBench' },
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
print('\n== summary (verdicts from medians of paired runs) ==');
for (const v of VERDICTS)
  print(
    `  ${v.met === null ? 'info  ' : v.met ? 'MET   ' : 'MISSED'}  ${v.figure.padEnd(46)} ${v.value.padEnd(34)} target ${v.target}`,
  );
if (failed > 0) process.exitCode = 1;
