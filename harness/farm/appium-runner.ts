// A farm job runner for teams whose tests drive the app through Appium (a local server or a
// Selenium Grid): per job, the app is started under the agent on the job's device (the
// WebdriverIO service's hooks), a WebDriver session is opened on the Appium server with the
// device's capabilities (autoLaunch off, so Appium attaches to the running app), the job's test
// body runs as one step, and the run is closed. Several devices → several sessions at once.

import { parseAppiumUrl } from '../device/android/appium-server.ts';
import { AppiumUiDriver, type Capabilities } from '../device/android/appium-ui.ts';
import { errorMessage } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { OverreachService, type WdioCapabilities } from '../wdio/service.ts';
import type { FarmJob } from './plan.ts';
import type { AttemptResult, FarmDevice, JobRunner } from './pool.ts';

export interface AppiumJobOptions {
  store: Store;
  url: string;
  /** Capabilities per farm device id (the plan's appium pool). */
  capabilities: (device: FarmDevice) => WdioCapabilities;
  /** App package monitored; default the capabilities' appium:appPackage. */
  package?: string;
  /** Installed first when missing (an app model on sim devices, an APK on real ones). */
  install?: string;
  /** The job's test body, run with the open Appium session. */
  test: (ui: AppiumUiDriver, job: FarmJob, device: FarmDevice) => Promise<void>;
}

function sessionCaps(caps: WdioCapabilities): Capabilities {
  const out: Capabilities = {};
  for (const [k, v] of Object.entries(caps))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  return out;
}

export function appiumJobRunner(o: AppiumJobOptions): JobRunner {
  const endpoint = parseAppiumUrl(o.url);
  return async (job, fd, ctx): Promise<AttemptResult> => {
    const caps = { ...o.capabilities(fd) };
    const service = new OverreachService(
      {
        store: o.store,
        scenario: `appium job ${job.id}`,
        openDevice: async () => fd.device,
        ...(o.package ? { package: o.package } : {}),
        ...(o.install ? { install: o.install } : {}),
      },
      caps,
    );
    await service.beforeSession({}, caps);
    if (service.runId !== undefined) ctx.onRun(service.runId);
    let ui: AppiumUiDriver | undefined;
    let failure: string | undefined;
    try {
      // After beforeSession the capabilities carry autoLaunch:false / noReset:true.
      ui = await AppiumUiDriver.connect(endpoint, sessionCaps(caps));
      service.before(caps, [job.scenario], { sessionId: ui.sessionId });
      const test = { title: job.scenario, parent: `job ${job.id}` };
      service.beforeTest(test);
      try {
        if (ctx.signal.aborted) throw new Error(String(ctx.signal.reason));
        await o.test(ui, job, fd);
        service.afterTest(test, {}, { passed: true });
      } catch (err) {
        failure = errorMessage(err);
        service.afterTest(test, {}, { passed: false, error: { message: failure } });
      }
    } catch (err) {
      failure = `appium session: ${errorMessage(err)}`;
    } finally {
      await ui?.close().catch(() => undefined);
      service.after();
      await service.afterSession();
    }
    const runId = service.runId;
    if (runId !== undefined && failure) o.store.endRun(runId, 'failed', failure);
    return {
      status: failure ? 'failed' : 'completed',
      ...(failure ? { reason: failure } : {}),
      ...(runId !== undefined ? { runId } : {}),
    };
  };
}
