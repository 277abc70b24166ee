// Runs a farm's simulated devices in a few child processes (sim-worker.ts) so a farm uses
// every core instead of one event loop. Each process pays a start-up (modules, the agent
// bundle, first-run JIT), so there are no more processes than cores: this process keeps its
// share of the devices and the children host the rest (device i → process i mod P). The pool
// keeps an in-process SimDevice per device for liveness checks; a child's device takes jobs
// only once its process is ready, the others go on meanwhile. The children start when the
// runner is made: `overreach farm` makes it right after reading the plan (startSimProcesses),
// so a child's start-up (~0.25 s of module loading, then its warm-up) overlaps this process's
// own start-up and farm set-up instead of following it (docs/performance.md "Farm").
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLog } from '../log.ts';
import type { FarmJob, FarmPlan } from './plan.ts';
import type { AttemptContext, AttemptResult, FarmDevice, JobRunner } from './pool.ts';
import type { FromWorker, SimWorkerInit, ToWorker } from './sim-worker.ts';

const log = createLog('farm');

export type SimProcessOptions = Omit<SimWorkerInit, 'type'>;

/**
 * The worker's entry: dist/harness/sim-worker.js next to the compiled CLI, else the TypeScript
 * source run through tsx (development, tests).
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const built = join(import.meta.dirname, 'sim-worker.js');
  if (existsSync(built)) return { file: built, execArgv: [] };
  return {
    file: fileURLToPath(new URL('./sim-worker.ts', import.meta.url)),
    execArgv: ['--import', createRequire(import.meta.url).resolve('tsx')],
  };
}

interface Busy {
  resolve: (r: AttemptResult) => void;
  reject: (e: Error) => void;
  ctx: AttemptContext;
}

interface Child {
  proc: ChildProcess;
  ready: Promise<void>;
  busy: Map<string, Busy>;
}

/** How many processes (this one included) a farm of `sims` simulated devices uses. */
export function processCount(sims: number): number {
  return Math.max(1, Math.min(sims, availableParallelism()));
}

/** Whether a farm of this plan spreads its simulated devices over processes. */
export function usesSimProcesses(plan: FarmPlan): boolean {
  const sims = plan.devices.reduce((n, d) => n + (d.kind === 'sim' ? d.count : 0), 0);
  return sims > 1 && processCount(sims) > 1 && plan.devices.every((d) => d.kind === 'sim');
}

export interface StartSimProcessesOptions {
  speed: number | 'max';
  analyze: boolean;
  html: boolean;
  agentPath?: string;
}

/**
 * Starts the device processes of a plan whose devices are all simulated (none otherwise), before
 * anything else of the farm is loaded or set up; pass the runner to runFarm (which closes it).
 */
export function startSimProcesses(plan: FarmPlan, o: StartSimProcessesOptions): SimProcessRunner | undefined {
  if (!usesSimProcesses(plan)) return undefined;
  const sims = plan.devices.reduce((n, d) => n + (d.kind === 'sim' ? d.count : 0), 0);
  return simProcessRunner(
    {
      db: plan.db,
      outDir: plan.out,
      analyze: o.analyze,
      html: o.html,
      rawValues: false,
      speed: o.speed,
      scenarios: [...new Set(plan.scenarios)],
      models: plan.apps.filter((a) => a.kind === 'model').map((a) => a.ref),
      ...(o.agentPath ? { agentPath: o.agentPath } : {}),
    },
    sims,
  );
}

export interface SimProcessRunner {
  /** Whether device `index` of the farm runs in a child process (index 0 never does). */
  remote(index: number): boolean;
  /** Starts the process of device `index`; resolves when it can take jobs. */
  start(index: number): Promise<void>;
  runJob(index: number): JobRunner;
  close(): Promise<void>;
}

export function simProcessRunner(o: SimProcessOptions, sims: number): SimProcessRunner {
  const slots = processCount(sims);
  const children = new Map<number, Child>();
  const entry = workerEntry();
  const slotOf = (index: number) => index % slots;

  const spawn = (slot: number): Child => {
    const t0 = performance.now();
    log.debug(`device process ${slot} starting at ${t0.toFixed(0)} ms`);
    const proc = fork(entry.file, [], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let ready: () => void = () => undefined;
    const c: Child = { proc, ready: new Promise<void>((r) => (ready = r)), busy: new Map() };
    proc.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        log.debug(`device process ${slot} ready in ${(performance.now() - t0).toFixed(0)} ms`);
        ready();
        return;
      }
      const b = c.busy.get(m.serial);
      if (m.type === 'run') b?.ctx.onRun(m.runId);
      else if (m.type === 'result') b?.resolve(m.result);
      else b?.reject(new Error(m.message));
    });
    proc.on('exit', (code, signal) => {
      if (children.get(slot) === c) children.delete(slot);
      for (const [serial, b] of c.busy)
        b.reject(new Error(`${serial}: simulated device process exited (${signal ?? `code ${code}`})`));
      ready();
    });
    proc.send({ type: 'init', ...o } satisfies ToWorker);
    return c;
  };

  const childFor = (index: number): Child => {
    const slot = slotOf(index);
    let c = children.get(slot);
    if (!c) {
      c = spawn(slot);
      children.set(slot, c);
    }
    return c;
  };

  const runJob =
    (index: number): JobRunner =>
    async (job: FarmJob, fd: FarmDevice, ctx: AttemptContext) => {
      const c = childFor(index);
      await c.ready;
      return new Promise<AttemptResult>((resolve, reject) => {
        if (c.proc.exitCode !== null || c.proc.signalCode !== null)
          return reject(new Error(`${fd.id}: simulated device process is not running`));
        const onAbort = () =>
          c.proc.send({ type: 'abort', serial: fd.id, reason: String(ctx.signal.reason) } satisfies ToWorker);
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        const done = () => {
          ctx.signal.removeEventListener('abort', onAbort);
          c.busy.delete(fd.id);
        };
        c.busy.set(fd.id, {
          resolve: (r) => {
            done();
            resolve(r);
          },
          reject: (e) => {
            done();
            reject(e);
          },
          ctx,
        });
        c.proc.send({ type: 'job', serial: fd.id, job } satisfies ToWorker);
      });
    };

  // Every child now: each one's start-up runs on another core while this process goes on.
  for (let slot = 1; slot < slots; slot++) children.set(slot, spawn(slot));

  const close = async () => {
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              log.warn('a simulated device process did not exit; killing it');
              c.proc.kill('SIGKILL');
            }, 10_000);
            c.proc.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.proc.send({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
    children.clear();
  };

  return {
    remote: (index) => slotOf(index) !== 0,
    start: (index) => childFor(index).ready,
    runJob,
    close,
  };
}
