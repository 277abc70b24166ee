// What `overreach run` and `overreach demo` share: pick and open the device, open the store,
// run with Ctrl-C handling, analyse and report when available, print the summary.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type SettingFlags, settingsFromFlags } from '../analysis/run-settings.ts';
import type { CliDeps } from '../cli/deps.ts';
import type { Device, JsRuntime } from '../device/types.ts';
import { OverreachError, ThresholdError } from '../errors.ts';
import type { Scenario } from '../scenario/types.ts';
import { SimDevice } from '../simulation/device/sim-device.ts';
import { openStore } from '../store/store.ts';
import { scaledClock } from './clock.ts';

// Its home is clock.ts (the farm command reads it without loading the run modules).
export { parseSpeed } from './clock.ts';

import { liveStatus } from './live-status.ts';
import { analysisStep, writeHtmlReport } from './post-run.ts';
import { type RunResult, runScenario } from './run-scenario.ts';
import { summaryText } from './summary.ts';

/** A failed `expect` assertion: exit code 3 (CI fails the build on it). */
export class ExpectationError extends ThresholdError {
  override readonly name = 'ExpectationError';
}

/** The run ended failed (exit 1) or interrupted (exit 130, as for SIGINT). */
export class RunFailedError extends OverreachError {
  override readonly name = 'RunFailedError';
  override readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface ExecuteOptions {
  scenario: Scenario;
  scenarioFile: string;
  /** 'sim', a serial, or undefined (sim when the scenario has an app model, else the one attached device). */
  device?: string;
  db: string;
  outDir: string;
  rawValues: boolean;
  /** The engine the agent asks Frida for on a real device (default QuickJS). */
  jsRuntime?: JsRuntime;
  /** Plant honey values (agent/leaks/honey.ts). */
  honey?: boolean;
  appiumUrl?: string;
  /** Analysis context flags (profile, pack, rules, apk), relative to the working directory. */
  analysis?: SettingFlags;
  /** The scenario file, absolute (step and expectation lines are recorded from it). */
  scenarioPath?: string;
  /** Sim clock speed: a factor of real time, or 'max' for a virtual clock. */
  speed: number | 'max';
  report: boolean;
  /** Language of report.html (default en). */
  lang?: 'en' | 'zh';
}

export interface ExecuteOutcome {
  result: RunResult;
  dbPath: string;
  reportPath: string | undefined;
}

async function openDevice(o: ExecuteOptions, env: NodeJS.ProcessEnv): Promise<Device> {
  const choice = o.device ?? o.scenario.device?.serial ?? (o.scenario.app.model ? 'sim' : undefined);
  if (choice === 'sim') {
    const clock = o.speed === 'max' ? 'virtual' : o.speed === 1 ? undefined : scaledClock(o.speed);
    // OVERREACH_SIM_AGENT: another simulator agent bundle (tests use a freshly built one).
    const agentPath = env['OVERREACH_SIM_AGENT'];
    return new SimDevice({ ...(clock === undefined ? {} : { clock }), ...(agentPath ? { agentPath } : {}) });
  }
  const { AndroidDevice } = await import('../device/android/android-device.ts');
  return AndroidDevice.open(choice, o.appiumUrl ? { appiumUrl: o.appiumUrl } : {});
}

export async function executeRun(o: ExecuteOptions, deps: CliDeps): Promise<ExecuteOutcome> {
  const dbPath = o.db === ':memory:' ? o.db : resolve(deps.cwd, o.db);
  mkdirSync(o.outDir, { recursive: true });
  // Read and checked before anything runs; stored with the run for every later command.
  const settings = settingsFromFlags(o.analysis ?? {}, deps.cwd, o.scenario.app.profile);
  const device = await openDevice(o, deps.env);
  const store = openStore(dbPath);
  const ac = new AbortController();
  const onSigint = () => {
    deps.stderr('\ninterrupted: finishing the run (Ctrl-C again to force)\n');
    ac.abort('SIGINT');
  };
  process.once('SIGINT', onSigint);
  let live: ReturnType<typeof liveStatus> | undefined;
  try {
    const analyze = analysisStep('run');
    const countEvents = store.db.prepare<[number], number>(
      `SELECT count(*) FROM events WHERE run_id =
         (SELECT id FROM runs WHERE owner_pid = ? AND status = 'running' ORDER BY id DESC LIMIT 1)`,
    );
    live = liveStatus(
      (t) => deps.stdout(t),
      deps.isTty,
      () => countEvents.pluck().get(process.pid) ?? 0,
    );
    const result = await runScenario({
      scenario: o.scenario,
      device,
      store,
      outDir: o.outDir,
      signal: ac.signal,
      rawValues: o.rawValues,
      ...(o.jsRuntime ? { jsRuntime: o.jsRuntime } : {}),
      ...(o.honey ? { honey: true } : {}),
      log: (line) => live?.line(line),
      onProgress: (p) => live?.onProgress(p),
      config: { scenarioFile: o.scenarioFile, speed: o.speed, outDir: o.outDir, analysis: settings },
      ...(o.scenarioPath ? { scenarioPath: o.scenarioPath } : {}),
      analyze,
    });
    live.stop();
    deps.stdout(summaryText(store, result, dbPath));
    const reportPath =
      o.report && result.status !== 'interrupted'
        ? await writeHtmlReport(store, result.runId, o.outDir, {
            raw: o.rawValues,
            ...(o.lang ? { lang: o.lang } : {}),
          })
        : undefined;
    if (reportPath) deps.stdout(`report: ${reportPath}\n`);
    return { result, dbPath, reportPath };
  } finally {
    live?.stop();
    process.off('SIGINT', onSigint);
    store.close();
    await device.close().catch(() => undefined);
  }
}

/** `overreach run --json`: what a machine needs from a run (findings are in the database). */
export function runJson(
  result: RunResult,
  dbPath: string,
  reportPath: string | undefined,
): Record<string, unknown> {
  return {
    run: result.runId,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    steps: result.steps,
    expectations: result.expectations.map((e) => ({ label: e.label, outcome: e.outcome, detail: e.detail })),
    malformedMessages: result.malformedMessages,
    events: result.stats.events,
    database: dbPath,
    ...(reportPath ? { report: reportPath } : {}),
  };
}

/** Turns the run's end into the command's exit code (thrown after everything is printed). */
export function checkOutcome(result: RunResult): void {
  if (result.status === 'interrupted') throw new RunFailedError(`run ${result.runId} interrupted`, 130);
  if (result.status === 'failed') throw new RunFailedError(`run ${result.runId} failed: ${result.reason}`, 1);
  const failed = result.expectations.filter((e) => e.outcome === 'failed');
  if (failed.length > 0)
    throw new ExpectationError(
      `run ${result.runId}: ${failed.length} expectation${failed.length === 1 ? '' : 's'} failed: ${failed.map((e) => e.label.replace(/^expect: /, '')).join('; ')}`,
    );
}
