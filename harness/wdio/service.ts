// WebdriverIO worker service: an existing Appium/WebdriverIO suite gets Overreach monitoring
// without rewriting tests. Per session: open the session's device (from the capabilities'
// `overreach:device` or udid), spawn the app under the agent, make Appium attach to the running
// app (autoLaunch false, noReset), record the run with each WDIO test as a step, end the run.
//
//   // wdio.conf.ts
//   import { OverreachService } from 'overreach/harness/wdio/service.ts';
//   services: [[OverreachService, { db: 'overreach.db' }]]
//
// The hook signatures follow WebdriverIO v9's worker services (beforeSession(config, caps,
// specs, cid), before(caps, specs, browser), beforeTest(test, context), afterTest(test,
// context, result), after(result, caps, specs), afterSession(config, caps, specs)); the types
// below are structural so @wdio/types is not a dependency.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeAttributor } from '../analysis/sdk-attribution.ts';
import { WAIT_FOR_IDLE_MS } from '../device/android/appium-ui.ts';
import type { AgentRpcClient, AppSession, Device, ProcessInfo } from '../device/types.ts';
import { EnvironmentError, errorMessage, InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import { parseAgentMessage } from '../protocol/validate.ts';
import { deviceRunClock, type RunClock, simRunClock } from '../run/clock.ts';
import { deviceCaps } from '../run/device-caps.ts';
import { hashSaltFor, saltId } from '../run/salt.ts';
import { openStore, type Store } from '../store/store.ts';
import type { TraceWriter } from '../store/trace-writer.ts';
import { TOOL_VERSION } from '../version.ts';

const log = createLog('wdio');
const AGENT_BUNDLE = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'agent.js');

export type WdioCapabilities = Record<string, unknown>;

export interface WdioTest {
  title: string;
  parent?: string;
  fullTitle?: string;
}

export interface WdioTestResult {
  passed: boolean;
  error?: { message?: string };
  duration?: number;
}

export interface OverreachServiceOptions {
  /** Trace database (default overreach.db). */
  db?: string;
  /** An open store to write through instead (the farm's one writer); left open at the end. */
  store?: Store;
  /** App package; default the capabilities' appium:appPackage. */
  package?: string;
  /** Scenario name recorded on the run (default "wdio"). */
  scenario?: string;
  /** Opens the session's device; default: `overreach:device: sim` → SimDevice, else adb by udid. */
  openDevice?: (caps: WdioCapabilities) => Promise<Device>;
  /** App model (sim) or APK installed first when the package is missing. */
  install?: string;
  /** Agent bundle source for real devices (default dist/agent.js). */
  agentSource?: string;
  rawValues?: boolean;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Capabilities Appium must get so its session ATTACHES to the app the service spawned under the
 * agent (what UiAutomator2 does with each: harness/simulation/device/appium-session.ts). A suite's
 * own fullReset/fastReset/forceAppLaunch/shouldTerminateApp would reset, relaunch or stop that
 * app (and noReset + fullReset is refused outright): they are overridden, each one named.
 */
const ATTACH_CAPS: Readonly<Record<string, boolean>> = {
  'appium:noReset': true,
  'appium:fullReset': false,
  'appium:fastReset': false,
  'appium:autoLaunch': false,
  'appium:forceAppLaunch': false,
  'appium:dontStopAppOnReset': true,
  'appium:shouldTerminateApp': false,
  'appium:enforceAppInstall': false,
};

/** Sets the attach capabilities; returns the suite's settings it overrode (to warn about). */
export function attachCapabilities(caps: WdioCapabilities, helpersInstalled: boolean): string[] {
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(ATTACH_CAPS)) {
    const bare = name.slice('appium:'.length);
    const given = caps[name] ?? caps[bare];
    if (given !== undefined && given !== value) overridden.push(`${name}=${String(given)}`);
    delete caps[bare];
    caps[name] = value;
  }
  // UiAutomator2's device initialisation would start io.appium.settings over the app.
  if (helpersInstalled) caps['appium:skipDeviceInitialization'] = true;
  caps['appium:settings[waitForIdleTimeout]'] ??= WAIT_FOR_IDLE_MS;
  return overridden;
}

async function defaultDevice(caps: WdioCapabilities): Promise<Device> {
  const choice = str(caps['overreach:device']) ?? str(caps['appium:udid']) ?? str(caps['udid']);
  if (choice === 'sim') {
    const { SimDevice } = await import('../simulation/device/sim-device.ts');
    return new SimDevice();
  }
  const { AndroidDevice } = await import('../device/android/android-device.ts');
  return AndroidDevice.open(choice);
}

export class OverreachService {
  private store: Store | undefined;
  private device: Device | undefined;
  private session: AppSession | undefined;
  private writer: TraceWriter | undefined;
  private clock: RunClock = deviceRunClock();
  private step: number | undefined;
  private failedTests = 0;
  /** Agent messages that failed validation (logged and skipped). */
  malformedMessages = 0;
  runId: number | undefined;

  constructor(
    private readonly options: OverreachServiceOptions = {},
    _capabilities?: WdioCapabilities,
    _config?: unknown,
  ) {}

  /** Before the WebDriver session: Appium must attach to the app we start, not relaunch it. */
  async beforeSession(
    _config: unknown,
    caps: WdioCapabilities,
    _specs?: string[],
    _cid?: string,
  ): Promise<void> {
    const pkg = this.options.package ?? str(caps['appium:appPackage']);
    if (!pkg) throw new InputError('overreach wdio service: set options.package or appium:appPackage');
    const device = await (this.options.openDevice ?? defaultDevice)(caps);
    this.device = device;
    const helpers = (device as { appiumHelpersInstalled?: () => Promise<boolean> }).appiumHelpersInstalled;
    const overridden = attachCapabilities(caps, helpers ? await helpers.call(device) : false);
    if (overridden.length)
      log.warn(
        `capabilities overridden so Appium attaches to the instrumented app: ${overridden.join(', ')}`,
      );
    const dc = deviceCaps(device);
    this.clock = dc.simClock ? simRunClock(dc.simClock) : deviceRunClock();
    if (!(await device.isInstalled(pkg))) {
      if (!this.options.install)
        throw new InputError(`${device.serial}: ${pkg} is not installed (options.install)`);
      await device.install(this.options.install);
    }
    const store = this.options.store ?? openStore(this.options.db ?? 'overreach.db');
    this.store = store;
    const desc = await device.describe();
    const runId = store.createRun({
      package: pkg,
      device: desc.serial,
      scenario: this.options.scenario ?? 'wdio',
      toolVersion: TOOL_VERSION,
      appId: store.upsertApp({ package: pkg }),
      startedAt: this.clock.now(),
      config: { wdio: true, device: desc, saltId: saltId(hashSaltFor(store.path)) },
    });
    this.runId = runId;
    const writer = store.traceWriter(runId, { attributeSdk: storeAttributor(pkg) });
    this.writer = writer;
    const agentSource = this.agentSource(dc.simClock !== undefined);
    const config = { hashSalt: hashSaltFor(store.path), rawValues: this.options.rawValues ?? false };
    const configure = (p: ProcessInfo, rpc: AgentRpcClient) =>
      rpc
        .configure(config)
        .catch((err: unknown) => log.warn(`${p.name}: cannot configure the agent: ${errorMessage(err)}`));
    this.session = await device.spawn(pkg, {
      agentSource,
      onMessage: (raw, p) => {
        try {
          const msg = parseAgentMessage(raw);
          if (msg.type === 'hello') this.clock.noteHello?.(msg.time);
          writer.handle(msg);
        } catch (err) {
          this.malformedMessages++;
          log.warn(`${p.name}: agent message ignored: ${errorMessage(err)}`);
        }
      },
      onAgentError: (d, p) => log.warn(`${p.name}: agent script error: ${d}`),
      // Helper processes that start later get the settings before they run.
      prepare: (p, rpc) => configure(p, rpc),
    });
    for (const p of this.session.processes()) await configure(p, this.session.rpc(p.name));
    await this.session.resume();
  }

  private agentSource(sim: boolean): string {
    if (this.options.agentSource !== undefined || sim) return this.options.agentSource ?? '';
    if (!existsSync(AGENT_BUNDLE))
      throw new EnvironmentError(`${AGENT_BUNDLE}: agent bundle missing (run npm run build:agent)`);
    return readFileSync(AGENT_BUNDLE, 'utf8');
  }

  before(_caps: WdioCapabilities, _specs: string[], browser: { sessionId?: string }): void {
    if (this.runId !== undefined && browser.sessionId)
      log.info(`run ${this.runId}: WebDriver session ${browser.sessionId}`);
  }

  beforeTest(test: WdioTest): void {
    if (!this.writer) return;
    const label = test.fullTitle ?? (test.parent ? `${test.parent} ${test.title}` : test.title);
    this.step = this.writer.beginStep({ kind: 'test', label, time: this.clock.now() });
  }

  afterTest(_test: WdioTest, _context: unknown, result: WdioTestResult): void {
    if (!this.writer || this.step === undefined) return;
    if (!result.passed) this.failedTests++;
    this.writer.endStep(this.step, result.passed ? 'ok' : 'failed', result.error?.message, this.clock.now());
    this.step = undefined;
    this.writer.flush();
  }

  after(): void {
    this.writer?.flush();
  }

  /** Ends the run: completed (test failures are the suite's business, noted in the reason). */
  async afterSession(): Promise<void> {
    const { store, writer, runId } = this;
    try {
      await this.session?.detach().catch((err: unknown) => log.warn(`detach: ${errorMessage(err)}`));
      if (store && writer && runId !== undefined) {
        writer.flush();
        const lost = this.session?.detachReason === 'device-lost';
        const reason = lost
          ? 'device lost'
          : this.failedTests > 0
            ? `${this.failedTests} test(s) failed`
            : undefined;
        store.endRun(runId, lost ? 'failed' : 'completed', reason, this.clock.now());
      }
    } finally {
      if (!this.options.store) store?.close();
      if (!this.options.openDevice) await this.device?.close().catch(() => undefined);
      this.store = undefined;
      this.writer = undefined;
    }
  }
}

export default OverreachService;
