// Start-up benchmark: `npx tsx bench/startup-bench.ts` (or runStartupBench()).
// The CLI a user runs (bin/overreach.js → dist/harness, compiled at install) against bare
// `node -e 0`, paired and alternating: `overreach --version` and a small `overreach query`.
// Target: each within 3× of `node -e 0` (ratio of medians).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, benchPairs, machine, paired, print, printPaired, ROOT, runNode, verdict } from './measure.ts';

export async function runStartupBench(): Promise<void> {
  const pairs = Math.max(benchPairs(), 10);
  const dir = mkdtempSync(join(tmpdir(), 'overreach-startup-bench-'));
  try {
    print(`start-up bench: ${machine()}`);
    const db = join(dir, 'small.db');
    runNode([
      BIN,
      'ingest',
      join(ROOT, 'test/fixtures/traces/small.jsonl'),
      '--db',
      db,
      '--package',
      'com.example.app',
    ]);
    const bare = () => runNode(['-e', '0']);
    runNode([BIN, '--version']);
    const version = paired(() => runNode([BIN, '--version']), bare, pairs);
    printPaired('overreach --version', 'node -e 0', version);
    verdict('--version ÷ node -e 0 (medians)', version.ratio.toFixed(2), '≤ 3', version.ratio <= 3);
    const query = paired(
      () =>
        runNode([BIN, 'query', '--db', db, 'SELECT category, accesses FROM v_category_phase WHERE run = 1']),
      bare,
      pairs,
    );
    printPaired('overreach query (small)', 'node -e 0', query);
    verdict('query ÷ node -e 0 (medians)', query.ratio.toFixed(2), '≤ 3', query.ratio <= 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStartupBench();
