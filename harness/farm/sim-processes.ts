// Runs a farm's simulated devices in a few worker threads (sim-worker.ts) so a farm uses every
// core instead of one event loop. Each worker pays a start-up (its own copy of the modules, the
// agent bundle, first-run JIT), so there are no more of them than cores: this thread keeps its
// share of the devices and the workers host the rest (device i → worker i mod P). Threads, not
// child processes: a worker skips Node's own boot and is ready ~0.1 s sooner (measured: import
// of the worker's modules 130–320 ms in a thread vs 200–520 ms in a fork, on the same loaded
// 2 cores), and it dies with this process. The pool keeps an in-thread SimDevice per device
// for liveness checks; a worker's device takes jobs from the start: they wait in the worker's
// queue until it has loaded. The workers start when the runner is made: `overreach farm` makes
// it right after reading the plan (startSimProcesses), so their start-up overlaps this thread's
// own module loading and farm set-up instead of following it (docs/performance.md "Farm").
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createLog } from '../log.ts';
import { type ParsedAppModel, parsedAppModel } from '../simulation/apps/model-load.ts';
import type { FarmJob, FarmPlan } from './plan.ts';
import type { AttemptContext, AttemptResult, FarmDevice, JobRunner } from './pool.ts';
import type { FromWorker, SimWorkerInit, ToWorker } from './sim-worker.ts';

const log = createLog('farm');

export type SimProcessOptions = Omit<SimWorkerInit, 'type'>;

/**
 * The worker: dist/harness/sim-worker.js next to the compiled CLI, else the TypeScript source
 * loaded through tsx's ESM hooks registered in the worker (development, tests).
 */
function newWorker(): Worker {
  const built = join(import.meta.dirname, 'sim-worker.js');
  let worker: Worker;
  if (existsSync(built)) worker = new Worker(built, { stdout: true });
  else {
    // tsx's ESM build of its API (its CommonJS one cannot find its own ESM part from a worker).
    const api = createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs');
    const tsx = pathToFileURL(api).href;
    const source = pathToFileURL(fileURLToPath(new URL('./sim-worker.ts', import.meta.url))).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`;
    worker = new Worker(code, { eval: true, stdout: true });
  }
  // Its stdout is dropped, as a farm's own stdout may be JSON (--json); stderr goes to ours.
  worker.stdout.resume();
  return worker;
}

interface Prestarted {
  worker: Worker;
  t0: number;
  exited: boolean;
  failure: string;
}

const prestarted: Prestarted[] = [];

function started(worker: Worker): Prestarted {
  const p: Prestarted = { worker, t0: performance.now(), exited: false, failure: '' };
  // Listened to from the start: an 'error' nobody listens to would throw in this thread.
  worker.on('error', (err) => {
    p.failure = `: ${err.message}`;
    log.warn(`a simulated device worker failed${p.failure}`);
  });
  worker.once('exit', () => (p.exited = true));
  return p;
}

/**
 * Starts the worker threads a farm of simulated devices can use (one per core but this one),
 * before the command has even read its plan: they load their modules and warm up meanwhile.
 * startSimProcesses takes them; releaseSimWorkers ends those no farm took.
 */
export function prestartSimWorkers(): void {
  const cores = availableParallelism();
  while (prestarted.length < cores - 1) {
    log.debug(`device worker starting at ${performance.now().toFixed(0)} ms`);
    prestarted.push(started(newWorker()));
  }
}

/** Ends the pre-started workers no farm took (real devices in the plan, bad input, one device). */
export async function releaseSimWorkers(): Promise<void> {
  await Promise.all(prestarted.splice(0).map((p) => p.worker.terminate()));
}

interface Busy {
  resolve: (r: AttemptResult) => void;
  reject: (e: Error) => void;
  ctx: AttemptContext;
}

interface Child {
  worker: Worker;
  exited: boolean;
  /** It said 'ready' (loaded and initialised) at least once. */
  started: boolean;
  ready: Promise<void>;
  busy: Map<string, Busy>;
}

/** How many threads (this one included) a farm of `sims` simulated devices uses. */
export function processCount(sims: number): number {
  return Math.max(1, Math.min(sims, availableParallelism()));
}

/** Whether a farm of this plan spreads its simulated devices over worker threads. */
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
 * Starts the device workers of a plan whose devices are all simulated (none otherwise), before
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
      ...(o.agentPath ? { agentPath: o.agentPath } : {}),
    },
    sims,
  );
}

export interface SimProcessRunner {
  /** Whether device `index` of the farm runs in a worker (index 0 never does). */
  remote(index: number): boolean;
  /** Starts the worker of device `index`; resolves when it can take jobs. */
  start(index: number): Promise<void>;
  /**
   * False when device `index`'s worker ended before it was ready (it failed to start): it is
   * not started again, so its devices are lost. A worker that ends later is started anew for
   * its next job.
   */
  alive(index: number): boolean;
  runJob(index: number): JobRunner;
  /**
   * Hands the workers this thread's parse of the jobs' app models (parsing them here now: the
   * first job here would anyway), so a worker does not parse them again, cold, in its first
   * job. A model that fails to parse is left to the jobs, which report it.
   */
  shareModels(paths: Iterable<string>): void;
  close(): Promise<void>;
}

export function simProcessRunner(o: SimProcessOptions, sims: number): SimProcessRunner {
  const slots = processCount(sims);
  const children = new Map<number, Child>();
  const slotOf = (index: number) => index % slots;

  const spawn = (slot: number): Child => {
    const p = prestarted.shift() ?? started(newWorker());
    const { worker, t0 } = p;
    let ready: () => void = () => undefined;
    const c: Child = {
      worker,
      exited: false,
      started: false,
      ready: new Promise<void>((r) => (ready = r)),
      busy: new Map(),
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        c.started = true;
        log.debug(`device worker ${slot} ready in ${(performance.now() - t0).toFixed(0)} ms`);
        ready();
        return;
      }
      const b = c.busy.get(m.serial);
      if (m.type === 'run') b?.ctx.onRun(m.runId);
      else if (m.type === 'result') b?.resolve(m.result);
      else b?.reject(new Error(m.message));
    });
    if (p.exited) {
      // It failed while starting: its devices take no job (the pool's others do them).
      c.exited = true;
      ready();
      return c;
    }
    worker.on('exit', (code) => {
      c.exited = true;
      // One that never got ready stays, exited: starting it again would fail again.
      if (c.started && children.get(slot) === c) children.delete(slot);
      for (const [serial, b] of c.busy)
        b.reject(new Error(`${serial}: simulated device worker exited (code ${code}${p.failure})`));
      ready();
    });
    worker.postMessage({ type: 'init', ...o } satisfies ToWorker);
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
      // Posted at once, not after 'ready': the worker queues it behind its init and starts it the
      // moment it can, instead of when this (busy) thread gets round to answering its 'ready'
      // (measured: 100–160 ms later on 2 loaded cores, docs/performance.md "Farm").
      return new Promise<AttemptResult>((resolve, reject) => {
        if (c.exited) return reject(new Error(`${fd.id}: simulated device worker is not running`));
        const onAbort = () =>
          c.worker.postMessage({
            type: 'abort',
            serial: fd.id,
            reason: String(ctx.signal.reason),
          } satisfies ToWorker);
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
        c.worker.postMessage({ type: 'job', serial: fd.id, job } satisfies ToWorker);
      });
    };

  // Every worker now: each one's start-up runs on another core while this thread goes on.
  for (let slot = 1; slot < slots; slot++) children.set(slot, spawn(slot));

  // Once: the farm starts closing its workers as soon as its jobs are done, and closes again
  // (a no-op then) on its way out.
  let closing: Promise<void> | undefined;
  const closeAll = async () => {
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exited) return resolve();
            const t = setTimeout(() => {
              log.warn('a simulated device worker did not end; terminating it');
              void c.worker.terminate();
            }, 10_000);
            c.worker.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.worker.postMessage({ type: 'close' } satisfies ToWorker);
          }),
      ),
    );
    children.clear();
  };
  const close = () => (closing ??= closeAll());

  const shareModels = (paths: Iterable<string>) => {
    const models: ParsedAppModel[] = [];
    for (const path of new Set(paths)) {
      try {
        models.push(parsedAppModel(path));
      } catch {
        // The job reports it.
      }
    }
    if (models.length === 0) return;
    for (const c of children.values())
      if (!c.exited) c.worker.postMessage({ type: 'models', models } satisfies ToWorker);
  };

  return {
    remote: (index) => slotOf(index) !== 0,
    alive: (index) => {
      const c = children.get(slotOf(index));
      return !(c?.exited && !c.started);
    },
    shareModels,
    start: (index) => childFor(index).ready,
    runJob,
    close,
  };
}
