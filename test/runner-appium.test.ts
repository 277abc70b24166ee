// The runner's UI steps against a REAL Appium server with @appium/fake-driver: the scenario runs
// through runScenario exactly as on a device; only the device's UI driver is the Appium one
// (the agent side stays on a simulated device, since the fake driver has no Frida).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppiumServer } from '../harness/device/android/appium-server.ts';
import { AppiumUiDriver } from '../harness/device/android/appium-ui.ts';
import type { Device } from '../harness/device/types.ts';
import type { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { rows, runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const APP = fileURLToPath(new URL('./fixtures/device/fake-app.xml', import.meta.url));

/**
 * The simulated device for everything but the UI, which goes through Appium. The run closes the
 * UI driver at its end; this one stays open so the test can look at the session afterwards.
 */
function withAppiumUi(sim: SimDevice, ui: AppiumUiDriver): SimDevice {
  const keepOpen = new Proxy(ui, {
    get(target, prop) {
      if (prop === 'close') return async () => undefined;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const hybrid = Object.create(sim) as SimDevice;
  (hybrid as Device).ui = async () => keepOpen;
  return hybrid;
}

interface StepRow {
  kind: string;
  outcome: string;
  detail: string | null;
}

describe('runner UI steps through a real Appium server (fake driver)', () => {
  let server: AppiumServer;
  let ui: AppiumUiDriver;

  beforeAll(async () => {
    server = await AppiumServer.start({ startTimeoutMs: 90_000 });
    ui = await AppiumUiDriver.connect(server.endpoint, {
      platformName: 'Fake',
      'appium:automationName': 'Fake',
      'appium:deviceName': 'Fake',
      'appium:app': APP,
    });
  }, 150_000);

  afterAll(async () => {
    await ui?.close().catch(() => undefined);
    await server?.stop();
  });

  it('records wait-for, tap, type, long-press, swipe, screenshot and back with their outcomes', async () => {
    const device = withAppiumUi(await simDevice(), ui);
    const { result, store, dir } = await runOnSim(
      `name: appium-ui
app: { package: com.starfall.puzzle, model: $MODEL }
on-error: continue
steps:
  - launch
  - wait-for: { target: "id=com.example.shop:id/login", timeout: 5s }
  - tap: id=com.example.shop:id/login
  - type: { target: "id=com.example.shop:id/username", text: alice }
  - long-press: id=com.example.shop:id/login
  - swipe: up
  - screenshot: shop
  - back
  - tap: text=No such button
`,
      { device },
    );
    try {
      expect(result.status).toBe('completed');
      const steps = rows<StepRow>(
        store,
        'SELECT kind, outcome, detail FROM steps WHERE run_id = ? ORDER BY idx',
        result.runId,
      );
      expect(steps.map((s) => [s.kind, s.outcome])).toEqual([
        ['launch', 'ok'],
        ['wait-for', 'ok'],
        ['tap', 'ok'],
        ['type', 'ok'],
        ['long-press', 'ok'],
        ['swipe', 'ok'],
        ['screenshot', 'ok'],
        // the fake driver does not implement W3C back; the failure is recorded with its cause
        ['back', 'failed'],
        ['tap', 'failed'],
      ]);
      expect(steps[7]?.detail).toMatch(/back/);
      expect(steps[8]?.detail).toMatch(/No such button/);
      // the typed text really reached the Appium session
      expect((await ui.find({ by: 'id', value: 'com.example.shop:id/username' }))?.text).toBe('alice');
      expect(existsSync(join(dir, 'screenshots', 'shop.png'))).toBe(true);
    } finally {
      store.close();
    }
  });
});
