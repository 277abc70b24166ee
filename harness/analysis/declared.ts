// The manifest permissions a run's app holds on its device: maxSdkVersion below the device's
// API level means the platform does not grant it there, however the manifest arrived (APK read
// by `run`, `--apk`, a profile's `apk:`, or permissions stated by `ingest`). The analysis and the
// report's declared-vs-used both read this.
import type { Db } from './types.ts';

/** Declared permission names, or null when the run has no manifest (`runs.app_id` NULL). */
export function declaredPermissions(
  db: Db,
  appId: number | null,
  apiLevel: number | null,
): Set<string> | null {
  if (appId === null) return null;
  const rows = db
    .prepare<[number], { name: string; max_sdk: number | null }>(
      'SELECT name, max_sdk FROM app_permissions WHERE app_id = ?',
    )
    .all(appId);
  return new Set(
    rows.filter((r) => r.max_sdk === null || apiLevel === null || r.max_sdk >= apiLevel).map((r) => r.name),
  );
}

/** The highest API level any of the run's processes reported, or null. */
export function runApiLevel(db: Db, runId: number): number | null {
  return (
    db
      .prepare<[number], number | null>('SELECT max(api_level) FROM processes WHERE run_id = ?')
      .pluck()
      .get(runId) ?? null
  );
}
