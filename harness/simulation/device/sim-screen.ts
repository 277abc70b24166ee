// What is in front on the simulated device — an app, the launcher, the browser an app opened,
// or io.appium.settings started by a UI session — the windows it shows, and the back and home
// keys. The device owns apps and processes; the screen asks it through ScreenHost.

import type { AppModel } from '../apps/model-types.ts';
import type { SimApp } from '../apps/sim-app.ts';
import {
  appWindows,
  browserWindow,
  launcherWindow,
  permissionWindow,
  settingsHelperWindow,
} from './app-windows.ts';
import type { SimClock } from './clock.ts';
import type { UiWindow } from './ui-tree.ts';

type Front =
  | { kind: 'launcher' }
  | { kind: 'app'; pkg: string }
  | { kind: 'browser'; url: string; from: string }
  /** UiAutomator2's session start launched io.appium.settings over `under`; it finishes after 1 s. */
  | { kind: 'settings-helper'; under: Front };

/** io.appium.settings' Settings activity finishes itself 1000 ms after onCreate (Settings.java). */
const SETTINGS_HELPER_MS = 1000;

/** What the screen needs of the device. */
export interface ScreenHost {
  readonly clock: SimClock;
  readonly apiLevel: number;
  /** The installed apps in install order: the launcher's icons. */
  apps(): AppModel[];
  running(pkg: string): SimApp | undefined;
  /** A tap on the icon of an app that is not running: the device cold-starts it. */
  coldStart(pkg: string): void;
}

export class SimScreen {
  private front: Front = { kind: 'launcher' };

  constructor(private readonly host: ScreenHost) {}

  /** The windows on screen, bottom first; the last one has input focus. */
  windows(): UiWindow[] {
    const front = this.front;
    if (front.kind === 'browser') return [browserWindow(front.url)];
    if (front.kind === 'settings-helper') return [settingsHelperWindow()];
    if (front.kind === 'launcher') {
      const apps = this.host.apps().map((m) => ({
        label: m.label,
        open: () => this.launch(m.packageName),
      }));
      return [launcherWindow(apps)];
    }
    const app = this.host.running(front.pkg);
    if (!app) return [];
    const out = appWindows(app);
    const ask = app.currentAsk();
    const perm = ask?.queue[0];
    if (perm)
      out.push(permissionWindow(app.model.label, perm, (allow) => app.answer(allow), this.host.apiLevel));
    return out;
  }

  /** The app's session resumed: its activity is in front. */
  showApp(pkg: string): void {
    this.front = { kind: 'app', pkg };
  }

  /** The app opened an external link: the browser comes to the front. */
  showBrowser(url: string, from: string): void {
    this.front = { kind: 'browser', url, from };
  }

  /** The app's last activity finished or its process died: the launcher comes to the front. */
  leaveApp(pkg: string): void {
    if (this.front.kind === 'app' && this.front.pkg === pkg) this.front = { kind: 'launcher' };
  }

  /**
   * UiAutomator2's initDevice: pushSettingsApp → settingsApp.requireRunning starts the helper's
   * launcher activity and waits until it is in front. The app in front is paused (it looks
   * backgrounded, its on-background code runs) until the helper finishes and it resumes.
   * False when the helper is already in front (not launched again).
   */
  showSettingsHelper(): boolean {
    const under = this.front;
    if (under.kind === 'settings-helper') return false;
    if (under.kind === 'app') this.host.running(under.pkg)?.toBackground();
    this.front = { kind: 'settings-helper', under };
    this.host.clock.setTimeout(() => {
      // Something else came to the front meanwhile (an app launch): it stays there.
      if (this.front.kind !== 'settings-helper') return;
      this.front = under;
      if (under.kind === 'app') {
        const app = this.host.running(under.pkg);
        if (app) app.launch();
        else this.front = { kind: 'launcher' };
      }
    }, SETTINGS_HELPER_MS);
    return true;
  }

  /** The launcher's icon (or recent apps): a running app comes back to the front. */
  launch(pkg: string): void {
    const app = this.host.running(pkg);
    if (app) {
      this.front = { kind: 'app', pkg };
      app.launch();
      return;
    }
    // Not running: a cold start (the harness normally spawns it itself to load the agent first).
    this.host.coldStart(pkg);
  }

  /** Back key: the browser returns to the app that opened it; otherwise the app handles it. */
  pressBack(): void {
    const front = this.front;
    if (front.kind === 'browser') {
      const app = this.host.running(front.from);
      this.front = app ? { kind: 'app', pkg: front.from } : { kind: 'launcher' };
      app?.launch();
    } else if (front.kind === 'app') this.host.running(front.pkg)?.back();
  }

  pressHome(): void {
    if (this.front.kind === 'app') this.host.running(this.front.pkg)?.toBackground();
    this.front = { kind: 'launcher' };
  }
}
