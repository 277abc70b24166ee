// The apps installed on the simulated device, as the package manager keeps them: each app's
// model (the simulator's APK), its data directory, runtime grants, the user's denials and the
// platform's AppOps record. Stopping a running app is the device's part (sim-device.ts).

import { DeviceError } from '../../errors.ts';
import type { AppModel } from '../apps/model-types.ts';
import type { AppData, AppHost } from '../apps/sim-app.ts';
import { AppOpsLog } from './app-ops.ts';

export interface InstalledApp {
  model: AppModel;
  data: AppData;
  granted: Set<string>;
  denials: Map<string, number>;
  ops: AppOpsLog;
}

const emptyData = (): AppData => ({ consent: false, toggles: new Map(), fields: new Map() });

export class InstalledApps {
  private readonly apps = new Map<string, InstalledApp>();

  constructor(private readonly serial: string) {}

  has(pkg: string): boolean {
    return this.apps.has(pkg);
  }

  find(pkg: string): InstalledApp | undefined {
    return this.apps.get(pkg);
  }

  get(pkg: string): InstalledApp {
    const a = this.apps.get(pkg);
    if (!a) throw new DeviceError(`${this.serial}: package ${pkg} is not installed`);
    return a;
  }

  /** In install order (the launcher shows them so). */
  models(): AppModel[] {
    return [...this.apps.values()].map((a) => a.model);
  }

  /** A new app starts with no data or grants; an update keeps them, as `adb install -r` does. */
  add(model: AppModel, grantAll: boolean): void {
    const prev = this.apps.get(model.packageName);
    if (prev) prev.model = model;
    else {
      this.apps.set(model.packageName, {
        model,
        data: emptyData(),
        granted: new Set(),
        denials: new Map(),
        ops: new AppOpsLog(),
      });
    }
    if (grantAll) for (const p of model.permissions) this.apps.get(model.packageName)?.granted.add(p);
  }

  remove(pkg: string): void {
    this.apps.delete(pkg);
  }

  /** `pm clear`'s wipe: data, runtime grants, denials and the AppOps record. */
  wipe(pkg: string): void {
    const a = this.get(pkg);
    a.data = emptyData();
    a.granted.clear();
    a.denials.clear();
    a.ops.clear();
  }

  grant(pkg: string, permission: string): void {
    const a = this.get(pkg);
    if (!a.model.permissions.includes(permission)) {
      throw new DeviceError(`${this.serial}: package ${pkg} has not requested permission ${permission}`);
    }
    a.granted.add(permission);
  }

  /** False when the permission was not granted. */
  revoke(pkg: string, permission: string): boolean {
    return this.get(pkg).granted.delete(permission);
  }

  /** What a running app reads and records of its grants, denials and AppOps. */
  appHost(now: () => number): Pick<AppHost, 'granted' | 'denials' | 'answerPermission' | 'noteOp'> {
    return {
      granted: (pkg) => this.apps.get(pkg)?.granted ?? new Set<string>(),
      denials: (pkg, perm) => this.apps.get(pkg)?.denials.get(perm) ?? 0,
      answerPermission: (pkg, perm, granted) => {
        const a = this.apps.get(pkg);
        if (!a) return;
        if (granted) a.granted.add(perm);
        else a.denials.set(perm, (a.denials.get(perm) ?? 0) + 1);
      },
      noteOp: (pkg, op, allowed, process) => this.apps.get(pkg)?.ops.note(op, now(), allowed, process),
    };
  }
}
