// The simulated Android device: installed app models, runtime permissions, the platform's
// AppOps record, what is in front (an app, the launcher, the browser), spawn → session with
// the agent running in the simulated runtime, crashes and a lost device.

import { uiautomator2Capabilities } from '../../device/android/appium-ui.ts';
import { nativeCoverageNote, primaryAbiOf } from '../../device/android/native-bridge.ts';
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
import { type AppData, type AppHost, SimApp, type SimEvent } from '../apps/sim-app.ts';
import type { RuntimeFactory, SimProcessRuntime } from '../runtime/process-runtime.ts';
import { simAgentPath, simRuntimeFactory } from '../runtime/sim-runtime-adapter.ts';
import { AppOpsLog } from './app-ops.ts';
import {
  appWindows,
  browserWindow,
  launcherWindow,
  permissionWindow,
  settingsHelperWindow,
} from './app-windows.ts';
import { type AppiumEffect, appiumPackage, applyAppiumEffects, uia2SessionPlan } from './appium-session.ts';
import { realClock, type SimClock, VirtualClock } from './clock.ts';
import { type HelperHost, killHelper, startHelper, startHelpers } from './helper-processes.ts';
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

interface Installed {
  model: AppModel;
  data: AppData;
  granted: Set<string>;
  denials: Map<string, number>;
  ops: AppOpsLog;
}

type Front =
  | { kind: 'launcher' }
  | { kind: 'app'; pkg: string }
  | { kind: 'browser'; url: string; from: string }
  /** UiAutomator2's session start launched io.appium.settings over `under`; it finishes after 1 s. */
  | { kind: 'settings-helper'; under: Front };

/** io.appium.settings' Settings activity finishes itself 1000 ms after onCreate (Settings.java). */
const SETTINGS_HELPER_MS = 1000;

const RELEASES: Readonly<Record<number, string>> = {
  29: '10',
  30: '11',
  31: '12',
  32: '12L',
  33: '13',
  34: '14',
  35: '15',
  36: '16',
};

export class SimDevice implements Device {
  readonly serial: string;
  readonly apiLevel: number;
  readonly clock: SimClock;
  private readonly installed = new Map<string, Installed>();
  private readonly sessions = new Map<string, SimSession>();
  private readonly listeners = new Set<(e: SimEvent) => void>();
  private readonly crashWatchers = new Set<(e: CrashEvent) => void>();
  private front: Front = { kind: 'launcher' };
  private lost = false;
  private nextPid: number;
  private readonly runtime: RuntimeFactory;
  /** The agent bundle each session's processes load (helpers load it when they start). */
  private readonly agentPaths = new WeakMap<SimSession, string>();
  /** Launches started by a tap in the launcher, awaited by the UI driver. */
  private pending: Promise<unknown>[] = [];
  location: { lat: number; lon: number } | undefined;
  /** UI sessions opened, and those whose start put the settings helper in front. */
  readonly uiSessions = { opened: 0, settingsLaunches: 0 };
  private appiumHelpers: boolean;

  constructor(private readonly options: SimDeviceOptions = {}) {
    this.serial = options.serial ?? 'sim-0001';
    this.apiLevel = options.apiLevel ?? 34;
    this.clock = options.clock === 'virtual' ? this.virtualClock() : (options.clock ?? realClock());
    this.runtime = options.runtime ?? simRuntimeFactory;
    this.nextPid = options.firstPid ?? 12_000;
    this.appiumHelpers = options.appiumHelpers ?? false;
  }

  /**
   * A virtual clock whose sleep lets work started by a timer finish near the time it fired: a
   * helper process starts asynchronously (agent load, prepare), which advance() alone would
   * only let happen after the whole sleep, at its end time.
   */
  private virtualClock(): VirtualClock {
    const vc = new VirtualClock();
    vc.sleep = async (ms: number) => {
      let left = Math.max(0, ms);
      do {
        const step = Math.min(left, 250);
        vc.advance(step);
        left -= step;
        if (this.pending.length) await this.settle();
      } while (left > 0);
    };
    return vc;
  }

  private check(): void {
    if (this.lost) throw new DeviceError(`${this.serial}: device lost`);
  }

  private app(pkg: string): Installed {
    this.check();
    const a = this.installed.get(pkg);
    if (!a) throw new DeviceError(`${this.serial}: package ${pkg} is not installed`);
    return a;
  }

  async describe(): Promise<DeviceDescription> {
    this.check();
    return {
      serial: this.serial,
      model: 'Overreach simulated device',
      manufacturer: 'Overreach',
      apiLevel: this.apiLevel,
      release: RELEASES[this.apiLevel] ?? String(this.apiLevel),
      abi: 'x86_64',
      emulator: true,
    };
  }

  /**
   * Installs an app model — the simulator's stand-in for an APK: a path to its YAML or a loaded
   * model; returns the package name. An update keeps data and grants, as `adb install -r` does.
   */
  async install(model: AppModel | string, options: InstallOptions = {}): Promise<string> {
    this.check();
    const m = typeof model === 'string' ? loadAppModel(model) : model;
    const prev = this.installed.get(m.packageName);
    if (prev) {
      this.forceStop(m.packageName);
      prev.model = m;
    } else {
      this.installed.set(m.packageName, {
        model: m,
        data: { consent: false, toggles: new Map(), fields: new Map() },
        granted: new Set(),
        denials: new Map(),
        ops: new AppOpsLog(),
      });
    }
    if (options.grantAll) for (const p of m.permissions) this.installed.get(m.packageName)?.granted.add(p);
    return m.packageName;
  }

  async isInstalled(pkg: string): Promise<boolean> {
    this.check();
    return this.installed.has(pkg);
  }

  model(pkg: string): AppModel {
    return this.app(pkg).model;
  }

  async uninstall(pkg: string): Promise<void> {
    this.forceStop(pkg);
    this.installed.delete(pkg);
  }

  /** `pm clear`: stops the app, wipes its data, runtime grants and the AppOps record. */
  async clearData(pkg: string): Promise<void> {
    const a = this.app(pkg);
    this.forceStop(pkg);
    a.data = { consent: false, toggles: new Map(), fields: new Map() };
    a.granted.clear();
    a.denials.clear();
    a.ops.clear();
  }

  async grant(pkg: string, permission: string): Promise<void> {
    const a = this.app(pkg);
    if (!a.model.permissions.includes(permission)) {
      throw new DeviceError(`${this.serial}: package ${pkg} has not requested permission ${permission}`);
    }
    a.granted.add(permission);
  }

  /** Revoking a runtime permission kills the running app, as Android does. */
  async revoke(pkg: string, permission: string): Promise<void> {
    const a = this.app(pkg);
    if (!a.granted.delete(permission)) return;
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
    this.front = { kind: 'app', pkg: s.packageName };
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
    if (this.front.kind === 'app' && this.front.pkg === pkg) this.front = { kind: 'launcher' };
  }

  /** An uncaught exception (or native crash, ANR kill) in the app: crash watchers hear it. */
  crash(
    pkg: string,
    kind: CrashKind = 'crash',
    detail = 'java.lang.RuntimeException: simulated crash',
  ): void {
    const s = this.sessions.get(pkg);
    if (!s) return;
    const event: CrashEvent = { time: this.clock.now(), kind, process: pkg, pid: s.pid, detail };
    for (const w of this.crashWatchers) w(event);
    this.kill(pkg, 'process-terminated');
  }

  async watchCrashes(onEvent?: (event: CrashEvent) => void): Promise<CrashWatch> {
    this.check();
    const events: CrashEvent[] = [];
    const watcher = (e: CrashEvent) => {
      events.push(e);
      onEvent?.(e);
    };
    this.crashWatchers.add(watcher);
    return {
      events: () => [...events],
      stop: async () => {
        this.crashWatchers.delete(watcher);
      },
    };
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
      granted: (pkg) => this.installed.get(pkg)?.granted ?? new Set<string>(),
      denials: (pkg, perm) => this.installed.get(pkg)?.denials.get(perm) ?? 0,
      answerPermission: (pkg, perm, granted) => {
        const a = this.installed.get(pkg);
        if (!a) return;
        if (granted) a.granted.add(perm);
        else a.denials.set(perm, (a.denials.get(perm) ?? 0) + 1);
      },
      data: (pkg) => this.app(pkg).data,
      noteOp: (pkg, op, allowed, process) =>
        this.installed.get(pkg)?.ops.note(op, this.clock.now(), allowed, process),
      openExternal: (pkg, url) => {
        this.front = { kind: 'browser', url, from: pkg };
      },
      finished: (pkg) => {
        if (this.front.kind === 'app' && this.front.pkg === pkg) this.front = { kind: 'launcher' };
      },
      emit: (e) => this.emit(e),
      location: () => this.location,
      loseDevice: (serials) => {
        // After the action that asked for it has finished (it runs inside the app's process).
        if (!serials || serials.includes(this.serial)) this.clock.setTimeout(() => this.loseDevice(), 0);
      },
      nativeBridged: (pkg) => this.nativeNote(pkg) !== undefined,
    };
  }

  // ---- what is on screen -----------------------------------------------------------------

  /** The windows on screen, bottom first; the last one has input focus. */
  windows(): UiWindow[] {
    this.check();
    const front = this.front;
    if (front.kind === 'browser') return [browserWindow(front.url)];
    if (front.kind === 'settings-helper') return [settingsHelperWindow()];
    if (front.kind === 'launcher') {
      const apps = [...this.installed.values()].map((a) => ({
        label: a.model.label,
        open: () => this.launchFromLauncher(a.model.packageName),
      }));
      return [launcherWindow(apps)];
    }
    const app = this.running(front.pkg);
    if (!app) return [];
    const out = appWindows(app);
    const ask = app.currentAsk();
    const perm = ask?.queue[0];
    if (perm) out.push(permissionWindow(app.model.label, perm, (allow) => app.answer(allow), this.apiLevel));
    return out;
  }

  /**
   * UiAutomator2's initDevice: pushSettingsApp → settingsApp.requireRunning starts the helper's
   * launcher activity and waits until it is in front. The app in front is paused (it looks
   * backgrounded, its on-background code runs) until the helper finishes and it resumes.
   */
  private startSettingsHelper(): void {
    const under = this.front;
    if (under.kind === 'settings-helper') return;
    this.uiSessions.settingsLaunches++;
    if (under.kind === 'app') this.running(under.pkg)?.toBackground();
    this.front = { kind: 'settings-helper', under };
    this.clock.setTimeout(() => {
      // Something else came to the front meanwhile (an app launch): it stays there.
      if (this.front.kind !== 'settings-helper') return;
      this.front = under;
      if (under.kind === 'app') {
        const app = this.running(under.pkg);
        if (app) app.launch();
        else this.front = { kind: 'launcher' };
      }
    }, SETTINGS_HELPER_MS);
  }

  private launchFromLauncher(pkg: string): void {
    const app = this.running(pkg);
    if (app) {
      this.front = { kind: 'app', pkg };
      app.launch();
      return;
    }
    // Not running: a cold start (the harness normally spawns it itself to load the agent first).
    this.pending.push(this.spawn(pkg).then((s) => s.resume()));
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
    const front = this.front;
    if (front.kind === 'browser') {
      const app = this.running(front.from);
      this.front = app ? { kind: 'app', pkg: front.from } : { kind: 'launcher' };
      app?.launch();
    } else if (front.kind === 'app') this.running(front.pkg)?.back();
  }

  pressHome(): void {
    this.check();
    if (this.front.kind === 'app') this.running(this.front.pkg)?.toBackground();
    this.front = { kind: 'launcher' };
  }

  /** Brings a running app back to the front (recent apps), or launches it. */
  async activate(pkg: string): Promise<void> {
    this.app(pkg);
    this.launchFromLauncher(pkg);
    await this.settle();
  }

  /**
   * Opens a UI session as the UiAutomator2 driver does, with the capabilities the real backend
   * would send (uiautomator2Capabilities): a session that does not skip device initialisation
   * starts io.appium.settings in front; the first session installs the helpers.
   */
  async ui(): Promise<SimUiDriver> {
    this.check();
    const caps = uiautomator2Capabilities({ serial: this.serial, helpersInstalled: this.appiumHelpers });
    return this.startAppiumSession(caps);
  }

  /**
   * A UiAutomator2 session with these capabilities starts (Appium used directly, e.g. by a
   * WebdriverIO suite): its effects on the app (appium-session.ts) happen as on a device.
   */
  async startAppiumSession(caps: Record<string, unknown>): Promise<SimUiDriver> {
    this.check();
    const pkg = appiumPackage(caps);
    const plan = uia2SessionPlan(caps, {
      installed: pkg !== undefined && this.installed.has(pkg),
      running: pkg !== undefined && this.running(pkg) !== undefined,
    });
    if (plan.error) throw new DeviceError(`appium session not created: ${plan.error}`);
    this.appiumHelpers = true;
    this.uiSessions.opened++;
    await this.applyAppium(plan.start, pkg);
    return new SimUiDriver(this);
  }

  private nativeNote(pkg: string): string | undefined {
    const abi = primaryAbiOf(this.installed.get(pkg)?.model.abis ?? [], 'x86_64');
    return nativeCoverageNote('x86_64', this.options.nativeBridge ?? 'libndk_translation.so', abi);
  }

  /** Why native hooks miss the app's native code (as AndroidDevice.nativeCoverage reports it). */
  async nativeCoverage(pkg: string): Promise<string | undefined> {
    this.app(pkg);
    return this.nativeNote(pkg);
  }

  /** io.appium.settings and the UiAutomator2 server are installed (as AndroidDevice reports it). */
  async appiumHelpersInstalled(): Promise<boolean> {
    return this.appiumHelpers;
  }

  /** The session with these capabilities ends (deleteSession). */
  async endAppiumSession(caps: Record<string, unknown>): Promise<void> {
    const pkg = appiumPackage(caps);
    await this.applyAppium(uia2SessionPlan(caps, { installed: true, running: true }).end, pkg);
  }

  private applyAppium(effects: readonly AppiumEffect[], pkg: string | undefined): Promise<void> {
    return applyAppiumEffects(
      {
        showSettingsHelper: () => this.startSettingsHelper(),
        installed: (p) => this.installed.has(p),
        forceStop: (p) => this.forceStop(p),
        clearData: (p) => this.clearData(p),
        uninstall: (p) => this.uninstall(p),
        launch: (p) => this.activate(p),
      },
      effects,
      pkg,
    );
  }

  /** Ends every session ('application-requested'), crash capture and the apps. */
  async close(): Promise<void> {
    for (const pkg of [...this.sessions.keys()]) this.kill(pkg, 'application-requested');
    this.crashWatchers.clear();
  }
}
