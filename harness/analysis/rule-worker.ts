// A worker thread that runs some of an analysis' rules (rule-offload.ts) over its own read-only
// connection while the main thread runs the others: the same rule code on the same committed
// rows, with the run's settings loaded the same way (loadSettings), so its drafts are the ones
// the main thread would have made. Started before the command needs it: module loading overlaps
// the main thread's own start.
import { parentPort, workerData } from 'node:worker_threads';
import { loadYaml } from '../profile/yaml-source.ts';
import { openReadOnly } from '../store/store.ts';
import { resolveLimits } from './config.ts';
import { AnalysisContext } from './context.ts';
import type { RuleJob, RuleOutcome } from './rule-offload.ts';
import { RULES } from './rules/index.ts';
import { loadSettings } from './run-settings.ts';

function run(job: RuleJob): RuleOutcome[] {
  const db = openReadOnly(job.db);
  try {
    const loaded = loadSettings(job.settings);
    const ctx = new AnalysisContext(db, job.runId, resolveLimits(loaded.limits), loaded.profile, loaded.pack);
    ctx.declared = job.declared ? new Set(job.declared) : null;
    // One read snapshot for all of them, as the main thread's rules see the rows as they are.
    return db.transaction(() =>
      job.rules.map((id) => {
        const rule = RULES.find((r) => r.id === id)!;
        const t = performance.now();
        const result = rule.run(ctx);
        return { rule: id, result, ms: performance.now() - t };
      }),
    )();
  } finally {
    db.close();
  }
}

const port = parentPort;
if (port) {
  // Profiles, packs and rules files are YAML: load the bundled parser while waiting.
  // (Should it fail, YamlSource requires the package itself.)
  const yamlLoaded = loadYaml().catch(() => {});
  port.once('message', (job: RuleJob) => {
    void yamlLoaded.then(
      () => {
        let reply: { outcomes: RuleOutcome[] } | { error: string };
        try {
          reply = { outcomes: run(job) };
        } catch (err) {
          reply = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
        }
        job.port.postMessage(reply);
        const flag = new Int32Array(job.done);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      },
      () => {},
    );
  });
  // Listening: the main thread may hand over a job (rule-offload.ts waits for this).
  const ready = new Int32Array((workerData as { ready: SharedArrayBuffer }).ready);
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}
