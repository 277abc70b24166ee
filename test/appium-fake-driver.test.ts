// A REAL Appium 3 server (started here on a free loopback port, drivers found through
// APPIUM_HOME = project root) with @appium/fake-driver, driven through AppiumUiDriver.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppiumServer } from '../harness/device/android/appium-server.ts';
import { AppiumUiDriver } from '../harness/device/android/appium-ui.ts';
import { DeviceError } from '../harness/errors.ts';

const APP = fileURLToPath(new URL('./fixtures/device/fake-app.xml', import.meta.url));

describe('AppiumUiDriver against a real Appium server with the fake driver', () => {
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
  }, 120_000);

  afterAll(async () => {
    await ui?.close();
    await server?.stop();
  });

  it('starts a session on loopback', () => {
    expect(server.endpoint.hostname).toBe('127.0.0.1');
    expect(ui.sessionId).toMatch(/^[0-9a-f-]{8,}$/);
  });

  it('finds by resource id, accessibility id, class and XPath text', async () => {
    const byId = await ui.find({ by: 'id', value: 'com.example.shop:id/login' });
    expect(byId?.bounds).toEqual([40, 300, 440, 420]);
    const byAcc = await ui.find({ by: 'accessibility-id', value: 'com.example.shop:id/username' });
    expect(byAcc?.className).toBe('MockInputField');
    const items = await ui.findAll({ by: 'class', value: 'MockListItem' });
    expect(items).toHaveLength(2);
    const byText = await ui.findAll({ by: 'text', value: 'Agree & continue' });
    expect(byText).toHaveLength(1);
    expect(byText[0]?.bounds).toEqual([40, 480, 440, 600]);
    expect(await ui.find({ by: 'text', value: 'No such button' })).toBeNull();
  });

  it('taps elements; a locator matching nothing is a DeviceError', async () => {
    await ui.tap({ by: 'id', value: 'com.example.shop:id/login' });
    await ui.tap({ by: 'id', value: 'com.example.shop:id/login' });
    await expect(ui.tap({ by: 'text', value: 'Missing' })).rejects.toThrow(DeviceError);
  });

  it('types into an input field (and refuses a button)', async () => {
    const field = { by: 'id', value: 'com.example.shop:id/username' } as const;
    await ui.type(field, 'alice');
    expect((await ui.find(field))?.text).toBe('alice');
    await ui.type(field, 'bob');
    expect((await ui.find(field))?.text).toBe('bob');
    await expect(ui.type({ by: 'id', value: 'com.example.shop:id/login' }, 'x')).rejects.toThrow(DeviceError);
  });

  it('performs pointer gestures (tap at a point, long-press, swipe)', async () => {
    await ui.tap({ x: 100, y: 100 });
    await ui.longPress({ by: 'id', value: 'com.example.shop:id/login' }, 600);
    await ui.swipe({ x: 500, y: 1500 }, { x: 500, y: 800 }, 200);
  });

  it('returns the page source and a PNG screenshot', async () => {
    const src = await ui.pageSource();
    expect(src).toContain('com.example.shop:id/consent');
    const png = await ui.screenshot();
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('sends back as W3C POST /back (the fake driver answers "not implemented"; UiAutomator2 presses Back)', async () => {
    await expect(ui.back()).rejects.toThrow(/^appium back: .*not yet been implemented/);
  });

  it('a tap really reaches the app: the consent button opens an alert that blocks the next tap', async () => {
    await ui.tap({ by: 'text', value: 'Agree & continue' });
    await expect(ui.tap({ by: 'id', value: 'com.example.shop:id/login' })).rejects.toThrow(
      /modal dialog was open/,
    );
  });

  it('ends the session; later calls fail with DeviceError', async () => {
    await ui.close();
    await expect(ui.pageSource()).rejects.toThrow(/session closed/);
  });
});
