// The real Android backend of the Device interface: adb for package state, permissions, AppOps,
// location and logcat; Frida for the instrumented session; Appium (UiAutomator2) for the UI.
import { spawn as spawnProcess } from 'node:child_process';
import { readApk } from '../../apk/read-apk.ts';
import { DeviceError, errorMessage } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type {
  AppOpRecord,
  AppSession,
  CrashEvent,
  CrashWatch,
  Device,
  DeviceDescription,
  ForegroundInfo,
  InstallOptions,
  SpawnOptions,
  UiDriver,
} from '../types.ts';
import { Adb, type AdbExec, adbBinary, checkPackageName, createAdbExec, listAdbDevices } from './adb.ts';
import { parseAppOps } from './adb-appops.ts';
import type { AdbDeviceEntry } from './adb-parse.ts';
import { AppiumServer, parseAppiumUrl } from './appium-server.ts';
import {
  AppiumUiDriver,
  bundledHelperVersion,
  SETTINGS_HELPER_ID,
  UIA2_SERVER_ID,
  uiautomator2Capabilities,
} from './appium-ui.ts';
import { type FridaModule, installedFridaVersion, loadFrida, pinnedFridaVersion } from './frida-load.ts';
import { isEmulatorProps } from './frida-server.ts';
import { checkRunningFridaServer } from './frida-server-running.ts';
import { FridaAppSession } from './frida-session.ts';
import { CrashCollector, LineSplitter, parseLogcatLine } from './logcat.ts';
import { nativeCoverageNote, parsePrimaryCpuAbi } from './native-bridge.ts';

const log = createLog('android-device');

/** The piece of a child process the logcat reader uses (tests pass a fake). */
export interface StreamingProcess {
  stdout: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: () => void): unknown;
}

export type ProcessSpawner = (args: string[]) => StreamingProcess;

export interface AndroidDeviceOptions {
  exec?: AdbExec;
  /** Starts `adb <args>` streaming (logcat). */
  spawnAdb?: ProcessSpawner;
  loadFrida?: () => Promise<FridaModule>;
  /** An existing Appium server or Selenium Grid; otherwise a local server is started on demand. */
  appiumUrl?: string;
  /** The UiAutomator2 server APKs are already installed on the device. */
  skipUia2Install?: boolean;
  /** The frida package version the running server must match (default: the installed package's). */
  fridaVersion?: string;
}

/** Picks the device: the given serial, or the only one attached; explains unusable states. */
export function chooseDevice(entries: AdbDeviceEntry[], serial?: string): AdbDeviceEntry {
  const pick = serial ? entries.find((e) => e.serial === serial) : undefined;
  if (serial && !pick) {
    const seen = entries.map((e) => e.serial).join(', ') || 'none';
    throw new DeviceError(`device ${serial} not found by adb (attached: ${seen})`);
  }
  const ready = entries.filter((e) => e.state === 'device');
  const chosen = pick ?? (ready.length === 1 ? ready[0] : undefined);
  if (!chosen) {
    if (ready.length > 1) {
      throw new DeviceError(
        `${ready.length} devices attached (${ready.map((e) => e.serial).join(', ')}): pass --device <serial>`,
      );
    }
    throw new DeviceError(
      'no Android device attached: start an emulator or plug in a phone with USB debugging on',
    );
  }
  if (chosen.state === 'unauthorized') {
    throw new DeviceError(`${chosen.serial} is unauthorized: accept the USB debugging prompt on the device`);
  }
  if (chosen.state !== 'device')
    throw new DeviceError(`${chosen.serial} is ${chosen.state}: reconnect it or restart adb`);
  return chosen;
}

export class AndroidDevice implements Device {
  private readonly sessions = new Set<FridaAppSession>();
  private readonly watches = new Set<CrashWatch>();
  private readonly uis = new Set<UiDriver>();
  private appium: AppiumServer | undefined;
  private props: Map<string, string> | undefined;
  private serverChecked: Promise<void> | undefined;

  constructor(
    readonly adb: Adb,
    private readonly options: AndroidDeviceOptions = {},
  ) {}

  static async open(serial: string | undefined, options: AndroidDeviceOptions = {}): Promise<AndroidDevice> {
    const exec = options.exec ?? createAdbExec();
    const entry = chooseDevice(await listAdbDevices(exec), serial);
    return new AndroidDevice(new Adb(exec, entry.serial), { ...options, exec });
  }

  get serial(): string {
    return this.adb.serial;
  }

  private async getprops(): Promise<Map<string, string>> {
    this.props ??= await this.adb.getprops();
    return this.props;
  }

  async describe(): Promise<DeviceDescription> {
    const p = await this.getprops();
    return {
      serial: this.serial,
      model: p.get('ro.product.model') ?? '',
      manufacturer: p.get('ro.product.manufacturer') ?? '',
      apiLevel: Number(p.get('ro.build.version.sdk') ?? 0),
      release: p.get('ro.build.version.release') ?? '',
      abi: p.get('ro.product.cpu.abi') ?? '',
      emulator: isEmulatorProps(p, this.serial),
    };
  }

  async install(apkPath: string, options: InstallOptions = {}): Promise<string> {
    const pkg = readApk(apkPath).package;
    await this.adb.install(apkPath, options.grantAll ?? false);
    return pkg;
  }

  isInstalled(pkg: string): Promise<boolean> {
    return this.adb.isInstalled(pkg);
  }

  clearData(pkg: string): Promise<void> {
    return this.adb.clearData(pkg);
  }

  grant(pkg: string, permission: string): Promise<void> {
    return this.adb.grant(pkg, permission);
  }

  revoke(pkg: string, permission: string): Promise<void> {
    return this.adb.revoke(pkg, permission);
  }

  grantedPermissions(pkg: string): Promise<string[]> {
    return this.adb.grantedPermissions(pkg);
  }

  async appOps(pkg: string): Promise<AppOpRecord[]> {
    const { deviceNow, text } = await this.adb.appOpsRaw(pkg);
    return parseAppOps(text, deviceNow);
  }

  /** Emulator: console `geo fix`. Phone, Android 12+: a shell test provider. Older phones: refused. */
  async setLocation(lat: number, lon: number): Promise<void> {
    const d = await this.describe();
    if (d.emulator) return this.adb.emuGeoFix(lat, lon);
    if (d.apiLevel >= 31) return this.adb.testProviderLocation(lat, lon);
    throw new DeviceError(
      `${this.serial}: setting the location needs an emulator or Android 12+ (API ${d.apiLevel})`,
    );
  }

  async foregroundActivity(): Promise<ForegroundInfo> {
    return (await this.adb.foreground()) ?? { packageName: '', activity: '' };
  }

  async spawn(pkg: string, options: SpawnOptions): Promise<AppSession> {
    const frida = await (this.options.loadFrida ?? loadFrida)();
    // Once per run: the server that answers must be the package's version, whatever is on disk.
    this.serverChecked ??= (async () => {
      const want = this.options.fridaVersion ?? installedFridaVersion() ?? pinnedFridaVersion();
      await checkRunningFridaServer(this.adb, want);
    })();
    try {
      await this.serverChecked;
    } catch (err) {
      this.serverChecked = undefined;
      throw err;
    }
    let device: Awaited<ReturnType<FridaModule['getDevice']>>;
    try {
      device = await frida.getDevice(this.serial, { timeout: 5_000 });
    } catch (err) {
      throw new DeviceError(
        `${this.serial}: frida cannot reach the device (${errorMessage(err)}): run \`overreach device prepare\``,
        { cause: err },
      );
    }
    // Frida's spawn stops a running instance; its old session must not stay attached (its gating
    // handlers would adopt the new app's helpers a second time).
    for (const old of [...this.sessions]) {
      if (old.packageName !== pkg) continue;
      this.sessions.delete(old);
      await old
        .detach()
        .catch((err: unknown) => log.warn(`${pkg}: detaching the old session: ${errorMessage(err)}`));
    }
    const session = await FridaAppSession.spawn(device, pkg, options);
    this.sessions.add(session);
    return session;
  }

  async watchCrashes(onEvent?: (event: CrashEvent) => void): Promise<CrashWatch> {
    const spawnAdb: ProcessSpawner =
      this.options.spawnAdb ??
      ((args) => spawnProcess(adbBinary(), args, { stdio: ['ignore', 'pipe', 'ignore'] }));
    // -v year/UTC make the stamps absolute; -T 1 starts at the newest line instead of replaying the buffer.
    const proc = spawnAdb([
      '-s',
      this.serial,
      'logcat',
      '-v',
      'threadtime',
      '-v',
      'year',
      '-v',
      'UTC',
      '-T',
      '1',
    ]);
    const events: CrashEvent[] = [];
    const collector = new CrashCollector((e) => {
      events.push(e);
      onEvent?.(e);
    });
    const splitter = new LineSplitter((line) => {
      const l = parseLogcatLine(line, { utc: true });
      if (l) collector.feed(l);
    });
    proc.stdout?.on('data', (chunk: Buffer | string) => splitter.push(chunk.toString()));
    let running = true;
    const exited = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        running = false;
        splitter.end();
        collector.flush();
        resolve();
      });
    });
    const watch: CrashWatch = {
      events: () => [...events],
      stop: async () => {
        this.watches.delete(watch);
        if (running) proc.kill('SIGTERM');
        await exited;
      },
    };
    this.watches.add(watch);
    return watch;
  }

  async ui(): Promise<UiDriver> {
    let endpoint: ReturnType<typeof parseAppiumUrl>;
    if (this.options.appiumUrl) endpoint = parseAppiumUrl(this.options.appiumUrl);
    else {
      this.appium ??= await AppiumServer.start();
      endpoint = this.appium.endpoint;
    }
    const caps = uiautomator2Capabilities({
      serial: this.serial,
      ...(this.options.skipUia2Install ? { skipServerInstallation: true } : {}),
      helpersInstalled: await this.appiumHelpersInstalled(),
    });
    const driver = await AppiumUiDriver.connect(endpoint, caps);
    this.uis.add(driver);
    return driver;
  }

  /** Why native hooks miss the app's native code on this device (native bridge), if they do. */
  async nativeCoverage(pkg: string): Promise<string | undefined> {
    const p = await this.getprops();
    const out = await this.adb.shell(`dumpsys package ${checkPackageName(pkg)}`);
    return nativeCoverageNote(
      p.get('ro.product.cpu.abi') ?? '',
      p.get('ro.dalvik.vm.native.bridge'),
      parsePrimaryCpuAbi(out),
    );
  }

  /**
   * io.appium.settings and the UiAutomator2 server of the version this project ships are on the
   * device: the session can skip device initialisation (which would start the settings helper
   * and steal focus from the app) and the server installation.
   */
  async appiumHelpersInstalled(): Promise<boolean> {
    // An older helper would be updated by the skipped initialisation: then do not skip it.
    const helpers: [string, string][] = [
      [SETTINGS_HELPER_ID, 'io.appium.settings'],
      [UIA2_SERVER_ID, 'appium-uiautomator2-server'],
    ];
    try {
      for (const [id, npmName] of helpers) {
        const want = bundledHelperVersion(npmName);
        const have = (await this.adb.dumpsysPackage(id)).versionName;
        if (want === undefined || have !== want) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const step = async (what: string, fn: () => Promise<void>) => {
      await fn().catch((err: unknown) => log.warn(`${this.serial}: closing ${what}: ${errorMessage(err)}`));
    };
    for (const s of this.sessions) await step('frida session', () => s.detach());
    for (const w of [...this.watches]) await step('logcat', () => w.stop());
    for (const u of this.uis) await step('ui session', () => u.close());
    if (this.appium) await step('appium', () => this.appium?.stop() ?? Promise.resolve());
    this.sessions.clear();
    this.uis.clear();
    this.appium = undefined;
  }
}
