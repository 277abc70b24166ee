// A run whose agent never loaded observed nothing: it stops at the launch with that cause, and
// its expectations are `inconclusive` — never `ok` (a no-access over zero events proves nothing).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStoredRun } from '../harness/analysis/run-analysis.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { renderJunit } from '../reports/junit.ts';
import { buildReportModel } from '../reports/model.ts';
import { rows, runOnSim, tempDir } from './fixtures/run/sim-run.ts';

const SCENARIO = `name: no-agent
app: { package: com.starfall.puzzle, model: $MODEL }
on-error: continue
expect:
  - no-access: contacts
  - max-count: { category: device-id, count: 100 }
steps:
  - launch: { clear-data: true }
  - wait: 5s
  - tap: { text: Play }
`;

async function runWith(agentPath: string) {
  const device = new SimDevice({ clock: 'virtual', agentPath });
  const r = await runOnSim(SCENARIO, {
    device,
    analyze: (store, runId) => void analyzeStoredRun(store, runId, { command: 'test' }),
  });
  return r;
}

describe('a run whose agent never loaded', () => {
  it('stops at the launch with the cause; expectations are inconclusive and shown as errors', async () => {
    const dir = tempDir();
    const silent = join(dir, 'silent-agent.js');
    writeFileSync(silent, '// an agent bundle that never says hello\n');
    const { result, store } = await runWith(silent);
    try {
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/agent never loaded/);
      // Stopped there: the steps after the launch did not run, though on-error is continue.
      expect(result.steps.map((s) => s.kind)).toEqual(['launch']);
      expect(result.expectations.map((e) => e.outcome)).toEqual(['inconclusive', 'inconclusive']);
      const stored = rows<{ outcome: string; detail: string }>(
        store,
        "SELECT outcome, detail FROM steps WHERE run_id = ? AND kind = 'expect'",
        result.runId,
      );
      expect(stored.every((s) => s.outcome === 'skipped' && s.detail.startsWith('inconclusive: '))).toBe(
        true,
      );
      // No finding claims anything about the expectations; JUnit shows them as errors.
      expect(rows(store, "SELECT 1 FROM findings WHERE rule = 'failed-expectation'")).toEqual([]);
      const junit = renderJunit(buildReportModel(store.db, result.runId));
      expect(junit.match(/<error [^>]*type="inconclusive"/g)).toHaveLength(2);
    } finally {
      store.close();
    }
  }, 60_000);

  it('a missing agent bundle stops the run too', async () => {
    const { result, store } = await runWith(join(tempDir(), 'no-such-agent.js'));
    try {
      expect(result.status).toBe('failed');
      expect(result.steps).toHaveLength(1);
      expect(result.expectations.every((e) => e.outcome === 'inconclusive')).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});
