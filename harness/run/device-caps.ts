// Optional device features beyond the Device interface, found by duck typing so the runner
// works on any backend: the simulated device's clock and `activate`, a shell for `monkey`.

import { checkPackageName } from '../device/android/adb.ts';
import type { Device } from '../device/types.ts';
import type { SimClock } from '../simulation/device/clock.ts';

export interface DeviceCaps {
  /** The simulated device's clock (agent time = this clock). */
  simClock?: SimClock;
  /** Brings a running app back to the front (recent apps) or starts it. */
  activate?: (pkg: string) => Promise<void>;
  /** `adb shell <command>` on a real device. */
  shell?: (command: string) => Promise<string>;
  /** Launcher label of an installed app, when the device knows it. */
  label?: (pkg: string) => string | undefined;
  /** Why native hooks miss the app's native code on this device (an ARM-only app on x86_64). */
  nativeCoverage?: (pkg: string) => Promise<string | undefined>;
}

function isClock(v: unknown): v is SimClock {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c['now'] === 'function' &&
    typeof c['sleep'] === 'function' &&
    typeof c['setTimeout'] === 'function'
  );
}

type Fn = (...args: never[]) => unknown;

function method<T extends Fn>(obj: object, name: string): T | undefined {
  const v = (obj as Record<string, unknown>)[name];
  return typeof v === 'function' ? ((v as T).bind(obj) as T) : undefined;
}

export function deviceCaps(device: Device): DeviceCaps {
  const d = device as unknown as Record<string, unknown>;
  const caps: DeviceCaps = {};
  if (isClock(d['clock'])) caps.simClock = d['clock'];
  const activate = method<(pkg: string) => Promise<void>>(device, 'activate');
  if (activate) caps.activate = activate;
  // AndroidDevice exposes its Adb as `adb` (adb.shell); a backend may offer shell() itself.
  const adb = d['adb'];
  const shell =
    method<(command: string) => Promise<unknown>>(device, 'shell') ??
    (typeof adb === 'object' && adb !== null
      ? method<(command: string) => Promise<unknown>>(adb, 'shell')
      : undefined);
  if (shell) caps.shell = async (command) => String(await shell(command));
  if (!caps.activate && shell) {
    // The launcher intent brings the app's existing task to the front (or starts it).
    caps.activate = async (pkg) => {
      await shell(`monkey -p ${checkPackageName(pkg)} -c android.intent.category.LAUNCHER 1`);
    };
  }
  const native = method<(pkg: string) => Promise<string | undefined>>(device, 'nativeCoverage');
  if (native) caps.nativeCoverage = native;
  const model = method<(pkg: string) => { label?: string }>(device, 'model');
  if (model) {
    caps.label = (pkg) => {
      try {
        return model(pkg).label;
      } catch {
        return undefined;
      }
    };
  }
  return caps;
}
