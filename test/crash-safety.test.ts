import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrace } from '../bench/synthetic-trace.ts';
import { openStore } from '../harness/store/store.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOTAL = 200_000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('crash safety', () => {
  it('keeps every committed batch when the writer is SIGKILLed mid-run', async () => {
    const trace = join(dir, 'trace.jsonl');
    const dbPath = join(dir, 'crash.db');
    await writeSyntheticTrace(trace, { events: TOTAL, seed: 7 });

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/slow-ingest.ts', dbPath, trace],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = once(child, 'exit');
    let runId = 0;
    let committed = 0;
    let commits = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const run = /^run (\d+)$/.exec(line);
      if (run) runId = Number(run[1]);
      const c = /^committed (\d+)$/.exec(line);
      if (c) {
        committed = Number(c[1]);
        if (++commits === 8) {
          // a little later than the report, so the kill usually lands inside the next batch
          await new Promise((r) => setTimeout(r, 25));
          child.kill('SIGKILL');
          break;
        }
      }
      if (line === 'done') break;
    }
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(code).toBeNull();
    expect(committed).toBe(40_000);

    // Re-open: the dead writer's run is detected, the file is intact, committed batches are there.
    const store = openStore(dbPath);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const run = store.getRun(runId)!;
    expect(run.status).toBe('interrupted');
    expect(run.status_reason).toContain(`writer process ${child.pid}`);
    const n = store.db.prepare('SELECT count(*) FROM events WHERE run_id = ?').pluck().get(runId) as number;
    expect(n).toBeGreaterThanOrEqual(committed);
    expect(n).toBeLessThan(TOTAL);
    expect(n % 5000).toBe(0);
    // every stored event resolves through the view (no dangling stack or lookup ids)
    expect(
      store.db
        .prepare('SELECT count(*) FROM v_events WHERE run = ? AND stack IS NOT NULL')
        .pluck()
        .get(runId),
    ).toBe(n);
    store.close();
  });
});
