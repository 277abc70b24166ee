// The WebdriverIO service against a simulated Appium (issue 10, behaviour 10): the suite's own
// capabilities reach UiAutomator2 after the service spawned the app under the agent. Caps that
// make Appium reset, relaunch or stop the app (fullReset, fastReset, forceAppLaunch,
// shouldTerminateApp …) would lose the instrumented app; the service neutralises them, and keeps
// UiAutomator2's session start from stealing focus once its helpers are installed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../harness/simulation/apps/sim-app.ts';
import { uia2SessionPlan } from '../harness/simulation/device/appium-session.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { OverreachService, type WdioCapabilities } from '../harness/wdio/service.ts';
import { DEMO_MODEL, PKG, tempDir } from './fixtures/run/sim-run.ts';

describe('uia2SessionPlan (UiAutomator2 driver behaviour)', () => {
  const state = { installed: true, running: true };
  it('defaults reset and relaunch the app; noReset + autoLaunch false attach', () => {
    expect(uia2SessionPlan({ 'appium:appPackage': PKG }, state)).toEqual({
      start: ['settings-helper', 'force-stop', 'clear-data', 'force-stop', 'launch-uninstrumented'],
      end: ['force-stop'],
    });
    expect(
      uia2SessionPlan(
        {
          'appium:appPackage': PKG,
          'appium:noReset': true,
          'appium:autoLaunch': false,
          'appium:skipDeviceInitialization': true,
        },
        state,
      ),
    ).toEqual({ start: [], end: [] });
    expect(uia2SessionPlan({ 'appium:noReset': true, 'appium:fullReset': true }, state).error).toMatch(
      /mutually exclusive/,
    );
  });
});

describe('OverreachService neutralises capabilities that would reset the spawned app', () => {
  it('the instrumented app survives the suite session start and end', async () => {
    const dir = tempDir();
    const device = new SimDevice({
      clock: 'virtual',
      agentPath: (await buildFreshBundles()).sim,
      appiumHelpers: true,
    });
    const events: SimEvent[] = [];
    device.onEvent((e) => events.push(e));
    const caps: WdioCapabilities = {
      platformName: 'Android',
      'appium:appPackage': PKG,
      'appium:appActivity': '.SplashActivity',
      'appium:fullReset': true,
      'appium:fastReset': true,
      'appium:forceAppLaunch': true,
      'appium:shouldTerminateApp': true,
      'appium:autoLaunch': true,
      'overreach:device': 'sim',
    };
    const service = new OverreachService(
      { db: join(dir, 'wdio.db'), install: DEMO_MODEL, openDevice: async () => device },
      caps,
      {},
    );
    await service.beforeSession({}, caps, ['a.spec.ts'], '0-0');
    const session = device.session(PKG);
    expect(session?.isResumed).toBe(true);
    // WebdriverIO now creates the Appium session with these capabilities.
    await device.startAppiumSession(caps);
    expect(session?.detachReason).toBeUndefined();
    expect(device.running(PKG)).toBe(session?.app);
    expect(events.filter((e) => e.type === 'background')).toEqual([]);
    await device.clock.sleep(5_000);
    await device.endAppiumSession(caps);
    expect(session?.detachReason).toBeUndefined();
    await service.afterSession();
    expect(session?.detachReason).toBe('application-requested');
  }, 60_000);
});
