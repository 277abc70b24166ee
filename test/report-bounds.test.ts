// A report stays readable however many findings a run has: evidence rows are capped in all
// (EVIDENCE_BUDGET, at least one per finding, with the total count kept) and each stack is
// printed once.
import { describe, expect, it } from 'vitest';
import { syntheticMessages } from '../bench/synthetic-trace.ts';
import { openStore } from '../harness/store/store.ts';
import { renderReport } from '../reports/index.ts';
import { buildReportModel } from '../reports/model.ts';
import { EVIDENCE_BUDGET } from '../reports/model-findings.ts';

describe('report bounds', () => {
  it('caps evidence across thousands of findings and prints each stack once', () => {
    const store = openStore(':memory:');
    const runId = store.createRun({
      package: 'com.example.shop',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
    });
    const w = store.traceWriter(runId);
    for (const m of syntheticMessages({ events: 5000, seed: 3, stacks: 40 })) w.handle(m);
    w.flush();
    const ids = store.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
    const add = store.db.prepare(
      `INSERT INTO findings (run_id, rule, severity, category, sdk, title, detail, event_count, created_at)
       VALUES (?, 'excessive-rate', 'low', 'location', NULL, ?, 'd', 500, 0)`,
    );
    const link = store.db.prepare('INSERT INTO finding_events (finding_id, event_id) VALUES (?, ?)');
    const findings = 1500;
    store.db.transaction(() => {
      for (let i = 0; i < findings; i++) {
        const f = Number(add.run(runId, `finding ${i}`).lastInsertRowid);
        for (let k = 0; k < 20; k++) link.run(f, ids[(i * 7 + k * 13) % ids.length]!);
      }
    })();
    const model = buildReportModel(store.db, runId, { evidence: 20 });
    const shown = model.findings.reduce((n, f) => n + f.evidence.length, 0);
    expect(model.findings).toHaveLength(findings);
    expect(shown).toBeLessThanOrEqual(EVIDENCE_BUDGET);
    expect(model.findings.every((f) => f.evidence.length >= 1 && f.count === 500)).toBe(true);
    const html = renderReport(model, 'html');
    const blocks = [...html.matchAll(/<summary>stack #(\d+) /g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks).size).toBe(blocks.length);
    expect(html).toContain('(the first of 500)');
    store.close();
  });
});
