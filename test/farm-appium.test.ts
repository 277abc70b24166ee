// A farm through a REAL Appium server with @appium/fake-driver: two devices, two WebDriver
// sessions at once. The agent side runs on simulated devices (the fake driver has no Frida).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppiumServer } from '../harness/device/android/appium-server.ts';
import { appiumJobRunner } from '../harness/farm/appium-runner.ts';
import { runFarm } from '../harness/farm/farm.ts';
import { loadPlan } from '../harness/farm/plan.ts';
import type { FarmDevice } from '../harness/farm/pool.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { DEMO_MODEL, PKG, tempDir } from './fixtures/run/sim-run.ts';

const APP = fileURLToPath(new URL('./fixtures/device/fake-app.xml', import.meta.url));

describe('farm through a real Appium server (fake driver)', () => {
  let server: AppiumServer;
  let agentPath: string;
  beforeAll(async () => {
    agentPath = (await buildFreshBundles()).sim;
    server = await AppiumServer.start({ startTimeoutMs: 90_000 });
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('runs parallel sessions, one run per job in one database', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 's.yaml'),
      `name: appium\napp: { package: ${PKG}, model: ${DEMO_MODEL} }\nsteps: [launch]\n`,
    );
    writeFileSync(
      join(dir, 'plan.yaml'),
      `scenarios: [s.yaml, s.yaml, s.yaml, s.yaml]\ndevices:\n  - appium: { url: "${server.url}", pool: [{ "appium:udid": sim-a }, { "appium:udid": sim-b }] }\nretries: 0\n`,
    );
    const plan = loadPlan(join(dir, 'plan.yaml'));
    const devices: FarmDevice[] = ['sim-a', 'sim-b'].map((serial) => ({
      id: serial,
      device: new SimDevice({ serial, clock: 'virtual', agentPath }),
    }));
    let open = 0;
    let maxOpen = 0;
    const sessions = new Set<string>();
    const r = await runFarm({
      plan,
      devices,
      runJob: (store) =>
        appiumJobRunner({
          store,
          url: server.url,
          package: PKG,
          install: DEMO_MODEL,
          capabilities: (fd) => ({
            platformName: 'Fake',
            'appium:automationName': 'Fake',
            'appium:deviceName': fd.id,
            'appium:app': APP,
            'overreach:device': fd.id,
          }),
          test: async (ui, _job, fd) => {
            open++;
            maxOpen = Math.max(maxOpen, open);
            sessions.add(ui.sessionId);
            try {
              await ui.tap({ by: 'id', value: 'com.example.shop:id/login' });
              expect(await ui.find({ by: 'id', value: 'com.example.shop:id/login' })).not.toBeNull();
              // let the monitored app run meanwhile (sim time) and hold the session a little
              await (fd.device as SimDevice).clock.sleep(5000);
              await new Promise((res) => setTimeout(res, 300));
            } finally {
              open--;
            }
          },
        }),
    });
    expect(r.outcomes.map((o) => [o.status, o.reason])).toEqual(Array(4).fill(['completed', undefined]));
    expect(maxOpen).toBe(2);
    expect(sessions.size).toBe(4);
    const db = new Database(plan.db, { readonly: true });
    const runs = db
      .prepare(
        "SELECT device, count(*) AS n FROM runs WHERE status = 'completed' GROUP BY device ORDER BY device",
      )
      .all();
    const steps = db.prepare("SELECT count(*) AS n FROM steps WHERE kind = 'test' AND outcome = 'ok'").get();
    const events = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    db.close();
    expect(runs).toEqual([
      { device: 'sim-a', n: 2 },
      { device: 'sim-b', n: 2 },
    ]);
    expect(steps).toEqual({ n: 4 });
    expect(events.n).toBeGreaterThan(0);
  }, 150_000);
});
