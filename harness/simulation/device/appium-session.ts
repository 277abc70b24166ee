// What a UiAutomator2 session does to the device and the app under test, from its capabilities,
// as the driver sources do it (appium 3 / appium-uiautomator2-driver 8 / appium-android-driver 14):
//   base-driver createSession: noReset && fullReset → error; fastReset = !fullReset && !noReset
//   initDevice (unless skipDeviceInitialization): io.appium.settings launched to the front
//   initAUT: app+appPackage and (!noReset or not installed) → uninstall (unless skipUninstall) and
//            install; no app: fastReset && appPackage → resetAUT (force-stop + pm clear)
//   ensureAppStarts (autoLaunch && appPackage): noReset && !forceAppLaunch && running → nothing;
//            else startApp with stopApp = forceAppLaunch || !dontStopAppOnReset
//   deleteSession: appPackage && ((!dontStopAppOnReset && !noReset) || (noReset && shouldTerminateApp))
//            → force-stop; fullReset && !skipUninstall → uninstall
// The simulated device applies these effects (SimDevice.startAppiumSession), so a harness that
// lets Appium reset the app Frida spawned loses the app, as on a device.

export type AppiumEffect =
  | 'settings-helper'
  | 'force-stop'
  | 'clear-data'
  | 'reinstall'
  | 'launch-uninstrumented'
  | 'uninstall';

export interface AppiumSessionPlan {
  /** The session is refused (SessionNotCreatedError). */
  error?: string;
  start: AppiumEffect[];
  end: AppiumEffect[];
}

function cap(caps: Record<string, unknown>, name: string): unknown {
  return caps[`appium:${name}`] ?? caps[name];
}

const on = (v: unknown) => v === true || v === 'true';

export function uia2SessionPlan(
  caps: Record<string, unknown>,
  state: { installed: boolean; running: boolean },
): AppiumSessionPlan {
  const noReset = on(cap(caps, 'noReset'));
  const fullReset = on(cap(caps, 'fullReset'));
  if (noReset && fullReset)
    return {
      error:
        "The 'noReset' and 'fullReset' capabilities are mutually exclusive and should not both be set to true",
      start: [],
      end: [],
    };
  const fastReset = !fullReset && !noReset;
  const skipUninstall = fastReset || noReset;
  const app = cap(caps, 'app');
  const pkg = cap(caps, 'appPackage');
  const autoLaunch = cap(caps, 'autoLaunch') === undefined ? true : on(cap(caps, 'autoLaunch'));
  const start: AppiumEffect[] = [];
  const end: AppiumEffect[] = [];
  if (!on(cap(caps, 'skipDeviceInitialization'))) start.push('settings-helper');
  if (app && pkg) {
    if (!noReset || !state.installed) start.push(skipUninstall ? 'force-stop' : 'reinstall');
  } else if (fastReset && pkg && state.installed) start.push('force-stop', 'clear-data');
  if (autoLaunch && pkg) {
    const forceAppLaunch = on(cap(caps, 'forceAppLaunch'));
    const running = state.running && !start.some((e) => e !== 'settings-helper');
    if (!(noReset && !forceAppLaunch && running)) {
      if (forceAppLaunch || !on(cap(caps, 'dontStopAppOnReset'))) start.push('force-stop');
      start.push('launch-uninstrumented');
    }
  }
  if (pkg) {
    const dontStop = on(cap(caps, 'dontStopAppOnReset'));
    if ((!dontStop && !noReset) || (noReset && on(cap(caps, 'shouldTerminateApp')))) end.push('force-stop');
    if (fullReset && !skipUninstall) end.push('uninstall');
  }
  return { start, end };
}

/** The app package a session's capabilities name. */
export function appiumPackage(caps: Record<string, unknown>): string | undefined {
  const v = caps['appium:appPackage'] ?? caps['appPackage'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** What the simulated device offers the effects. */
export interface AppiumTarget {
  showSettingsHelper(): void;
  installed(pkg: string): boolean;
  forceStop(pkg: string): void;
  clearData(pkg: string): Promise<void>;
  uninstall(pkg: string): Promise<void>;
  /** startApp from the launcher: an app started this way runs WITHOUT the agent. */
  launch(pkg: string): Promise<void>;
}

export async function applyAppiumEffects(
  target: AppiumTarget,
  effects: readonly AppiumEffect[],
  pkg: string | undefined,
): Promise<void> {
  for (const e of effects) {
    if (e === 'settings-helper') target.showSettingsHelper();
    else if (pkg === undefined || !target.installed(pkg)) continue;
    else if (e === 'force-stop') target.forceStop(pkg);
    else if (e === 'clear-data' || e === 'reinstall') await target.clearData(pkg);
    else if (e === 'uninstall') await target.uninstall(pkg);
    else await target.launch(pkg);
  }
}
