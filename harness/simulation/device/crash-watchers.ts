// Crash capture on the simulated device: each watch from watchCrashes hears every crash from
// its start until it stops, as a logcat crash-buffer reader does on a device.

import type { CrashEvent, CrashWatch } from '../../device/types.ts';

export class CrashWatchers {
  private readonly watchers = new Set<(e: CrashEvent) => void>();

  report(event: CrashEvent): void {
    for (const w of this.watchers) w(event);
  }

  watch(onEvent?: (event: CrashEvent) => void): CrashWatch {
    const events: CrashEvent[] = [];
    const watcher = (e: CrashEvent) => {
      events.push(e);
      onEvent?.(e);
    };
    this.watchers.add(watcher);
    return {
      events: () => [...events],
      stop: async () => {
        this.watchers.delete(watcher);
      },
    };
  }

  /** The device closes: every watch stops hearing crashes. */
  clear(): void {
    this.watchers.clear();
  }
}
