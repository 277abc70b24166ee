// The simulated Android device: spawn → session with the agent running in the simulated
// runtime, helper processes, kills, crashes and a lost device. It delegates installed apps
// (installed-apps.ts), what is in front (sim-screen.ts), UiAutomator2 sessions (sim-appium.ts)
// and crash capture (crash-watchers.ts), and wires them to each other and to running apps.

import type {
  AppOpRecord,
  CrashEvent,
  CrashKind,
  CrashWatch,
  DetachReason,
  Device,
  DeviceDescription,
  ForegroundInfo,
  InstallOptions,
  ProcessInfo,
  SpawnOptions,
} from '../../device/types.ts';
import { DeviceError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import { loadAppModel } from '../apps/model-load.ts';
import type { AppModel } from '../apps/model-types.ts';
import { type AppHost, SimApp, type SimEvent } from '../apps/sim-app.ts';
import type { RuntimeFactory, SimProcessRuntime } from '../runtime/process-runtime.ts';
import { simAgentPath, simRuntimeFactory } from '../runtime/sim-runtime-adapter.ts';
import { realClock, type SimClock, settlingClock } from './clock.ts';
import { CrashWatchers } from './crash-watchers.ts';
import { type HelperHost, killHelper, startHelper, startHelpers } from './helper-processes.ts';
import { type InstalledApp, InstalledApps } from './installed-apps.ts';
import { SimAppium } from './sim-appium.ts';
import { simDescription, simNativeNote } from './sim-build.ts';
import { SimScreen } from './sim-screen.ts';
import { SimSession } from './sim-session.ts';
import { SimUiDriver } from './sim-ui-driver.ts';
import type { UiWindow } from './ui-tree.ts';

const log = createLog('sim-device');

export interface SimDeviceOptions {
  /** 'virtual' (tests: time moves only with sleep/advance) or a clock; default real time. */
  clock?: SimClock | 'virtual';
  /** How processes get their simulated runtime (default: the simulated runtime with the agent loaded). */
  runtime?: RuntimeFactory;
  /** Simulator agent bundle used when spawn's agentSource is not one (default dist/agent-sim.js). */
  agentPath?: string;
  serial?: string;
  apiLevel?: number;
  /** First pid handed out. */
  firstPid?: number;
  /** io.appium.settings and the UiAutomator2 server are already installed (a provisioned device). */
  appiumHelpers?: boolean;
  /** ro.dalvik.vm.native.bridge: Google's x86_64 images translate ARM code (default), "0" for none. */
  nativeBridge?: string;
}

export class SimDevice implements Device {
  readonly serial: string;
  readonly apiLevel: number;
  readonly clock: SimClock;
  private readonly apps: InstalledApps;
  private readonly sessions = new Map<string, SimSession>();
  private readonly listeners = new Set<(e: SimEvent) => void>();
  private readonly crashes = new CrashWatchers();
  private readonly screen: SimScreen;
  private lost = false;
  private nextPid: number;
  private readonly runtime: RuntimeFactory;
  /** The agent bundle each session's processes load (helpers load it when they start). */
  private readonly agentPaths = new WeakMap<SimSession, string>();
  /** Launches started by a tap in the launcher, awaited by the UI driver. */
  private pending: Promise<unknown>[] = [];
  location: { lat: number; lon: number } | undefined;
  private readonly appium: SimAppium;

  constructor(private readonly options: SimDeviceOptions = {}) {
    this.serial = options.serial ?? 'sim-0001';
    this.apiLevel = options.apiLevel ?? 34;
    this.clock =
      options.clock === 'virtual'
        ? settlingClock({ pending: () => this.pending.length > 0, settle: () => this.settle() })
        : (options.clock ?? realClock());
    this.runtime = options.runtime ?? simRuntimeFactory;
    this.nextPid = options.firstPid ?? 12_000;
    this.apps = new InstalledApps(this.serial);
    this.screen = new SimScreen({
      clock: this.clock,
      apiLevel: this.apiLevel,
      apps: () => this.apps.models(),
      running: (pkg) => this.running(pkg),
      coldStart: (pkg) => this.pending.push(this.spawn(pkg).then((s) => s.resume())),
    });
    this.appium = new SimAppium(
      {
        serial: this.serial,
        running: (pkg) => this.running(pkg) !== undefined,
        showSettingsHelper: () => this.screen.showSettingsHelper(),
        installed: (pkg) => this.apps.has(pkg),
        forceStop: (pkg) => this.forceStop(pkg),
        clearData: (pkg) => this.clearData(pkg),
        uninstall: (pkg) => this.uninstall(pkg),
        launch: (pkg) => this.activate(pkg),
        driver: () => new SimUiDriver(this),
      },
      options.appiumHelpers ?? false,
    );
  }

  private check(): void {
    if (this.lost) throw new DeviceError(`${this.serial}: device lost`);
  }

  private app(pkg: string): InstalledApp {
    this.check();
    return this.apps.get(pkg);
  }

  async describe(): Promise<DeviceDescription> {
    this.check();
    return simDescription(this.serial, this.apiLevel);
  }

  /**
   * Installs an app model — the simulator's stand-in for an APK: a path to its YAML or a loaded
   * model; returns the package name. An update keeps data and grants, as `adb install -r` does.
   */
  async install(model: AppModel | string, options: InstallOptions = {}): Promise<string> {
    this.check();
    const m = typeof model === 'string' ? loadAppModel(model) : model;
    if (this.apps.has(m.packageName)) this.forceStop(m.packageName);
    this.apps.add(m, options.grantAll ?? false);
    return m.packageName;
  }

  async isInstalled(pkg: string): Promise<boolean> {
    this.check();
    return this.apps.has(pkg);
  }

  model(pkg: string): AppModel {
    return this.app(pkg).model;
  }

  async uninstall(pkg: string): Promise<void> {
    this.forceStop(pkg);
    this.apps.remove(pkg);
  }

  /** `pm clear`: stops the app, wipes its data, runtime grants and the AppOps record. */
  async clearData(pkg: string): Promise<void> {
    this.app(pkg);
    this.forceStop(pkg);
    this.apps.wipe(pkg);
  }

  async grant(pkg: string, permission: string): Promise<void> {
    this.check();
    this.apps.grant(pkg, permission);
  }

  /** Revoking a runtime permission kills the running app, as Android does. */
  async revoke(pkg: string, permission: string): Promise<void> {
    this.check();
    if (!this.apps.revoke(pkg, permission)) return;
    this.kill(pkg, 'process-terminated');
  }

  async grantedPermissions(pkg: string): Promise<string[]> {
    return [...this.app(pkg).granted].sort();
  }

  /** The platform's own access record (`appops get`): from the model's calls and hidden-ops. */
  async appOps(pkg: string): Promise<AppOpRecord[]> {
    return this.app(pkg).ops.list();
  }

  async setLocation(lat: number, lon: number): Promise<void> {
    this.check();
    this.location = { lat, lon };
  }

  async foregroundActivity(): Promise<ForegroundInfo> {
    this.check();
    const top = this.windows().at(-1);
    return { packageName: top?.packageName ?? '', activity: top?.activity ?? '' };
  }

  onEvent(listener: (e: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SimEvent): void {
    log.debug(JSON.stringify(e));
    for (const l of this.listeners) l(e);
  }

  /**
   * Starts the app's main process suspended with the agent loaded; `session.resume()` runs it.
   * Helper processes are not part of the spawn: Android starts them later (startProcess).
   */
  async spawn(
    pkg: string,
    options: SpawnOptions = { agentSource: '', onMessage: () => undefined },
  ): Promise<SimSession> {
    const a = this.app(pkg);
    this.forceStop(pkg);
    const main: ProcessInfo = { name: pkg, pid: this.nextPid++ };
    const session = new SimSession(pkg, [main], options, (s) => this.resumeSession(s));
    this.agentPaths.set(session, simAgentPath(options.agentSource, this.options.agentPath));
    const rt = await this.processRuntime(session, main);
    session.app = new SimApp(a.model, this.host(), new Map([[pkg, rt]]));
    this.sessions.set(pkg, session);
    return session;
  }

  private processRuntime(session: SimSession, p: ProcessInfo): Promise<SimProcessRuntime> {
    return this.runtime({
      packageName: session.packageName,
      processName: p.name,
      pid: p.pid,
      clock: this.clock,
      onMessage: (m) => session.deliver(m, p),
      ...(this.agentPaths.has(session) ? { agentPath: this.agentPaths.get(session) as string } : {}),
      apiLevel: this.apiLevel,
    });
  }

  private async resumeSession(s: SimSession): Promise<void> {
    this.screen.showApp(s.packageName);
    s.app?.start();
    await startHelpers(this.helperHost(), s);
  }

  private helperHost(): HelperHost {
    return {
      session: (pkg) => this.sessions.get(pkg),
      newPid: () => this.nextPid++,
      runtimeFor: (session, p) => this.processRuntime(session, p),
      track: (p) => this.pending.push(p.catch((err: unknown) => log.warn(`helper process: ${String(err)}`))),
      killApp: (pkg) => this.kill(pkg, 'process-terminated'),
    };
  }

  /** Android starts (or restarts) one of the app's helper processes (helper-processes.ts). */
  startProcess(pkg: string, name: string): Promise<ProcessInfo | undefined> {
    return startHelper(this.helperHost(), pkg, name);
  }

  /** The system kills one helper process; `restartAfterMs` restarts it like a sticky service. */
  killProcess(pkg: string, name: string, restartAfterMs?: number): void {
    killHelper(this.helperHost(), pkg, name, restartAfterMs);
  }

  session(pkg: string): SimSession | undefined {
    return this.sessions.get(pkg);
  }

  /** The running app instance (for tests and the demo). */
  running(pkg: string): SimApp | undefined {
    const s = this.sessions.get(pkg);
    return s?.app?.alive ? s.app : undefined;
  }

  /** `am force-stop`: the session detaches with 'process-terminated', as Frida reports a kill. */
  forceStop(pkg: string): void {
    this.kill(pkg, 'process-terminated');
  }

  /** The app dies (crash, low-memory kill): its session reports `reason`. */
  kill(pkg: string, reason: DetachReason = 'process-terminated'): void {
    const s = this.sessions.get(pkg);
    if (!s) return;
    this.sessions.delete(pkg);
    s.app?.kill(reason);
    s.ended(reason);
    this.screen.leaveApp(pkg);
  }

  /** An uncaught exception (or native crash, ANR kill) in the app: crash watchers hear it. */
  crash(
    pkg: string,
    kind: CrashKind = 'crash',
    detail = 'java.lang.RuntimeException: simulated crash',
  ): void {
    const s = this.sessions.get(pkg);
    if (!s) return;
    this.crashes.report({ time: this.clock.now(), kind, process: pkg, pid: s.pid, detail });
    this.kill(pkg, 'process-terminated');
  }

  async watchCrashes(onEvent?: (event: CrashEvent) => void): Promise<CrashWatch> {
    this.check();
    return this.crashes.watch(onEvent);
  }

  /** The device goes away (USB unplugged, emulator died): every session reports 'device-lost'. */
  loseDevice(): void {
    for (const pkg of [...this.sessions.keys()]) this.kill(pkg, 'device-lost');
    this.lost = true;
  }

  get isLost(): boolean {
    return this.lost;
  }

  private host(): AppHost {
    return {
      clock: this.clock,
      ...this.apps.appHost(() => this.clock.now()),
      data: (pkg) => this.app(pkg).data,
      openExternal: (pkg, url) => this.screen.showBrowser(url, pkg),
      finished: (pkg) => this.screen.leaveApp(pkg),
      emit: (e) => this.emit(e),
      location: () => this.location,
      loseDevice: (serials) => {
        // After the action that asked for it has finished (it runs inside the app's process).
        if (!serials || serials.includes(this.serial)) this.clock.setTimeout(() => this.loseDevice(), 0);
      },
      nativeBridged: (pkg) => this.nativeNote(pkg) !== undefined,
    };
  }

  // ---- what is on screen (sim-screen.ts) ------------------------------------------------

  /** The windows on screen, bottom first; the last one has input focus. */
  windows(): UiWindow[] {
    this.check();
    return this.screen.windows();
  }

  /** Waits for launches a tap started. */
  async settle(): Promise<void> {
    const p = this.pending;
    this.pending = [];
    await Promise.all(p);
  }

  /** Back key: the browser returns to the app that opened it; otherwise the app handles it. */
  pressBack(): void {
    this.check();
    this.screen.pressBack();
  }

  pressHome(): void {
    this.check();
    this.screen.pressHome();
  }

  /** Brings a running app back to the front (recent apps), or launches it. */
  async activate(pkg: string): Promise<void> {
    this.app(pkg);
    this.screen.launch(pkg);
    await this.settle();
  }

  // ---- UiAutomator2 sessions (sim-appium.ts) --------------------------------------------

  /**
   * Opens a UI session as the UiAutomator2 driver does, with the capabilities the real backend
   * would send (uiautomator2Capabilities): a session that does not skip device initialisation
   * starts io.appium.settings in front; the first session installs the helpers.
   */
  async ui(): Promise<SimUiDriver> {
    this.check();
    return this.appium.open();
  }

  /**
   * A UiAutomator2 session with these capabilities starts (Appium used directly, e.g. by a
   * WebdriverIO suite): its effects on the app (appium-session.ts) happen as on a device.
   */
  async startAppiumSession(caps: Record<string, unknown>): Promise<SimUiDriver> {
    this.check();
    return this.appium.start(caps);
  }

  /** The session with these capabilities ends (deleteSession). */
  async endAppiumSession(caps: Record<string, unknown>): Promise<void> {
    await this.appium.end(caps);
  }

  /** io.appium.settings and the UiAutomator2 server are installed (as AndroidDevice reports it). */
  async appiumHelpersInstalled(): Promise<boolean> {
    return this.appium.helpersInstalled;
  }

  /** UI sessions opened, and those whose start put the settings helper in front. */
  get uiSessions(): { readonly opened: number; readonly settingsLaunches: number } {
    return this.appium.sessions;
  }

  private nativeNote(pkg: string): string | undefined {
    return simNativeNote(this.apps.find(pkg)?.model.abis ?? [], this.options.nativeBridge);
  }

  /** Why native hooks miss the app's native code (as AndroidDevice.nativeCoverage reports it). */
  async nativeCoverage(pkg: string): Promise<string | undefined> {
    this.app(pkg);
    return this.nativeNote(pkg);
  }

  /** Ends every session ('application-requested'), crash capture and the apps. */
  async close(): Promise<void> {
    for (const pkg of [...this.sessions.keys()]) this.kill(pkg, 'application-requested');
    this.crashes.clear();
  }
}
