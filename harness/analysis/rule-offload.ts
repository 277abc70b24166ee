// Two cores for one analysis: the `analyze` command starts a worker thread (rule-worker.ts)
// before it reads its flags; the engine hands it the rules that read the most rows
// (OFFLOADED) once the run's settings are stored, runs the other rules itself, and takes the
// worker's drafts back, synchronously, before the last rule (finding-transmitted reads every
// draft). The findings are the same as from one thread: same rules, same rows, merged in rule
// order. A worker that fails, or no compiled worker (tests, tsx), means the rules run here.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { createLog } from '../log.ts';
import type { RunAnalysisSettings } from './run-settings.ts';
import type { FindingDraft, RuleId } from './types.ts';

const log = createLog('analysis');

/** Rules worth a second thread at a million events (each ~100 ms, reading rows, not roll-ups). */
export const OFFLOADED: readonly RuleId[] = ['background-access', 'periodic-collection'];

/** How long the main thread waits for the worker's rules before running them itself. */
const WAIT_MS = 120_000;
/** How long it waits for a worker that has not started yet (it starts in ~0.1 s). */
const READY_MS = 3_000;

export interface RuleJob {
  db: string;
  runId: number;
  rules: RuleId[];
  settings: RunAnalysisSettings;
  declared: string[] | null;
  port: MessagePort;
  done: SharedArrayBuffer;
}

export interface RuleOutcome {
  rule: RuleId;
  result: FindingDraft[] | string;
  ms: number;
}

/** The analysis' side of an offload: which rules, and a job to start and collect. */
export interface RuleOffload {
  /** Starts `rules` in the worker with the run's declared permissions; false when it cannot. */
  start(rules: RuleId[], declared: readonly string[] | null): boolean;
  /** Waits for the started rules' outcomes; null when the worker failed (run them here). */
  collect(): Map<RuleId, RuleOutcome> | null;
}

/** A worker thread, started now, that will run rules of one analysis (or null: none built). */
export class RuleWorker {
  private readonly worker: Worker;
  private failed = false;

  /** Set to 1 by the worker once its modules are loaded and it listens for a job. */
  private readonly ready = new Int32Array(new SharedArrayBuffer(4));

  private constructor(file: string) {
    // Not this process's flags (e.g. --input-type, which a worker refuses).
    this.worker = new Worker(file, { execArgv: [], workerData: { ready: this.ready.buffer } });
    this.worker.unref();
    this.worker.on('error', (err) => {
      this.failed = true;
      log.warn(`rule worker failed: ${err.message}`);
    });
  }

  /**
   * The compiled worker next to the compiled CLI (dist/harness/rule-worker.js), when there is
   * one and a spare core to run it: the worker costs ~0.1–0.2 s of CPU of its own (a second
   * isolate loading the analysis), which only pays when it runs beside this thread, not in
   * turns with it. Spare: the 1-minute load average below the number of cores (a benchmark
   * alternating this command with another keeps it near 1–1.5 on an otherwise idle machine).
   * OVERREACH_ANALYZE_WORKER=1 always starts it, =0 never.
   */
  static start(): RuleWorker | null {
    const force = process.env['OVERREACH_ANALYZE_WORKER'];
    if (force === '0') return null;
    if (force !== '1' && loadavg()[0]! >= availableParallelism()) return null;
    const built = join(import.meta.dirname, 'rule-worker.js');
    return existsSync(built) ? new RuleWorker(built) : null;
  }

  /** An offload of run `runId` of database file `db`, analysed with `settings`. */
  offload(db: string, runId: number, settings: RunAnalysisSettings): RuleOffload {
    let pending: { port: MessagePort; flag: Int32Array } | null = null;
    return {
      start: (rules, declared) => {
        if (this.failed || rules.length === 0) return false;
        // A worker that never started (its 'error' event cannot run while this thread waits
        // below) must not be given the job: wait for it to be ready, briefly.
        if (Atomics.wait(this.ready, 0, 0, READY_MS) === 'timed-out') {
          log.warn('rule worker did not start: running its rules here');
          return false;
        }
        const { port1, port2 } = new MessageChannel();
        const done = new SharedArrayBuffer(4);
        const job: RuleJob = {
          db,
          runId,
          rules,
          settings,
          declared: declared ? [...declared] : null,
          port: port2,
          done,
        };
        this.worker.postMessage(job, [port2]);
        pending = { port: port1, flag: new Int32Array(done) };
        log.debug(`rules in a worker thread: ${rules.join(', ')}`);
        return true;
      },
      collect: () => {
        if (!pending) return null;
        const { port, flag } = pending;
        pending = null;
        const t0 = performance.now();
        if (Atomics.wait(flag, 0, 0, WAIT_MS) === 'timed-out') {
          log.warn('rule worker did not answer: running its rules here');
          return null;
        }
        const msg = receiveMessageOnPort(port)?.message as
          | { outcomes: RuleOutcome[] }
          | { error: string }
          | undefined;
        port.close();
        if (!msg || 'error' in msg) {
          log.warn(`rule worker failed: ${msg?.error.split('\n')[0] ?? 'no answer'}; running its rules here`);
          return null;
        }
        log.debug(
          `worker thread answered: ${msg.outcomes.map((o) => `${o.rule} (${o.ms.toFixed(0)} ms)`).join(', ')}; waited ${(performance.now() - t0).toFixed(0)} ms`,
        );
        return new Map(msg.outcomes.map((o) => [o.rule, o]));
      },
    };
  }

  /** Ends the thread (it holds no state worth waiting for). */
  close(): void {
    void this.worker.terminate();
  }
}
