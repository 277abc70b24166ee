import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAgentMessage } from '../harness/protocol/validate.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import { runQuery } from '../harness/store/query.ts';
import { openStore } from '../harness/store/store.ts';

const doc = readFileSync(new URL('../docs/schema.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
const SMALL = fileURLToPath(new URL('./fixtures/traces/small.jsonl', import.meta.url));

describe('docs/schema.md', () => {
  it('has at least ten example queries', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it('every ```sql block runs read-only against an ingested trace', async () => {
    const store = openStore(':memory:');
    const runId = store.createRun({
      package: 'com.example.app',
      device: 'emu',
      scenario: 'docs',
      toolVersion: 't',
    });
    const writer = store.traceWriter(runId, {
      attributeSdk: (frames) => (frames[0]!.startsWith('com.umeng') ? 'umeng' : null),
    });
    const step = writer.beginStep({
      kind: 'launch',
      label: 'open',
      phase: 'launch',
      time: 1_767_225_600_000,
    });
    expect((await ingestFile(SMALL, writer)).malformed).toBe(0);
    writer.endStep(step, 'ok', undefined, 1_767_225_601_030);
    store.endRun(runId, 'completed');
    const withRows: number[] = [];
    for (const [i, sql] of blocks.entries()) {
      const result = runQuery(store.db, sql.replace(/;\s*$/, ''));
      expect(result.columns.length, `block ${i + 1}`).toBeGreaterThan(0);
      if (result.rows.length > 0) withRows.push(i + 1);
    }
    // all but the findings, device-log-only and run-comparison queries have data in this trace
    expect(withRows.length).toBeGreaterThanOrEqual(10);
    store.close();
  });

  it('documents every table and view of the schema', () => {
    const store = openStore(':memory:');
    const names = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const name of names) expect(doc, name).toContain(`\`${name}\``);
    store.close();
  });
});

describe('docs/protocol.md', () => {
  it('its JSONL example is a valid trace', () => {
    const text = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
    const example = /```jsonl\n([\s\S]*?)```/.exec(text)![1]!.trim().split('\n');
    expect(example.length).toBeGreaterThanOrEqual(5);
    const store = openStore(':memory:');
    const writer = store.traceWriter(
      store.createRun({ package: 'p', device: 'd', scenario: 's', toolVersion: 't' }),
    );
    for (const line of example) writer.handle(parseAgentMessage(JSON.parse(line)));
    writer.flush();
    expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2);
    expect(store.db.prepare('SELECT count(*) FROM stacks').pluck().get()).toBe(1);
    store.close();
  });
});
