import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { OverreachService, type WdioCapabilities } from '../harness/wdio/service.ts';
import { DEMO_MODEL, PKG, tempDir } from './fixtures/run/sim-run.ts';

describe('OverreachService (WebdriverIO)', () => {
  it('records a session as a run with each test as a step, on a sim device', async () => {
    const dir = tempDir();
    const db = join(dir, 'wdio.db');
    const device = new SimDevice({ clock: 'virtual', agentPath: (await buildFreshBundles()).sim });
    const caps: WdioCapabilities = {
      platformName: 'Android',
      'appium:appPackage': PKG,
      'overreach:device': 'sim',
    };
    const service = new OverreachService(
      { db, install: DEMO_MODEL, openDevice: async () => device },
      caps,
      {},
    );
    await service.beforeSession({}, caps, ['login.spec.ts'], '0-0');
    expect(caps['appium:autoLaunch']).toBe(false);
    expect(caps['appium:noReset']).toBe(true);
    // the app is already running under the agent before the WebDriver session starts
    expect(device.running(PKG)).toBeDefined();
    service.before(caps, ['login.spec.ts'], { sessionId: 'abc' });
    service.beforeTest({ title: 'opens the store', parent: 'shop' });
    await device.clock.sleep(8000);
    service.afterTest({ title: 'opens the store', parent: 'shop' }, {}, { passed: true });
    service.beforeTest({ title: 'checks out', parent: 'shop', fullTitle: 'shop checks out' });
    await device.clock.sleep(30_000);
    service.afterTest(
      { title: 'checks out' },
      {},
      { passed: false, error: { message: 'element not found' } },
    );
    service.after();
    await service.afterSession();

    const d = new Database(db, { readonly: true });
    const run = d.prepare('SELECT id, status, status_reason, scenario, package FROM runs').all();
    const steps = d.prepare('SELECT id, kind, label, outcome, detail FROM steps ORDER BY idx').all() as {
      id: number;
      label: string;
      outcome: string;
    }[];
    const events = d.prepare('SELECT step_id, count(*) AS n FROM events GROUP BY step_id').all() as {
      step_id: number | null;
      n: number;
    }[];
    d.close();
    expect(run).toEqual([
      {
        id: service.runId,
        status: 'completed',
        status_reason: '1 test(s) failed',
        scenario: 'wdio',
        package: PKG,
      },
    ]);
    expect(steps.map((s) => [s.label, s.outcome])).toEqual([
      ['shop opens the store', 'ok'],
      ['shop checks out', 'failed'],
    ]);
    // the app's accesses were captured and attributed to the tests that were running
    const inSteps = events.filter((e) => e.step_id !== null).reduce((a, e) => a + e.n, 0);
    expect(inSteps).toBeGreaterThan(0);
  }, 120_000);
});
