// "Bundled vs ran": the static call sites of the app (its model on the simulator, its APK on a
// device) stored with the run, set against the run's events, in the store and the report.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledVsRan, recordStaticCalls } from '../harness/analysis/bundled-vs-ran.ts';
import { scanApkCalls } from '../harness/apk/dex-scan.ts';
import { runCli } from '../harness/cli/program.ts';
import { loadAppModel } from '../harness/simulation/apps/model-load.ts';
import { modelStaticCalls } from '../harness/simulation/apps/model-static-calls.ts';
import { openStore } from '../harness/store/store.ts';
import { renderReport } from '../reports/index.ts';
import { buildReportModel } from '../reports/model.ts';
import { DEMO_MODEL, PKG, rows, runOnSim } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

const HEAD = `app: { package: ${PKG}, model: $MODEL }\n`;
const SHORT = `name: short\n${HEAD}steps:\n  - launch: { clear-data: true }\n  - wait: 2s\n`;

describe('bundled vs ran on the simulator', () => {
  it('the model lists what each SDK could call; the run marks what ran; silent SDKs stay bundled', async () => {
    const model = loadAppModel(DEMO_MODEL);
    const calls = modelStaticCalls(model);
    const sdks = new Set(calls.map((c) => c.sdk));
    expect(sdks.has('pangle') || [...sdks].some((s) => s.includes('bytedance'))).toBe(true);

    const { result, store } = await runOnSim(SHORT);
    expect(result.status).toBe('completed');
    const stored = rows<{ n: number }>(
      store,
      'SELECT count(*) AS n FROM static_call_sites WHERE run_id = ?',
      result.runId,
    );
    expect(stored[0]?.n).toBe(calls.length);
    const b = bundledVsRan(store.db, result.runId)!;
    expect(b.source).toBe(`model:${DEMO_MODEL}`);
    expect(b.callSites).toBe(calls.reduce((n, c) => n + c.callSites, 0));
    // A short run reaches some but not all call sites (screens not visited, timers not fired).
    expect(b.ranCallSites).toBeGreaterThan(0);
    expect(b.ranCallSites).toBeLessThan(b.callSites);
    expect(b.coveragePercent).toBe(Math.round((b.ranCallSites / b.callSites) * 1000) / 10);
    // Every "ran" row has an event of that hook from that SDK; every other row has none.
    for (const s of b.sdks)
      for (const a of s.apis) {
        const n = rows<{ n: number }>(
          store,
          `SELECT count(*) AS n FROM events e JOIN apis ap ON ap.id = e.api_id LEFT JOIN sdks sd ON sd.id = e.sdk_id
           WHERE e.run_id = ? AND ap.hook = ? AND coalesce(sd.name, 'app') = ?`,
          result.runId,
          a.hook,
          s.sdk,
        )[0]!.n;
        expect(n > 0, `${s.sdk} ${a.hook}`).toBe(a.ran);
      }
    // The view agrees with the function.
    const view = rows<{ ran: number }>(store, 'SELECT ran FROM v_bundled_vs_ran WHERE run = ?', result.runId);
    expect(view.filter((r) => r.ran === 1).length).toBe(
      b.sdks.flatMap((s) => s.apis).filter((a) => a.ran).length,
    );
    // A silent SDK is bundled, not ran: the report says so.
    const silent = b.sdks.find((s) => !s.ran);
    expect(silent, 'the short run leaves at least one SDK silent').toBeDefined();
    const md = renderReport(buildReportModel(store.db, result.runId), 'md');
    expect(md).toContain('## Bundled vs ran');
    expect(md).toMatch(
      new RegExp(`\\| ${silent!.sdk.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\| bundled, not ran \\|`),
    );
    const html = renderReport(buildReportModel(store.db, result.runId), 'html');
    expect(html).toContain('id="bundled"');
    store.close();
  }, 60_000);
});

describe('apk --calls on the seed apps (app models)', () => {
  it.each(['game', 'cleaner', 'logistics'])(
    '%s: sensitive calls per SDK, attributed by prefix',
    async (seed) => {
      const file = join(import.meta.dirname, '..', 'scenarios', seed, 'model.yaml');
      const model = loadAppModel(file);
      const deps = captureDeps(process.cwd());
      expect(await runCli(['apk', file, '--calls', '--json'], deps)).toBe(0);
      const scan = JSON.parse(deps.out()) as {
        package: string;
        calls: { sdk: string; callSites: number }[];
        sdks: { sdk: string; sensitiveCallSites: number }[];
      };
      // Every SDK the model bundles is listed, with its sensitive call sites (0 for native-only ones).
      expect(scan.sdks.length).toBeGreaterThanOrEqual(Object.keys(model.sdks).length - 1);
      expect(scan.package).toBe(model.packageName);
      expect(scan.calls.length).toBeGreaterThan(0);
      // Every call comes from the app or from an SDK the model bundles (signature id or alias prefix).
      for (const c of scan.calls)
        expect(c.sdk === 'app' || !c.sdk.startsWith('third-party:'), c.sdk).toBe(true);
      // The cleaner's SDKs only make native calls, which a Java/DEX scan does not list.
      if (seed !== 'cleaner') expect(scan.calls.some((c) => c.sdk !== 'app')).toBe(true);
    },
  );
});

describe('bundled vs ran from an APK scan', () => {
  const require = createRequire(import.meta.url);
  const apk = join(
    dirname(require.resolve('io.appium.settings/package.json')),
    'apks/settings_apk-debug.apk',
  );

  it('apk --calls --run stores the scan; nothing ran in an empty run', async () => {
    const dir = (await import('node:fs')).mkdtempSync(
      join((await import('node:os')).tmpdir(), 'overreach-bvr-'),
    );
    const db = join(dir, 'o.db');
    const store = openStore(db);
    const runId = store.createRun({
      package: 'io.appium.settings',
      device: 'd',
      scenario: 's',
      toolVersion: 't',
    });
    store.close();
    const deps = captureDeps(dir);
    expect(await runCli(['apk', apk, '--calls', '--run', String(runId), '--db', db], deps)).toBe(0);
    const again = openStore(db);
    const b = bundledVsRan(again.db, runId)!;
    const scan = scanApkCalls(readFileSync(apk), 'x');
    expect(b.callSites).toBe(scan.sensitiveCallSites);
    expect(b.ranCallSites).toBe(0);
    expect(b.coveragePercent).toBe(0);
    expect(b.sdks.every((s) => !s.ran)).toBe(true);
    // Re-recording replaces, never duplicates.
    recordStaticCalls(again.db, runId, scan.calls, 'apk:again');
    expect(bundledVsRan(again.db, runId)!.callSites).toBe(scan.sensitiveCallSites);
    again.close();
    expect(await runCli(['apk', apk, '--calls', '--run', '999', '--db', db], deps)).not.toBe(0);
    expect(deps.err()).toMatch(/no run 999/);
  }, 60_000);
});
