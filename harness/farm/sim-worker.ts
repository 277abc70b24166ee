// Worker thread hosting some of a farm's simulated devices (sim-processes.ts). The simulated
// app and agent are CPU-bound JavaScript: a few workers let a farm use every core. Each job runs
// through the same scenario job runner as on the farm's own thread, writing through this
// worker's own connection to the farm's database (WAL; each batch is one IMMEDIATE transaction
// and busy_timeout serialises the writers). Jobs of different devices run interleaved here.
// Messages from the farm: init (once), models, job, abort, close. To the farm: ready, run,
// result. The farm starts this worker before it sets up the farm itself; this worker loads
// what every job here needs once (warm-up below) meanwhile, and runs a job as soon as both
// that and the job's message are in.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parentPort, threadId } from 'node:worker_threads';
import { loadAndroidApi } from '../android-api/load.ts';
import { createLog } from '../log.ts';
import { scaledClock } from '../run/clock.ts';
import { adoptAppModel, type ParsedAppModel } from '../simulation/apps/model-load.ts';
import { SimDevice } from '../simulation/device/sim-device.ts';
import { DEFAULT_AGENT } from '../simulation/runtime/sim-runtime.ts';
import { openStore, type Store } from '../store/store.ts';
import { scenarioJobRunner } from './job-runner.ts';
import type { FarmJob } from './plan.ts';
import type { AttemptResult, JobRunner } from './pool.ts';

export interface SimWorkerInit {
  type: 'init';
  db: string;
  outDir: string;
  analyze: boolean;
  html: boolean;
  rawValues: boolean;
  /** 'max' = virtual clock; 1 = real time; else a factor of real time. */
  speed: number | 'max';
  agentPath?: string;
}

export type ToWorker =
  | SimWorkerInit
  | { type: 'models'; models: ParsedAppModel[] }
  | { type: 'job'; serial: string; job: FarmJob }
  | { type: 'abort'; serial: string; reason: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'run'; serial: string; runId: number }
  | { type: 'result'; serial: string; result: AttemptResult }
  | { type: 'error'; serial: string; message: string };

const log = createLog(`farm-worker ${threadId}`);
if (!parentPort) throw new Error('sim-worker runs as a worker thread of a farm (sim-processes.ts)');
const port = parentPort;

function send(m: FromWorker): void {
  port.postMessage(m);
}

let init: SimWorkerInit | undefined;
let runJob: JobRunner | undefined;
let closeStore: (() => void) | undefined;
const devices = new Map<string, SimDevice>();
const aborts = new Map<string, AbortController>();

/**
 * What the first job here would otherwise load while it runs: the Android API index and the
 * agent bundle, compiled into V8's script cache (each simulated app process runs it in its own
 * context). The jobs' app models come parsed from the farm's thread ('models', sent before any
 * job): parsing them here too, cold, cost ~60 ms in this worker's first job. A failure here
 * is left to the job that hits it, which reports it as its failure.
 */
function warmUp(agentPath: string): void {
  try {
    loadAndroidApi();
    new vm.Script(readFileSync(agentPath, 'utf8'), { filename: agentPath });
  } catch {
    // The job reports it.
  }
}

function device(serial: string, o: SimWorkerInit): SimDevice {
  let d = devices.get(serial);
  if (!d) {
    const clock = o.speed === 'max' ? 'virtual' : o.speed === 1 ? undefined : scaledClock(o.speed);
    d = new SimDevice({
      serial,
      ...(clock ? { clock } : {}),
      ...(o.agentPath ? { agentPath: o.agentPath } : {}),
    });
    devices.set(serial, d);
  }
  return d;
}

// Before init arrives (the farm pre-starts this worker before reading its plan): what every
// farm's jobs here need, whatever the plan says.
warmUp(process.env['OVERREACH_SIM_AGENT'] ?? DEFAULT_AGENT);

port.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    init = m;
    // The store opens with the first job: the parent creates the database (a plan found bad
    // before its set-up leaves none behind).
    let store: Store | undefined;
    closeStore = () => store?.close();
    let runner: JobRunner | undefined;
    runJob = (job, fd, ctx) => {
      store ??= openStore(m.db);
      runner ??= scenarioJobRunner({
        store,
        outDir: m.outDir,
        html: m.html,
        rawValues: m.rawValues,
        ...(m.analyze ? {} : { analyze: false }),
      });
      return runner(job, fd, ctx);
    };
    // The same bundle as before init: V8's compilation cache has it.
    warmUp(m.agentPath ?? DEFAULT_AGENT);
    log.debug(`ready at ${performance.now().toFixed(0)} ms`);
    send({ type: 'ready' });
  } else if (m.type === 'models') {
    for (const model of m.models)
      log.debug(`${model.path}: ${adoptAppModel(model) ? 'parse adopted' : 'parsed here first'}`);
  } else if (m.type === 'job') {
    const { serial } = m;
    if (!runJob || !init) return send({ type: 'error', serial, message: 'sim worker: job before init' });
    const dev = device(serial, init);
    const ac = new AbortController();
    aborts.set(serial, ac);
    const at = performance.now();
    runJob(
      m.job,
      { id: serial, device: dev },
      { signal: ac.signal, onRun: (runId) => send({ type: 'run', serial, runId }) },
    )
      .then(
        (result) => send({ type: 'result', serial, result }),
        (err: unknown) =>
          send({ type: 'error', serial, message: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => {
        aborts.delete(serial);
        log.debug(
          `job ${m.job.id} on ${serial}: started at ${at.toFixed(0)} ms, ${(performance.now() - at).toFixed(0)} ms`,
        );
      });
  } else if (m.type === 'abort') aborts.get(m.serial)?.abort(m.reason);
  else if (m.type === 'close') {
    closeStore?.();
    // process.exit in a worker ends this thread only (the farm waits for its exit).
    void Promise.allSettled([...devices.values()].map((d) => d.close())).finally(() => process.exit(0));
  }
});
