// The scenario runner: install → app record → run → AppOps before → crash watch → steps (each
// recorded with its phase, times, outcome and cause) → flush → AppOps after → detach → expect
// → end the run as completed, failed (with the cause) or interrupted. Events stream into the
// store as they arrive; nothing of the run is held in memory beyond its steps.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordBundledCalls } from '../analysis/bundled-vs-ran.ts';
import { storeAttributor } from '../analysis/sdk-attribution.ts';
import { apkAppInfo, readApk } from '../apk/read-apk.ts';
import { type CrashWatch, DEFAULT_JS_RUNTIME, type Device, type JsRuntime } from '../device/types.ts';
import { DeviceError, EnvironmentError, errorMessage, InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import { scenarioLines } from '../scenario/source-lines.ts';
import type { Scenario, Step } from '../scenario/types.ts';
import { loadAppModel } from '../simulation/apps/model-load.ts';
import type { AppInfo, RunStatus, Store } from '../store/store.ts';
import type { WriterStats } from '../store/trace-writer.ts';
import { TOOL_VERSION } from '../version.ts';
import { deviceRunClock, simRunClock } from './clock.ts';
import { deviceCaps } from './device-caps.ts';
import { writeAppOps, writeCrash } from './device-records.ts';
import { RunContext, type RunProgress } from './run-context.ts';
import { hashSaltFor, saltId } from './salt.ts';
import { type ExpectResult, evaluateExpectation } from './steps/expect.ts';
import { executeStep, stepLabel } from './steps/index.ts';

const log = createLog('run');
const AGENT_BUNDLE = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'agent.js');
/** Steps that need no running app: an implicit launch comes after them. */
const NO_APP_STEPS: readonly Step['kind'][] = ['install', 'grant', 'revoke', 'set-location'];
const LAUNCH_STEPS: readonly Step['kind'][] = ['launch', 'relaunch'];

export type { RunProgress } from './run-context.ts';

export interface RunOptions {
  scenario: Scenario;
  device: Device;
  store: Store;
  /** Screenshots and other artefacts. */
  outDir: string;
  /** Aborting it (Ctrl-C) ends the run as `interrupted`, keeping what was captured. */
  signal?: AbortSignal;
  /** Record raw personal values instead of salted hashes only. */
  rawValues?: boolean;
  /** The engine the agent asks Frida for on a real device (default QuickJS). */
  jsRuntime?: JsRuntime;
  /** The agent returns planted honey values from identifier/location hooks (runs.config.honey). */
  honey?: boolean;
  /** Progress lines (the CLI prints them). */
  log?: (line: string) => void;
  onProgress?: (p: RunProgress) => void;
  /** Agent bundle source for real devices (default: dist/agent.js); the simulator loads its own. */
  agentSource?: string;
  /** Extra facts recorded in runs.config (scenario file, speed, analysis settings …). */
  config?: Record<string, unknown>;
  /** The scenario file (absolute), to record where each step and expectation is written. */
  scenarioPath?: string;
  /** Analysis to run before `expect` (no-finding needs findings); failures are logged. */
  analyze?: (store: Store, runId: number) => Promise<void> | void;
}

export interface StepRecord {
  index: number;
  kind: string;
  label: string;
  phase: string;
  outcome: 'ok' | 'failed' | 'skipped';
  detail?: string;
}

export interface RunResult {
  runId: number;
  status: Exclude<RunStatus, 'running'>;
  reason?: string;
  steps: StepRecord[];
  expectations: ExpectResult[];
  /** Agent messages that failed validation (logged and skipped). */
  malformedMessages: number;
  stats: Readonly<WriterStats>;
}

function appInfo(scenario: Scenario, sim: boolean): AppInfo {
  const pkg = scenario.app.package;
  if (!sim && scenario.app.apk) {
    return apkAppInfo(readApk(scenario.app.apk));
  }
  if (sim && scenario.app.model) {
    const m = loadAppModel(scenario.app.model);
    return {
      package: m.packageName,
      label: m.label,
      versionName: m.versionName,
      permissions: m.permissions.map((name) => ({ name })),
      components: m.receivers.map((r) => ({ kind: 'receiver', name: r.name, actions: r.actions })),
    };
  }
  return { package: pkg };
}

function agentSourceFor(sim: boolean, given: string | undefined): string {
  if (given !== undefined || sim) return given ?? '';
  if (!existsSync(AGENT_BUNDLE))
    throw new EnvironmentError(`${AGENT_BUNDLE}: agent bundle missing (run npm run build:agent)`);
  return readFileSync(AGENT_BUNDLE, 'utf8');
}

export async function runScenario(o: RunOptions): Promise<RunResult> {
  const { scenario, device, store } = o;
  const caps = deviceCaps(device);
  const sim = caps.simClock !== undefined;
  const clock = caps.simClock ? simRunClock(caps.simClock) : deviceRunClock();
  const say = o.log ?? ((line: string) => log.info(line));
  const pkg = scenario.app.package;
  const installable = sim ? scenario.app.model : scenario.app.apk;
  if (sim && !scenario.app.model)
    throw new InputError(`scenario "${scenario.name}": app.model is required to run on the simulated device`);

  const install = async (apk?: string): Promise<string> => {
    // The simulator installs app models: an install step may name one (a .yaml) in place of an APK.
    const path = sim ? (apk && /\.ya?ml$/i.test(apk) ? apk : scenario.app.model) : (apk ?? scenario.app.apk);
    if (!path) throw new InputError(`scenario "${scenario.name}": install needs app.apk or an apk`);
    const got = await device.install(path);
    if (got !== pkg) log.warn(`installed package ${got}, scenario names ${pkg}`);
    return got;
  };
  const hasInstallStep = scenario.steps.some((s) => s.kind === 'install');
  if (!(await device.isInstalled(pkg)) && !hasInstallStep) {
    if (!installable)
      throw new DeviceError(
        `${device.serial}: ${pkg} is not installed and the scenario gives no ${sim ? 'app.model' : 'app.apk'}`,
      );
    say(`installing ${pkg}`);
    await install();
  }
  const desc = await device.describe();
  const info = appInfo(scenario, sim);
  const appId = store.upsertApp(info);
  const agentSource = agentSourceFor(sim, o.agentSource);
  const rawValues = o.rawValues ?? false;
  // An ARM-only app on an x86_64 image: its native code is invisible to the native hooks.
  let nativeNote: string | undefined;
  await (async () => {
    if (await device.isInstalled(pkg)) nativeNote = await caps.nativeCoverage?.(pkg);
  })().catch((err: unknown) => log.warn(`native coverage check: ${errorMessage(err)}`));
  if (nativeNote) say(`native coverage degraded: ${nativeNote}`);
  const hashSalt = hashSaltFor(store.path);
  // No launch/relaunch step: spawn the app before the first step that needs it running.
  const implicitLaunchAt = scenario.steps.some((s) => s.kind === 'launch' || s.kind === 'relaunch')
    ? -1
    : scenario.steps.findIndex((s) => !NO_APP_STEPS.includes(s.kind));
  const lines = o.scenarioPath ? scenarioLines(o.scenarioPath) : undefined;
  // Run step index (1-based, counting an implicit launch) → scenario line.
  const stepLines: Record<number, number | null> = {};
  scenario.steps.forEach((_, i) => {
    stepLines[i + 1 + (implicitLaunchAt >= 0 && i >= implicitLaunchAt ? 1 : 0)] = lines?.steps[i] ?? null;
  });
  const runId = store.createRun({
    package: pkg,
    device: desc.serial,
    scenario: scenario.name,
    toolVersion: TOOL_VERSION,
    appId,
    startedAt: clock.now(),
    config: {
      ...o.config,
      // SDKs are attributed as events are written, for this package (run-analysis.ts reads it).
      analysis: { ...(o.config?.['analysis'] as object | undefined), sdkPackage: pkg },
      rawValues,
      honey: o.honey === true,
      jsRuntime: o.jsRuntime ?? DEFAULT_JS_RUNTIME,
      // Which salt hashed this run's values (merge refuses to mix salts).
      saltId: saltId(hashSalt),
      device: desc,
      phases: scenario.phases,
      steps: scenario.steps.length,
      // Kept so `analyze` judges the same expectations later (harness/analysis/expectations.ts).
      expect: scenario.expect,
      sources: { stepLines, expectLines: lines?.expect ?? [] },
      ...(nativeNote ? { coverage: { native: `degraded: ${nativeNote}` } } : {}),
    },
  });
  // The one attribution algorithm (analysis/sdk-attribution.ts); the package is recorded so
  // `analyze` reads the stored result instead of attributing again.
  const writer = store.traceWriter(runId, { attributeSdk: storeAttributor(pkg) });
  const ctx = new RunContext({
    scenario,
    device,
    caps,
    clock,
    store,
    runId,
    writer,
    outDir: o.outDir,
    signal: o.signal,
    appLabel: caps.label?.(pkg) ?? info.label ?? undefined,
    agentSource,
    hashSalt,
    rawValues,
    jsRuntime: o.jsRuntime ?? DEFAULT_JS_RUNTIME,
    honey: o.honey === true,
    install,
    onProgress: (p) => o.onProgress?.(p),
    note: say,
    // The simulator loads the agent in-process: its hello is there at once or never.
    ...(sim ? { helloTimeoutMs: 2000 } : {}),
  });
  say(`run ${runId}: ${scenario.name} on ${desc.serial} (${desc.model}, API ${desc.apiLevel})`);
  // Commit at least once a second, not only between steps: a harness killed during a long
  // explore or wait loses at most the last second of events.
  const flushTimer = setInterval(() => {
    try {
      writer.flush();
    } catch (err) {
      ctx.fatal ??= err as Error;
    }
  }, 1000);
  flushTimer.unref();

  const steps: StepRecord[] = [];
  let stopCause: string | undefined;
  let watch: CrashWatch | undefined;
  const guard = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      log.warn(`${what}: ${errorMessage(err)}`);
    }
  };

  await guard('AppOps before', async () => {
    if (await device.isInstalled(pkg)) writeAppOps(store, runId, 'before', await device.appOps(pkg));
  });
  await guard('crash watch', async () => {
    watch = await device.watchCrashes((e) => {
      if (e.process !== pkg && !e.process.startsWith(`${pkg}:`)) return;
      writeCrash(store, runId, e);
      ctx.noteCrash(`app ${e.kind} in ${e.process}: ${e.detail.split('\n')[0]}`);
    });
  });

  const runStep = async (
    index: number,
    kind: string,
    label: string,
    body: () => Promise<string | undefined>,
  ) => {
    ctx.pendingFailure = undefined;
    const phase = ctx.phase;
    const end = ctx.beginStep(kind, label);
    o.onProgress?.({ type: 'step-start', index, kind, label, nested: false });
    let outcome: 'ok' | 'failed' = 'ok';
    let detail: string | undefined;
    try {
      detail = await body();
    } catch (err) {
      outcome = 'failed';
      detail = errorMessage(err);
    }
    const interrupted = o.signal?.aborted === true;
    const cause = ctx.lost ?? (interrupted ? `interrupted (${abortReason(o.signal)})` : ctx.pendingFailure);
    if (interrupted && ctx.lost === undefined) {
      // Cut short by Ctrl-C: a waiting step gives up early and then reports its own timeout
      // ("no consent button within 30s"); the cause is the interruption.
      detail = cause;
      outcome = 'failed';
    } else if (cause !== undefined && (outcome === 'ok' || ctx.lost !== undefined)) {
      detail = outcome === 'failed' && detail && detail !== cause ? `${cause}; ${detail}` : cause;
      outcome = 'failed';
    }
    await end(outcome, detail);
    const rec: StepRecord = {
      index,
      kind,
      label,
      phase,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    };
    steps.push(rec);
    o.onProgress?.({
      type: 'step-end',
      index,
      kind,
      label,
      nested: false,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    });
    try {
      writer.flush();
    } catch (err) {
      ctx.fatal ??= err as Error;
    }
    return rec;
  };

  let index = 0;
  for (let i = 0; i < scenario.steps.length; i++) {
    if (o.signal?.aborted || ctx.lost || ctx.fatal) break;
    if (i === implicitLaunchAt) {
      const rec = await runStep(++index, 'launch', 'launch (implicit)', async () => {
        await ctx.expectExit(() => ctx.launch({ clearData: false }));
        return undefined;
      });
      if (rec.outcome === 'failed') {
        stopCause = `step ${rec.index} (${rec.label}) failed: ${rec.detail}`;
        break;
      }
    }
    const step = scenario.steps[i]!;
    const rec = await runStep(++index, step.kind, stepLabel(step), () => executeStep(step, ctx));
    // A launch that failed before any agent said hello: nothing can be observed after it.
    const noAgent = rec.outcome === 'failed' && LAUNCH_STEPS.includes(step.kind) && !ctx.agentSeen;
    if (rec.outcome === 'failed' && (step.onError === 'stop' || noAgent) && !ctx.lost && !o.signal?.aborted) {
      stopCause = `step ${rec.index} (${rec.label}) failed: ${rec.detail}`;
      break;
    }
  }

  // ---- the end: last batch, AppOps after, detach, crash capture --------------------------
  const interrupted = o.signal?.aborted === true;
  if (!ctx.lost) {
    await guard('flush', () => ctx.finishSession(!sim));
    await guard('AppOps after', async () => writeAppOps(store, runId, 'after', await device.appOps(pkg)));
  }
  await guard('ui close', () => ctx.closeUi());
  await guard('crash watch stop', async () => watch?.stop());
  clearInterval(flushTimer);
  let fatal = ctx.fatal;
  try {
    writer.flush();
  } catch (err) {
    fatal ??= err as Error;
  }

  const expectations: ExpectResult[] = [];
  if (!interrupted && !ctx.lost && !fatal) {
    // What the app could have called (its APK's code / its model), for "bundled vs ran".
    await guard('static scan', async () => {
      recordBundledCalls(store.db, runId, scenario.app, sim);
    });
    let analysed = false;
    if (o.analyze) {
      try {
        await o.analyze(store, runId);
        analysed = true;
      } catch (err) {
        log.warn(`analysis failed: ${errorMessage(err)}`);
      }
    }
    for (const e of scenario.expect) {
      const r = evaluateExpectation(store.db, runId, e, analysed);
      const end = ctx.beginStep('expect', r.label);
      // steps.outcome has no 'inconclusive': stored as skipped, the detail says why.
      if (r.outcome === 'inconclusive') await end('skipped', `inconclusive: ${r.detail}`);
      else await end(r.outcome, r.detail);
      expectations.push(r);
      o.onProgress?.({
        type: 'step-end',
        index: 0,
        kind: 'expect',
        label: r.label,
        nested: false,
        outcome: r.outcome,
        detail: r.detail,
      });
    }
  }

  let status: RunResult['status'] = 'completed';
  let reason: string | undefined;
  if (fatal) [status, reason] = ['failed', `store: ${fatal.message}`];
  else if (ctx.lost) [status, reason] = ['failed', ctx.lost];
  else if (interrupted) [status, reason] = ['interrupted', `interrupted (${abortReason(o.signal)})`];
  else if (stopCause) [status, reason] = ['failed', stopCause];
  store.endRun(runId, status, reason, clock.now());
  log.info(`run ${runId} ${status}${reason ? `: ${reason}` : ''}`);
  return {
    runId,
    status,
    ...(reason === undefined ? {} : { reason }),
    steps,
    expectations,
    malformedMessages: ctx.malformed,
    stats: { ...writer.stats },
  };
}

function abortReason(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  if (typeof r === 'string') return r;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  return 'aborted';
}
