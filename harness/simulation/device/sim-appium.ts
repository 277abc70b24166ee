// UiAutomator2 sessions on the simulated device, opened by the harness's UI driver or by Appium
// used directly (a WebdriverIO suite): what each session's start and end do to the app
// (appium-session.ts), whether Appium's helper apps are installed yet, and how many sessions ran.

import { uiautomator2Capabilities } from '../../device/android/appium-ui.ts';
import { DeviceError } from '../../errors.ts';
import {
  type AppiumEffect,
  type AppiumTarget,
  appiumPackage,
  applyAppiumEffects,
  uia2SessionPlan,
} from './appium-session.ts';
import type { SimUiDriver } from './sim-ui-driver.ts';

/** What the sessions need of the device. */
export interface AppiumHost extends Omit<AppiumTarget, 'showSettingsHelper'> {
  readonly serial: string;
  running(pkg: string): boolean;
  /** False when the helper is already in front (not launched again). */
  showSettingsHelper(): boolean;
  /** The device's UI driver, handed to an opened session. */
  driver(): SimUiDriver;
}

export class SimAppium {
  /** UI sessions opened, and those whose start put the settings helper in front. */
  readonly sessions = { opened: 0, settingsLaunches: 0 };
  private readonly target: AppiumTarget;

  constructor(
    private readonly host: AppiumHost,
    /** io.appium.settings and the UiAutomator2 server are installed (the first session does it). */
    private helpers: boolean,
  ) {
    this.target = {
      showSettingsHelper: () => {
        if (host.showSettingsHelper()) this.sessions.settingsLaunches++;
      },
      installed: (p) => host.installed(p),
      forceStop: (p) => host.forceStop(p),
      clearData: (p) => host.clearData(p),
      uninstall: (p) => host.uninstall(p),
      launch: (p) => host.launch(p),
    };
  }

  get helpersInstalled(): boolean {
    return this.helpers;
  }

  /** A session with the capabilities the real backend would send (uiautomator2Capabilities). */
  open(): Promise<SimUiDriver> {
    return this.start(uiautomator2Capabilities({ serial: this.host.serial, helpersInstalled: this.helpers }));
  }

  /** A session with these capabilities starts: refused, or its start effects happen. */
  async start(caps: Record<string, unknown>): Promise<SimUiDriver> {
    const pkg = appiumPackage(caps);
    const plan = uia2SessionPlan(caps, {
      installed: pkg !== undefined && this.host.installed(pkg),
      running: pkg !== undefined && this.host.running(pkg),
    });
    if (plan.error) throw new DeviceError(`appium session not created: ${plan.error}`);
    this.helpers = true;
    this.sessions.opened++;
    await this.apply(plan.start, pkg);
    return this.host.driver();
  }

  /** The session with these capabilities ends (deleteSession). */
  async end(caps: Record<string, unknown>): Promise<void> {
    const pkg = appiumPackage(caps);
    await this.apply(uia2SessionPlan(caps, { installed: true, running: true }).end, pkg);
  }

  private apply(effects: readonly AppiumEffect[], pkg: string | undefined): Promise<void> {
    return applyAppiumEffects(this.target, effects, pkg);
  }
}
