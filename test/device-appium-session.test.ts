// Appium starting after the app (issue 10, behaviour 6). UiAutomator2's session start runs
// initDevice → pushSettingsApp → settingsApp.requireRunning, which starts io.appium.settings'
// launcher activity and waits until it is in front (appium-android-driver
// commands/device/utils.js); the activity finishes itself 1 s later (io.appium.settings
// Settings.java). An app already running is paused meanwhile: it looks backgrounded and its
// on-background / on-foreground code runs. The simulated device does the same; the run opens
// the UI session before the spawn and skips device initialisation once the helpers are installed.
import { describe, expect, it } from 'vitest';
import { Adb } from '../harness/device/android/adb.ts';
import { AndroidDevice } from '../harness/device/android/android-device.ts';
import {
  bundledHelperVersion,
  bundledUia2ServerVersion,
  uiautomator2Capabilities,
  WAIT_FOR_IDLE_MS,
} from '../harness/device/android/appium-ui.ts';
import type { SimEvent } from '../harness/simulation/apps/sim-app.ts';
import { DEMO_MODEL, PKG, rows, runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const HEAD = `app: { package: ${PKG}, model: $MODEL }\n`;

describe('the UiAutomator2 session start on the simulated device', () => {
  it('steals focus from a running app for 1 s: pause, background, on-background calls, then back', async () => {
    const device = await simDevice();
    await device.install(DEMO_MODEL);
    const events: SimEvent[] = [];
    device.onEvent((e) => events.push(e));
    const s = await device.spawn(PKG);
    await s.resume();
    await device.ui();
    expect((await device.foregroundActivity()).packageName).toBe('io.appium.settings');
    expect(events.filter((e) => e.type === 'background')).toHaveLength(1);
    await device.clock.sleep(1_000);
    // Back in front (under its own permission dialog, asked at start).
    expect((await device.foregroundActivity()).packageName).not.toBe('io.appium.settings');
    expect(device.running(PKG)?.foreground).toBe(true);
    expect(events.filter((e) => e.type === 'foreground').length).toBeGreaterThanOrEqual(2);
    // A second session on a device whose helpers are installed skips device initialisation.
    events.length = 0;
    await device.ui();
    expect(events.filter((e) => e.type === 'background')).toHaveLength(0);
    expect(device.uiSessions).toEqual({ opened: 2, settingsLaunches: 1 });
  });
});

describe('a run opens the UI session before the spawn', () => {
  it('no spurious pause/background of the app on a fresh device', async () => {
    const scenario = `name: no-spurious-background\n${HEAD}steps:\n  - launch: { clear-data: true }\n  - wait: 2s\n  - permission-dialog: { action: deny }\n  - consent\n  - wait: 5s\n`;
    const lifecycle = async (appiumHelpers: boolean) => {
      const device = await simDevice({ appiumHelpers });
      const events: SimEvent[] = [];
      device.onEvent((e) => events.push(e));
      const { result, store } = await runOnSim(scenario, { device });
      expect(result.status).toBe('completed');
      const hooks = rows<{ hook: string; step: string }>(
        store,
        "SELECT hook, step FROM v_events WHERE run = ? AND (hook LIKE 'lifecycle.%' OR api LIKE '%getRunningAppProcesses%' OR api LIKE '%getPrimaryClip%') ORDER BY time_ms, id",
        result.runId,
      );
      return { device, events, hooks };
    };
    // Baseline: a provisioned device, where the session start touches nothing.
    const quiet = await lifecycle(true);
    expect(quiet.device.uiSessions.settingsLaunches).toBe(0);
    const fresh = await lifecycle(false);
    expect(fresh.device.uiSessions.settingsLaunches).toBe(1);
    expect(fresh.events.filter((e) => e.type === 'background' && e.pkg === PKG)).toEqual([]);
    // Same lifecycle and on-background/on-foreground calls as on the provisioned device.
    expect(fresh.hooks).toEqual(quiet.hooks);
    expect(fresh.hooks.filter((h) => h.hook === 'lifecycle.activity-on-resume').length).toBeGreaterThan(0);
  });
});

describe('UiAutomator2 capabilities', () => {
  it('attach without reset; skip device initialisation and server install once helpers are there; short idle wait', () => {
    const fresh = uiautomator2Capabilities({ serial: 'emulator-5554' });
    expect(fresh).toMatchObject({
      'appium:noReset': true,
      'appium:autoLaunch': false,
      'appium:dontStopAppOnReset': true,
      'appium:skipDeviceInitialization': false,
      'appium:skipServerInstallation': false,
      'appium:settings[waitForIdleTimeout]': WAIT_FOR_IDLE_MS,
    });
    const ready = uiautomator2Capabilities({ serial: 'emulator-5554', helpersInstalled: true });
    expect(ready['appium:skipDeviceInitialization']).toBe(true);
    expect(ready['appium:skipServerInstallation']).toBe(true);
    expect(WAIT_FOR_IDLE_MS).toBeLessThanOrEqual(500);
  });

  it('knows the UiAutomator2 server version the installed driver ships', () => {
    expect(bundledUia2ServerVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('AndroidDevice: are the Appium helpers installed?', () => {
  const dump = (pkg: string, version: string) =>
    `Packages:\n  Package [${pkg}] (1a2b3c):\n    versionCode=1 minSdk=26 targetSdk=34\n    versionName=${version}\n`;
  function device(settings: string | undefined, server: string | undefined) {
    const answers: Record<string, string> = {};
    if (settings) answers['dumpsys package io.appium.settings'] = dump('io.appium.settings', settings);
    if (server)
      answers['dumpsys package io.appium.uiautomator2.server'] = dump(
        'io.appium.uiautomator2.server',
        server,
      );
    return new AndroidDevice(
      new Adb(async (args) => ({ stdout: answers[args[3] ?? ''] ?? '', stderr: '' }), 'emulator-5554'),
    );
  }
  const settings = bundledHelperVersion('io.appium.settings');
  const server = bundledUia2ServerVersion();

  it('yes only when both are there in the versions the driver ships', async () => {
    expect(settings).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await device(settings, server).appiumHelpersInstalled()).toBe(true);
    expect(await device(settings, '1.0.0').appiumHelpersInstalled()).toBe(false);
    expect(await device(undefined, server).appiumHelpersInstalled()).toBe(false);
  });
});
