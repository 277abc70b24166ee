// The farm's JUnit and exit code: a completed job, a job that failed with a run (its cause an
// error test case before its rules and expectations), and one that never got a run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobOutcome } from '../harness/farm/pool.ts';
import { buildReport, farmExitCode, jobModels, reportJunit } from '../harness/farm/report.ts';
import { openStore } from '../harness/store/store.ts';
import { createDemoRun } from './fixtures/reports/demo-run.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const attr = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<testsuite [^>]*${name}="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

describe('farm JUnit', () => {
  it('counts test cases, failures and errors per job the way the XML lists them', async () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'o.db'));
    try {
      const ok = await createDemoRun(store, { tracePath: join(dir, 'a.jsonl') });
      const bad = await createDemoRun(store, { tracePath: join(dir, 'b.jsonl') });
      store.endRun(bad, 'failed', 'device lost');
      const job = (id: number) => ({ id, scenario: `/s${id}.yaml` });
      const outcomes: JobOutcome[] = [
        { job: job(1), status: 'completed', runId: ok, attempts: [] },
        { job: job(2), status: 'failed', reason: 'device lost', runId: bad, attempts: [] },
        { job: job(3), status: 'failed', reason: 'no device left in the pool', attempts: [] },
      ];
      const report = buildReport(store.db, outcomes);
      const xml = reportJunit(report, 'high', jobModels(store.db, report));
      const suites = xml.split('<testsuite ').slice(1);
      expect(suites).toHaveLength(3);
      for (const s of suites) {
        const head = `<testsuite ${s}`;
        expect(attr(head, 'tests')[0]).toBe((s.match(/<testcase /g) ?? []).length);
        expect(attr(head, 'errors')[0]).toBe((s.match(/<error /g) ?? []).length);
        expect(attr(head, 'failures')[0]).toBe((s.match(/<failure /g) ?? []).length);
      }
      expect(suites[1]).toContain('<error message="device lost"/>');
      expect(suites[2]).toContain('no device left in the pool');
      expect(xml).toMatch(/<testsuites name="overreach farm" tests="\d+" failures="\d+" errors="2">/);
      expect(farmExitCode(report, 'high')).toBe(1);
      expect(farmExitCode({ ...report, jobs: [report.jobs[0]!] }, 'critical')).toBe(0);
      expect(farmExitCode({ ...report, jobs: [report.jobs[0]!] }, 'low')).toBe(3);
    } finally {
      store.close();
    }
  });
});
