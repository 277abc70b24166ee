// The Device's UI driver on a real device: a WebdriverIO session against Appium (UiAutomator2)
// that ATTACHES to whatever is on screen. The app under test is started by Frida (suspended,
// agent loaded), so the session must neither launch, reinstall nor stop it:
//   appium:noReset            never clear data or reinstall the app
//   appium:autoLaunch false   do not start an app at session start
//   appium:dontStopAppOnReset do not force-stop the (instrumented) app at session start/end
//   appium:skipServerInstallation only when the UiAutomator2 server APKs are already on the device
//                             (saves ~10 s per session; off by default so a fresh device works)
//   appium:skipDeviceInitialization once the helpers are installed: without it every session
//                             start runs initDevice → pushSettingsApp → settingsApp.requireRunning,
//                             which STARTS io.appium.settings' launcher activity and waits until it
//                             is in the foreground (appium-android-driver commands/device/utils.js,
//                             io.appium.settings client.js): the app under test is paused and looks
//                             backgrounded. The run also opens the session before the spawn.
//   appium:settings[waitForIdleTimeout] small: UiAutomator waits up to 10 s for an idle
//                             accessibility stream before each lookup; animated apps never idle.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'webdriverio';
import { DeviceError, errorMessage, InputError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type { Bounds, Locator, Point, TapTarget, UiDriver, UiElement } from '../types.ts';
import type { AppiumEndpoint } from './appium-server.ts';

const log = createLog('appium-ui');

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export interface Uia2CapabilityOptions {
  serial: string;
  skipServerInstallation?: boolean;
  /** io.appium.settings and the UiAutomator2 server are installed: skip device initialisation. */
  helpersInstalled?: boolean;
  newCommandTimeoutSec?: number;
  /** UiAutomator2's waitForIdleTimeout setting in ms (default WAIT_FOR_IDLE_MS). */
  waitForIdleMs?: number;
}

/**
 * The version of a helper APK the installed driver ships (its own, possibly nested, npm
 * dependency: 'appium-uiautomator2-server' or 'io.appium.settings'); the APKs' versionName is the
 * npm version (aapt dump badging). Both packages export ./package.json, nothing else by require.
 */
export function bundledHelperVersion(npmName: string): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const driver = req.resolve('appium-uiautomator2-driver/package.json');
    const pkg = createRequire(driver).resolve(`${npmName}/package.json`);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The UiAutomator2 server version the installed driver ships. */
export function bundledUia2ServerVersion(): string | undefined {
  return bundledHelperVersion('appium-uiautomator2-server');
}

/** Long enough for a transition to settle, short enough that an animated game does not stall every action. */
export const WAIT_FOR_IDLE_MS = 100;

/** The Appium settings helper UiAutomator2 starts at session start (io.appium.settings SETTINGS_HELPER_ID). */
export const SETTINGS_HELPER_ID = 'io.appium.settings';
export const SETTINGS_HELPER_ACTIVITY = 'io.appium.settings.Settings';
export const UIA2_SERVER_ID = 'io.appium.uiautomator2.server';

export type Capabilities = Record<string, string | number | boolean>;

export function uiautomator2Capabilities(o: Uia2CapabilityOptions): Capabilities {
  return {
    platformName: 'Android',
    'appium:automationName': 'UiAutomator2',
    'appium:udid': o.serial,
    'appium:noReset': true,
    'appium:autoLaunch': false,
    'appium:dontStopAppOnReset': true,
    'appium:skipServerInstallation': o.skipServerInstallation ?? o.helpersInstalled ?? false,
    'appium:skipDeviceInitialization': o.helpersInstalled ?? false,
    'appium:newCommandTimeout': o.newCommandTimeoutSec ?? 600,
    'appium:settings[waitForIdleTimeout]': o.waitForIdleMs ?? WAIT_FOR_IDLE_MS,
  };
}

/** Maps our locator to a W3C/Appium strategy. Text goes through XPath so every driver supports it. */
export function toStrategy(loc: Locator): { using: string; value: string } {
  switch (loc.by) {
    case 'text':
      return { using: 'xpath', value: `//*[@text=${xpathLiteral(loc.value)}]` };
    case 'id':
      return { using: 'id', value: loc.value };
    case 'accessibility-id':
      return { using: 'accessibility id', value: loc.value };
    case 'class':
      return { using: 'class name', value: loc.value };
    case 'xpath':
      return { using: 'xpath', value: loc.value };
    default:
      throw new InputError(`unknown locator strategy '${String((loc as { by: unknown }).by)}'`);
  }
}

/** An XPath string literal for any text (concat() when it holds both quote kinds). */
export function xpathLiteral(s: string): string {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `concat(${s
    .split('"')
    .map((p) => `"${p}"`)
    .join(`, '"', `)})`;
}

function isPoint(t: TapTarget): t is Point {
  return 'x' in t && 'y' in t;
}

function isLocator(t: TapTarget): t is Locator {
  return 'by' in t && 'value' in t;
}

function center(b: Bounds): Point {
  return { x: Math.round((b[0] + b[2]) / 2), y: Math.round((b[1] + b[3]) / 2) };
}

export class AppiumUiDriver implements UiDriver {
  private closed = false;

  constructor(private readonly browser: Browser) {}

  /** Opens a WebdriverIO session on an Appium server. */
  static async connect(endpoint: AppiumEndpoint, capabilities: Capabilities): Promise<AppiumUiDriver> {
    const { remote } = await import('webdriverio');
    try {
      const browser = await remote({
        protocol: 'http',
        hostname: endpoint.hostname,
        port: endpoint.port,
        path: endpoint.path,
        logLevel: 'silent',
        connectionRetryCount: 0,
        capabilities,
      });
      return new AppiumUiDriver(browser);
    } catch (err) {
      throw new DeviceError(
        `appium session on ${endpoint.hostname}:${endpoint.port} failed: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
  }

  get sessionId(): string {
    return this.browser.sessionId;
  }

  private async wrap<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new DeviceError('appium ui driver: session closed');
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DeviceError || err instanceof InputError) throw err;
      throw new DeviceError(`appium ${what}: ${errorMessage(err).split('\n')[0]}`, { cause: err });
    }
  }

  private async ids(loc: Locator): Promise<string[]> {
    const { using, value } = toStrategy(loc);
    const refs = (await this.browser.findElements(using, value)) as unknown as Record<string, string>[];
    return refs.map((r) => r[ELEMENT_KEY] ?? '').filter(Boolean);
  }

  private async snapshot(id: string): Promise<UiElement> {
    const b = this.browser;
    const attr = async (name: string) => {
      try {
        return String((await b.getElementAttribute(id, name)) ?? '');
      } catch {
        return '';
      }
    };
    // W3C element text: UiAutomator2 returns the text attribute, other drivers the typed value.
    const text = async () => String((await b.getElementText(id).catch(() => '')) || (await attr('text')));
    const [txt, resourceId, contentDesc, cls, pkg, clickable, checked, enabled, rect] = await Promise.all([
      text(),
      attr('resource-id'),
      attr('content-desc'),
      attr('class'),
      attr('package'),
      attr('clickable'),
      attr('checked'),
      attr('enabled'),
      b.getElementRect(id),
    ]);
    const className = cls || (await b.getElementTagName(id).catch(() => ''));
    const bounds: Bounds = [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height];
    return {
      elementId: id,
      className,
      text: txt,
      resourceId,
      contentDesc,
      packageName: pkg,
      clickable: clickable === 'true',
      checked: checked === 'true',
      enabled: enabled !== 'false',
      bounds,
    };
  }

  findAll(loc: Locator): Promise<UiElement[]> {
    return this.wrap('find', async () => Promise.all((await this.ids(loc)).map((id) => this.snapshot(id))));
  }

  find(loc: Locator): Promise<UiElement | null> {
    return this.wrap('find', async () => {
      const [first] = await this.ids(loc);
      return first ? this.snapshot(first) : null;
    });
  }

  async waitFor(loc: Locator, timeoutMs: number): Promise<UiElement | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const el = await this.find(loc);
      if (el || Date.now() >= deadline) return el;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async elementId(target: UiElement | Locator): Promise<string> {
    if (!isLocator(target)) return target.elementId;
    const [id] = await this.ids(target);
    if (!id) throw new DeviceError(`no element found by ${target.by} '${target.value}'`);
    return id;
  }

  private async point(target: TapTarget): Promise<Point> {
    if (isPoint(target)) return target;
    const id = await this.elementId(target);
    const r = await this.browser.getElementRect(id);
    return center([r.x, r.y, r.x + r.width, r.y + r.height]);
  }

  private async pointer(steps: Record<string, unknown>[]): Promise<void> {
    await this.browser.performActions([
      { type: 'pointer', id: 'finger1', parameters: { pointerType: 'touch' }, actions: steps },
    ]);
    await this.browser.releaseActions();
  }

  tap(target: TapTarget): Promise<void> {
    return this.wrap('tap', async () => {
      if (isPoint(target)) {
        await this.pointer([
          { type: 'pointerMove', duration: 0, x: target.x, y: target.y },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ]);
        return;
      }
      await this.browser.elementClick(await this.elementId(target));
    });
  }

  longPress(target: TapTarget, durationMs = 1000): Promise<void> {
    return this.wrap('long-press', async () => {
      const p = await this.point(target);
      await this.pointer([
        { type: 'pointerMove', duration: 0, x: p.x, y: p.y },
        { type: 'pointerDown', button: 0 },
        { type: 'pause', duration: durationMs },
        { type: 'pointerUp', button: 0 },
      ]);
    });
  }

  type(target: TapTarget, text: string, clear = true): Promise<void> {
    return this.wrap('type', async () => {
      if (isPoint(target)) throw new DeviceError('type needs an element or a locator, not a point');
      const id = await this.elementId(target);
      if (clear) await this.browser.elementClear(id);
      await this.browser.elementSendKeys(id, text);
    });
  }

  swipe(from: Point, to: Point, durationMs = 300): Promise<void> {
    return this.wrap('swipe', () =>
      this.pointer([
        { type: 'pointerMove', duration: 0, x: from.x, y: from.y },
        { type: 'pointerDown', button: 0 },
        { type: 'pointerMove', duration: durationMs, x: to.x, y: to.y },
        { type: 'pointerUp', button: 0 },
      ]),
    );
  }

  /** W3C back (UiAutomator2 presses the Back key). */
  back(): Promise<void> {
    return this.wrap('back', () => this.browser.back());
  }

  /** KEYCODE_HOME (3) through UiAutomator2's `mobile: pressKey`. */
  home(): Promise<void> {
    return this.wrap('home', async () => {
      await this.browser.executeScript('mobile: pressKey', [{ keycode: 3 }]);
    });
  }

  pageSource(): Promise<string> {
    return this.wrap('page source', () => this.browser.getPageSource());
  }

  screenshot(): Promise<Buffer> {
    return this.wrap('screenshot', async () => Buffer.from(await this.browser.takeScreenshot(), 'base64'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.browser.deleteSession();
    } catch (err) {
      log.warn(`ending appium session: ${errorMessage(err)}`);
    }
  }
}
