// Child process hosting some of a farm's simulated devices (sim-processes.ts). The simulated
// app and agent are CPU-bound JavaScript: a few processes let a farm use every core. Each job
// runs through the same scenario job runner as in-process, writing through this process's own
// connection to the farm's database (WAL; each batch is one IMMEDIATE transaction and
// busy_timeout serialises the writers). Jobs of different devices run interleaved here.
// Messages from the parent: init (once), job, abort, close. To the parent: ready, run, result.
import { scaledClock } from '../run/clock.ts';
import { SimDevice } from '../simulation/device/sim-device.ts';
import { openStore } from '../store/store.ts';
import { scenarioJobRunner } from './job-runner.ts';
import type { FarmJob } from './plan.ts';
import type { AttemptResult } from './pool.ts';

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
  | { type: 'job'; serial: string; job: FarmJob }
  | { type: 'abort'; serial: string; reason: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'run'; serial: string; runId: number }
  | { type: 'result'; serial: string; result: AttemptResult }
  | { type: 'error'; serial: string; message: string };

function send(m: FromWorker): void {
  process.send?.(m);
}

let init: SimWorkerInit | undefined;
let runJob: ReturnType<typeof scenarioJobRunner> | undefined;
let closeStore: (() => void) | undefined;
const devices = new Map<string, SimDevice>();
const aborts = new Map<string, AbortController>();

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

// The terminal's Ctrl-C reaches the whole process group: the parent decides (it sends abort).
process.on('SIGINT', () => undefined);

process.on('message', (m: ToWorker) => {
  if (m.type === 'init') {
    init = m;
    const store = openStore(m.db);
    closeStore = () => store.close();
    runJob = scenarioJobRunner({
      store,
      outDir: m.outDir,
      html: m.html,
      rawValues: m.rawValues,
      ...(m.analyze ? {} : { analyze: false }),
    });
    send({ type: 'ready' });
  } else if (m.type === 'job') {
    const { serial } = m;
    if (!runJob || !init) return send({ type: 'error', serial, message: 'sim worker: job before init' });
    const dev = device(serial, init);
    const ac = new AbortController();
    aborts.set(serial, ac);
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
      .finally(() => aborts.delete(serial));
  } else if (m.type === 'abort') aborts.get(m.serial)?.abort(m.reason);
  else if (m.type === 'close') {
    closeStore?.();
    void Promise.allSettled([...devices.values()].map((d) => d.close())).finally(() =>
      process.disconnect?.(),
    );
  }
});
