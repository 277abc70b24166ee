// "Bundled vs ran": for each SDK the app bundles, the sensitive APIs its code references (the
// DEX scan of the APK, or the app model on the simulator) and which of them this run saw; the
// run's coverage of the app's sensitive call sites. An SDK that references sensitive APIs but
// produced no event is listed as bundled, not ran: silence is not absence.
import { existsSync } from 'node:fs';
import type { StaticCall } from '../apk/dex-scan.ts';
import { scanApkFile } from '../apk/dex-scan.ts';
import { createLog } from '../log.ts';
import { loadAppModel } from '../simulation/apps/model-load.ts';
import { modelStaticCalls } from '../simulation/apps/model-static-calls.ts';
import type { Db } from './types.ts';

const log = createLog('analysis');

export interface BundledApi {
  hook: string;
  api: string;
  category: string;
  callSites: number;
  ran: boolean;
}

export interface BundledSdk {
  sdk: string;
  apis: BundledApi[];
  /** Any of its sensitive APIs produced an event in this run. */
  ran: boolean;
  callSites: number;
  ranCallSites: number;
}

export interface BundledVsRan {
  /** 'apk:<sha256>' or 'model:<file>'. */
  source: string;
  sdks: BundledSdk[];
  callSites: number;
  /** Call sites whose (SDK, API) produced at least one event. */
  ranCallSites: number;
  /** ranCallSites / callSites as a percentage, one decimal; null when there are none. */
  coveragePercent: number | null;
}

/** Replaces the run's static call sites. */
export function recordStaticCalls(db: Db, runId: number, calls: readonly StaticCall[], source: string): void {
  const del = db.prepare('DELETE FROM static_call_sites WHERE run_id = ?');
  const add = db.prepare(
    'INSERT INTO static_call_sites (run_id, sdk, hook, api, category, call_sites, source) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    del.run(runId);
    for (const c of calls) add.run(runId, c.sdk, c.hook, c.api, c.category, c.callSites, source);
  })();
}

/** Scans the run's app (its APK on a device, its model on the simulator) and records the result. */
export function recordBundledCalls(
  db: Db,
  runId: number,
  app: { apk?: string | undefined; model?: string | undefined },
  sim: boolean,
): number {
  if (sim && app.model) {
    const calls = modelStaticCalls(loadAppModel(app.model));
    recordStaticCalls(db, runId, calls, `model:${app.model}`);
    return calls.length;
  }
  if (!sim && app.apk && existsSync(app.apk)) {
    const scan = scanApkFile(app.apk);
    recordStaticCalls(db, runId, scan.calls, `apk:${scan.sha256}`);
    return scan.calls.length;
  }
  log.debug(`run ${runId}: no APK or model to scan; bundled vs ran stays empty`);
  return 0;
}

/** The run's bundled-vs-ran table, or null when no static scan was recorded for it. */
export function bundledVsRan(db: Db, runId: number): BundledVsRan | null {
  const rows = db
    .prepare<
      [number],
      { sdk: string; hook: string; api: string; category: string; call_sites: number; source: string }
    >(
      'SELECT sdk, hook, api, category, call_sites, source FROM static_call_sites WHERE run_id = ? ORDER BY sdk, hook',
    )
    .all(runId);
  if (rows.length === 0) return null;
  const ran = new Set(
    db
      .prepare<[number], string>(
        `SELECT DISTINCT coalesce(sd.name, 'app') || char(10) || a.hook
         FROM (SELECT DISTINCT api_id, sdk_id FROM events WHERE run_id = ?) e
         JOIN apis a ON a.id = e.api_id LEFT JOIN sdks sd ON sd.id = e.sdk_id`,
      )
      .pluck()
      .all(runId),
  );
  const bySdk = new Map<string, BundledSdk>();
  for (const r of rows) {
    let s = bySdk.get(r.sdk);
    if (!s) {
      s = { sdk: r.sdk, apis: [], ran: false, callSites: 0, ranCallSites: 0 };
      bySdk.set(r.sdk, s);
    }
    const didRun = ran.has(`${r.sdk}\n${r.hook}`);
    s.apis.push({ hook: r.hook, api: r.api, category: r.category, callSites: r.call_sites, ran: didRun });
    s.callSites += r.call_sites;
    if (didRun) {
      s.ran = true;
      s.ranCallSites += r.call_sites;
    }
  }
  const sdks = [...bySdk.values()];
  const callSites = sdks.reduce((n, s) => n + s.callSites, 0);
  const ranCallSites = sdks.reduce((n, s) => n + s.ranCallSites, 0);
  return {
    source: rows[0]?.source ?? '',
    sdks,
    callSites,
    ranCallSites,
    coveragePercent: callSites === 0 ? null : Math.round((ranCallSites / callSites) * 1000) / 10,
  };
}
