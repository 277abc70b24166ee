// A farm's device worker gets its device's job as soon as the pool gives it one, not when the
// farm's own thread (busy running its devices' jobs) gets round to reading the worker's 'ready':
// the worker runs it while this thread is still busy (harness/farm/sim-processes.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processCount, simProcessRunner } from '../harness/farm/sim-processes.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

let agentPath: string;
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);

/** Blocks this thread (no event loop turn) until `done` or `ms` pass. */
function blockUntil(done: () => boolean, ms: number): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) Atomics.wait(nap, 0, 0, 20);
}

describe('sim device workers: the job queue', () => {
  it("runs a worker device's job while the farm's thread is busy (no round trip through it)", async () => {
    if (processCount(2) < 2) return; // one core: no device workers at all
    const dir = tempDir();
    const scenario = join(dir, 's.yaml');
    writeFileSync(
      scenario,
      `name: queued\napp: { package: com.starfall.puzzle, model: ${MODEL} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 20s\n  - consent\n  - wait: 10s\n`,
    );
    const db = join(dir, 'f.db');
    const store = openStore(db); // the farm creates the database before any job
    const runner = simProcessRunner(
      { db, outDir: join(dir, 'out'), analyze: true, html: false, rawValues: false, speed: 'max', agentPath },
      2,
    );
    try {
      const ctx = { signal: new AbortController().signal, onRun: () => undefined };
      const result = runner.runJob(1)(
        { id: 1, scenario },
        { id: 'sim-2', device: new SimDevice({ serial: 'sim-2' }) },
        ctx,
      );
      // This thread now stays busy: it reads no message from the worker meanwhile. The run
      // still gets written and completed by the worker (a job posted only after this thread
      // had seen the worker's 'ready' would not even have started).
      const run = store.db.prepare<[], { status: string; device: string }>('SELECT status, device FROM runs');
      blockUntil(() => run.get()?.status === 'completed', 30_000);
      expect(run.get()).toEqual({ status: 'completed', device: 'sim-2' });
      expect((await result).status).toBe('completed');
    } finally {
      await runner.close();
      store.close();
    }
  }, 120_000);
});
