// `overreach farm plan.yaml`: opens the plan's devices, runs apps × scenarios through the worker
// pool into ONE database, then writes the farm report (text, JSON) and JUnit (one suite per app).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { settingsFromFlags } from '../analysis/run-settings.ts';
import { DeviceError, InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import { loadScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import type { SimClock } from '../simulation/device/clock.ts';
import { SimDevice } from '../simulation/device/sim-device.ts';
import { openStore, type Store } from '../store/store.ts';
import { scenarioJobRunner, withApp } from './job-runner.ts';
import { type FarmJob, type FarmPlan, type PlanDevice, planJobs } from './plan.ts';
import { type FarmDevice, type FarmEvent, type JobOutcome, type JobRunner, runPool } from './pool.ts';
import {
  buildReport,
  type FarmReport,
  farmExitCode,
  jobModels,
  reportJunit,
  reportSarif,
  reportText,
} from './report.ts';
import { type SimProcessRunner, startSimProcesses, usesSimProcesses } from './sim-processes.ts';

const log = createLog('farm');

export interface OpenDevicesOptions {
  /** Simulated devices' clock: 'virtual' (as fast as possible), a factory, or real time. */
  simClock?: 'virtual' | (() => SimClock);
  simAgentPath?: string;
}

/** Opens every device the plan names (sim copies, adb serials, all attached, Appium pool). */
export async function openPlanDevices(
  devices: readonly PlanDevice[],
  o: OpenDevicesOptions = {},
): Promise<FarmDevice[]> {
  const out: FarmDevice[] = [];
  const seen = new Set<string>();
  const add = (fd: FarmDevice) => {
    if (seen.has(fd.id)) throw new InputError(`farm plan: device ${fd.id} is listed twice`);
    seen.add(fd.id);
    out.push(fd);
  };
  let sims = 0;
  for (const d of devices) {
    if (d.kind === 'sim') {
      for (let i = 0; i < d.count; i++) {
        const serial = `sim-${++sims}`;
        const clock =
          o.simClock === undefined ? undefined : o.simClock === 'virtual' ? 'virtual' : o.simClock();
        const device = new SimDevice({
          serial,
          ...(clock ? { clock } : {}),
          ...(o.simAgentPath ? { agentPath: o.simAgentPath } : {}),
        });
        add({ id: serial, device });
      }
      continue;
    }
    const { AndroidDevice } = await import('../device/android/android-device.ts');
    if (d.kind === 'serial') add({ id: d.serial, device: await AndroidDevice.open(d.serial) });
    else if (d.kind === 'all') {
      const { createAdbExec, listAdbDevices } = await import('../device/android/adb.ts');
      const ready = (await listAdbDevices(createAdbExec())).filter((e) => e.state === 'device');
      if (ready.length === 0) throw new DeviceError('farm plan: devices: all, but adb lists no ready device');
      for (const e of ready)
        if (!seen.has(e.serial)) add({ id: e.serial, device: await AndroidDevice.open(e.serial) });
    } else {
      // Each pool entry is one remote device; its udid picks the adb device behind the server.
      for (const caps of d.pool) {
        const udid = caps['appium:udid'] ?? caps['udid'];
        if (typeof udid !== 'string')
          throw new InputError(
            `farm plan: appium pool entry needs appium:udid (got ${JSON.stringify(caps)})`,
          );
        add({ id: udid, device: await AndroidDevice.open(udid, { appiumUrl: d.url }) });
      }
    }
  }
  return out;
}

export interface FarmOptions extends OpenDevicesOptions {
  plan: FarmPlan;
  /** Already opened devices (tests, the bench); default: open the plan's. */
  devices?: FarmDevice[];
  /** Another job runner (default: the scenario runner with analysis). */
  runJob?: (store: Store) => JobRunner;
  signal?: AbortSignal;
  onEvent?: (e: FarmEvent) => void;
  graceMs?: number;
  analyze?: boolean;
  /** Per-run HTML reports in each attempt's folder. */
  html?: boolean;
  /**
   * Simulated devices' clock speed in their worker threads ('max' = virtual, 1 = real time).
   * When the plan's devices are all simulated (more than one, opened here), they are spread over
   * up to one thread per core (sim-processes.ts) so the farm uses every core; false or absent
   * keeps them all on this thread.
   */
  simProcesses?: false | { speed: number | 'max' };
  /**
   * Device workers already started for this plan (startSimProcesses, before the farm's own
   * set-up); runFarm uses them instead of starting its own, and closes them.
   */
  processes?: SimProcessRunner;
}

export interface FarmResult {
  outcomes: JobOutcome[];
  report: FarmReport;
  exitCode: number;
  files: { text: string; json: string; junit: string; sarif: string };
  wallMs: number;
}

/**
 * Every job's scenario and analysis files (the app's pack / rules / profile, else the scenario's
 * profile) are read before anything runs: a bad one is bad input (exit 2), not N failed jobs.
 */
async function checkJobInputs(plan: FarmPlan, jobs: readonly FarmJob[]): Promise<Set<string>> {
  const scenarios = new Map<string, Scenario>();
  const models = new Set<string>();
  for (const job of jobs) {
    let scenario = scenarios.get(job.scenario);
    if (!scenario) {
      scenario = await loadScenario(job.scenario);
      scenarios.set(job.scenario, scenario);
    }
    const app = job.app;
    settingsFromFlags(
      {
        ...(app?.pack ? { pack: app.pack } : {}),
        ...(app?.rules ? { rules: app.rules } : {}),
        ...(app?.profile ? { profile: app.profile } : {}),
      },
      dirname(plan.file),
      withApp(scenario, app).app.profile,
    );
    const model = withApp(scenario, app).app.model;
    if (model) models.add(model);
  }
  return models;
}

export async function runFarm(o: FarmOptions): Promise<FarmResult> {
  try {
    return await farm(o);
  } finally {
    // Started by the caller: closed here whether or not the farm got to use them.
    await o.processes?.close();
  }
}

async function farm(o: FarmOptions): Promise<FarmResult> {
  const { plan } = o;
  const jobs = planJobs(plan);
  const modelFiles = await checkJobInputs(plan, jobs);
  const devices = o.devices ?? (await openPlanDevices(plan.devices, o));
  if (devices.length === 0) throw new InputError(`${plan.file}: the plan opens no device`);
  mkdirSync(plan.out, { recursive: true });
  const store = openStore(plan.db);
  const t0 = performance.now();
  const simCount = plan.devices.reduce((n, d) => n + (d.kind === 'sim' ? d.count : 0), 0);
  const inProcesses =
    (o.processes !== undefined || (o.simProcesses !== false && o.simProcesses !== undefined)) &&
    !o.devices &&
    !o.runJob &&
    usesSimProcesses(plan);
  let processes: SimProcessRunner | undefined;
  try {
    if (inProcesses) {
      processes =
        o.processes ??
        startSimProcesses(plan, {
          speed: o.simProcesses ? o.simProcesses.speed : 'max',
          analyze: o.analyze !== false,
          html: o.html === true,
          ...(o.simAgentPath ? { agentPath: o.simAgentPath } : {}),
        });
    }
    if (processes) {
      // Every device takes a job at once: a worker's device's job waits in its worker's queue
      // and starts as soon as the worker has loaded (sim-processes.ts).
      const spawned = processes;
      const remote = devices.filter((_, i) => spawned.remote(i)).length;
      // Before any job: a worker gets them ahead of its first job, which then finds them parsed.
      // This thread parses them now instead of in its own first job; a worker is still loading
      // its modules at this point (its first job could not start sooner anyway).
      spawned.shareModels(modelFiles);
      log.info(`${remote} of ${simCount} simulated devices in worker threads`);
    }
    const local =
      o.runJob?.(store) ??
      scenarioJobRunner({
        store,
        outDir: plan.out,
        html: o.html === true,
        ...(o.analyze === false ? { analyze: false } : {}),
      });
    const byId = new Map(devices.map((d, i) => [d.id, i]));
    const proc = processes;
    const runJob: JobRunner = proc
      ? (job, fd, ctx) => {
          const i = byId.get(fd.id) ?? 0;
          return proc.remote(i) ? proc.runJob(i)(job, fd, ctx) : local(job, fd, ctx);
        }
      : local;
    log.info(`${jobs.length} jobs on ${devices.length} devices`);
    // A worker's device is judged by its worker: the in-thread stand-in always answers.
    const pooled = proc
      ? devices.map((d, i) => (proc.remote(i) ? { ...d, alive: async () => proc.alive(i) } : d))
      : devices;
    const outcomes = await runPool({
      jobs,
      devices: pooled,
      runJob,
      retries: plan.retries,
      jobTimeoutMs: plan.jobTimeoutMs,
      closeRun: (runId, reason) => {
        const run = store.getRun(runId);
        // A lost or timed-out attempt keeps its events; the run is closed as failed with the cause.
        if (run && run.status !== 'completed') store.endRun(runId, 'failed', reason);
      },
      ...(o.graceMs !== undefined ? { graceMs: o.graceMs } : {}),
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const wallMs = performance.now() - t0;
    // The device workers wind down (close their connections, end their isolates) while this
    // thread writes the reports; `finally` waits for them.
    const closing = processes?.close();
    const report = buildReport(store.db, outcomes);
    const files = {
      text: join(plan.out, 'farm-report.txt'),
      json: join(plan.out, 'farm-report.json'),
      junit: join(plan.out, 'junit.xml'),
      sarif: join(plan.out, 'overreach.sarif'),
    };
    const models = jobModels(store.db, report);
    writeFileSync(files.text, reportText(report));
    writeFileSync(files.json, `${JSON.stringify({ plan: plan.file, db: plan.db, ...report }, null, 2)}\n`);
    writeFileSync(files.junit, reportJunit(report, plan.failOn, models));
    writeFileSync(files.sarif, reportSarif(report, models));
    await closing;
    return { outcomes, report, exitCode: farmExitCode(report, plan.failOn), files, wallMs };
  } finally {
    if (processes !== o.processes) await processes?.close();
    store.close();
    if (!o.devices) await Promise.all(devices.map((d) => d.device.close().catch(() => undefined)));
  }
}
