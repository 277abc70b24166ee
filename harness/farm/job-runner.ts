// Runs one farm job (an app × a scenario) on one device through the scenario runner, with the
// analysis so findings land in the store, and reports the run id as soon as it exists.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { type SettingFlags, settingsFromFlags } from '../analysis/run-settings.ts';
import { readApk } from '../apk/read-apk.ts';
import { analysisStep, writeHtmlReport } from '../run/post-run.ts';
import { runScenario } from '../run/run-scenario.ts';
import { loadScenario } from '../scenario/load.ts';
import type { AppSpec, Scenario } from '../scenario/types.ts';
import { loadAppModel } from '../simulation/apps/model-load.ts';
import type { Store } from '../store/store.ts';
import type { PlanApp } from './plan.ts';
import type { AttemptResult, JobRunner } from './pool.ts';

/** The scenario's app replaced by the plan's app (model, APK or installed package). */
export function withApp(scenario: Scenario, app: PlanApp | undefined): Scenario {
  if (!app) return scenario;
  let spec: AppSpec;
  if (app.kind === 'model') spec = { package: loadAppModel(app.ref).packageName, model: app.ref };
  else if (app.kind === 'apk') spec = { package: readApk(app.ref).package, apk: app.ref };
  else spec = { package: app.ref };
  if (scenario.app.profile && scenario.app.package === spec.package) spec.profile = scenario.app.profile;
  return { ...scenario, app: spec };
}

export interface ScenarioRunnerOptions {
  store: Store;
  outDir: string;
  rawValues?: boolean;
  /** Skip the findings analysis (benchmarks of orchestration alone). */
  analyze?: boolean;
  /** Write each finished run's HTML report into its attempt folder (reports/ renderer). */
  html?: boolean;
}

const RUN_LINE = /^run (\d+): /;

export function scenarioJobRunner(o: ScenarioRunnerOptions): JobRunner {
  const scenarios = new Map<string, Promise<Scenario>>();
  const attempts = new Map<number, number>();
  return async (job, fd, ctx): Promise<AttemptResult> => {
    let loaded = scenarios.get(job.scenario);
    if (!loaded) {
      loaded = loadScenario(job.scenario);
      scenarios.set(job.scenario, loaded);
    }
    const scenario = withApp(await loaded, job.app);
    const attempt = (attempts.get(job.id) ?? 0) + 1;
    attempts.set(job.id, attempt);
    const outDir = join(o.outDir, `job-${job.id}-attempt-${attempt}`);
    mkdirSync(outDir, { recursive: true });
    const flags: SettingFlags = {
      ...(job.app?.pack ? { pack: job.app.pack } : {}),
      ...(job.app?.rules ? { rules: job.app.rules } : {}),
      ...(job.app?.profile ? { profile: job.app.profile } : {}),
    };
    // The same stored context as `overreach run`: analyze/report/diff reuse it without flags.
    const settings = settingsFromFlags(flags, o.outDir, scenario.app.profile);
    const analyze = o.analyze === false ? undefined : analysisStep('farm');
    const result = await runScenario({
      scenario,
      device: fd.device,
      store: o.store,
      outDir,
      signal: ctx.signal,
      rawValues: o.rawValues ?? false,
      log: (line) => {
        const m = RUN_LINE.exec(line);
        if (m) ctx.onRun(Number(m[1]));
      },
      onProgress: (p) => {
        if (p.type === 'step-start' && !p.nested) ctx.onStep?.(`step ${p.index}: ${p.label}`);
      },
      config: {
        farmJob: job.id,
        farmDevice: fd.id,
        // Which thread ran it: 0 is the farm's own, else a device worker (sim-processes.ts).
        farmWorker: threadId,
        scenarioFile: job.scenario,
        analysis: settings,
      },
      scenarioPath: job.scenario,
      ...(analyze ? { analyze } : {}),
    });
    if (o.html && result.status !== 'interrupted')
      await writeHtmlReport(o.store, result.runId, outDir, { raw: o.rawValues ?? false });
    const run = o.store.getRun(result.runId);
    const scenarioMs = run && run.ended_at !== null ? run.ended_at - run.started_at : undefined;
    return {
      runId: result.runId,
      status: result.status,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(scenarioMs !== undefined ? { scenarioMs } : {}),
    };
  };
}
