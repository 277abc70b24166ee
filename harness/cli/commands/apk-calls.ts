// `overreach apk <file> --calls [--json] [--run <id> --db <file>]`: the sensitive call sites in
// the APK's code per SDK (harness/apk/dex-scan.ts). With --run, the scan is stored against
// that run, so its report shows "bundled vs ran".
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { recordStaticCalls } from '../../analysis/bundled-vs-ran.ts';
import { type ApkCallScan, scanApkFile } from '../../apk/dex-scan.ts';
import { InputError } from '../../errors.ts';
import { defaultAttributor } from '../../knowledge/sdks.ts';
import { loadAppModel } from '../../simulation/apps/model-load.ts';
import { modelStaticCalls } from '../../simulation/apps/model-static-calls.ts';
import { openStore } from '../../store/store.ts';
import type { CliDeps } from '../deps.ts';
import { clean } from './apk.ts';

export interface ApkCallsOpts {
  json?: boolean;
  run?: string;
  db?: string;
}

export function formatApkCalls(scan: ApkCallScan): string {
  const lines = [
    `package       ${clean(scan.package)}`,
    scan.dexFiles.length > 0
      ? `dex files     ${scan.dexFiles.length} (${scan.classes} classes, ${scan.methods} methods, ${scan.invokes} invokes)`
      : 'source        app model (every Java call it could make)',
    `sensitive     ${scan.sensitiveCallSites} call sites, ${new Set(scan.calls.map((c) => c.hook)).size} catalog APIs`,
  ];
  if (scan.sdks.length > 0) {
    lines.push(
      `sdks          ${scan.sdks.map((s) => `${clean(s.sdk)}${s.classes ? ` (${s.classes} classes)` : ''}${s.sensitiveCallSites === 0 ? ' no sensitive calls' : ''}`).join(', ')}`,
    );
  }
  let sdk = '';
  for (const c of scan.calls) {
    if (c.sdk !== sdk) {
      sdk = c.sdk;
      lines.push('', clean(sdk));
    }
    lines.push(
      `  ${c.hook.padEnd(46)} ${c.category.padEnd(20)} ${String(c.callSites).padStart(5)}  ${clean(c.callers[0] ?? '')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The model's declared SDKs (by the attributor's id for their prefix), with their call sites. */
function sdkSummary(
  prefixes: readonly string[],
  appPackage: string,
  calls: ApkCallScan['calls'],
): ApkCallScan['sdks'] {
  const ids = new Set(
    prefixes.map(
      (p) => defaultAttributor().attribute([`${p}.X.x(Unknown Source)`], { appPackage }).sdk ?? 'app',
    ),
  );
  for (const c of calls) if (c.sdk !== 'app') ids.add(c.sdk);
  ids.delete('app');
  return [...ids].map((sdk) => ({
    sdk,
    classes: 0,
    sensitiveCallSites: calls.filter((c) => c.sdk === sdk).reduce((n, c) => n + c.callSites, 0),
  }));
}

/** An app model (the simulator's apps) read like an APK: every Java call it could make. */
function scanModel(path: string, file: string): ApkCallScan {
  const model = loadAppModel(path);
  const calls = modelStaticCalls(model);
  return {
    file,
    package: model.packageName,
    sha256: '',
    dexFiles: [],
    classes: 0,
    methods: 0,
    invokes: 0,
    sensitiveCallSites: calls.reduce((n, c) => n + c.callSites, 0),
    sdks: sdkSummary(Object.values(model.sdks), model.packageName, calls),
    calls,
  };
}

export function runApkCalls(file: string, opts: ApkCallsOpts, deps: CliDeps): void {
  const path = resolve(deps.cwd, file);
  const isModel = /\.ya?ml$/i.test(file);
  const scan = isModel ? scanModel(path, file) : scanApkFile(path, file);
  if (opts.run !== undefined) {
    const runId = Number(opts.run);
    if (!Number.isInteger(runId) || runId <= 0)
      throw new InputError(`--run: expected a run id, got "${opts.run}"`);
    const dbFile = opts.db ?? deps.defaultDb;
    const path = resolve(deps.cwd, dbFile);
    if (!existsSync(path)) throw new InputError(`${dbFile}: no such database`);
    const store = openStore(path);
    try {
      const found = store.db.prepare<[number], number>('SELECT id FROM runs WHERE id = ?').pluck().get(runId);
      if (found === undefined) throw new InputError(`${dbFile}: no run ${runId}`);
      recordStaticCalls(store.db, runId, scan.calls, isModel ? `model:${path}` : `apk:${scan.sha256}`);
    } finally {
      store.close();
    }
  }
  deps.stdout(opts.json ? `${JSON.stringify(scan, null, 2)}\n` : formatApkCalls(scan));
}
