// Interrupted work on the simulated device: Ctrl-C inside a waiting step, and a device lost
// because the app model says so, so a farm's retry can be shown from the command line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { parseAppModel } from '../harness/simulation/apps/model-load.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { DEMO_MODEL, PKG, rows, runOnSim, simDevice, tempDir } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

let simAgent = '';
beforeAll(async () => {
  simAgent = (await buildFreshBundles()).sim;
}, 120_000);

/** The demo model plus a timer that loses the device `after` seconds after launch. */
function losingModel(dir: string, loseDevice: string): string {
  const text = readFileSync(DEMO_MODEL, 'utf8').replace(
    /^timers:\n/m,
    `timers:\n  - after: 2\n    lose-device: ${loseDevice}\n`,
  );
  const file = join(dir, 'losing-game.yaml');
  writeFileSync(file, text);
  return file;
}

describe('Ctrl-C during a step', () => {
  it('records the interruption as the step’s cause, not the step’s timeout message', async () => {
    const device = await simDevice();
    const ac = new AbortController();
    const { result, store } = await runOnSim(
      `name: int\napp: { package: ${PKG}, model: $MODEL }\nsteps:\n  - launch\n  - consent: { labels: [Nowhere to be found], timeout: 30s }\n  - wait: 5s\n`,
      {
        device,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.type === 'step-start' && p.kind === 'consent')
            device.clock.setTimeout(() => ac.abort('SIGINT'), 2000);
        },
      },
    );
    expect(result.status).toBe('interrupted');
    const step = rows<{ outcome: string; detail: string }>(
      store,
      "SELECT outcome, detail FROM steps WHERE run_id = ? AND kind = 'consent'",
      result.runId,
    )[0]!;
    expect(step).toEqual({ outcome: 'failed', detail: 'interrupted (SIGINT)' });
    expect(result.steps.at(-1)).toMatchObject({ kind: 'consent', detail: 'interrupted (SIGINT)' });
  });
});

describe('an app model that loses the device', () => {
  it('parses lose-device: true or a list of serials', () => {
    const dir = tempDir();
    const all = parseAppModel(readFileSync(losingModel(dir, 'true'), 'utf8'), 'm.yaml', { api: false });
    expect(all.timers[0]!.action.loseDevice).toBe(true);
    const some = parseAppModel(readFileSync(losingModel(dir, '[sim-1]'), 'utf8'), 'm.yaml', { api: false });
    expect(some.timers[0]!.action.loseDevice).toEqual(['sim-1']);
  });

  it('`overreach run` on the sim: the run fails with device lost', async () => {
    const dir = tempDir();
    const model = losingModel(dir, 'true');
    writeFileSync(
      join(dir, 's.yaml'),
      `name: lost\napp: { package: ${PKG}, model: ${model} }\nsteps:\n  - launch\n  - wait: 10s\n`,
    );
    const c = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: simAgent } });
    const code = await runCli(['run', 's.yaml', '--device', 'sim', '--speed', 'max', '--no-report'], c);
    expect(code).toBe(1);
    expect(c.err()).toMatch(/run 1 failed: .*device lost/);
  });

  it('`overreach farm`: the job whose device is lost is retried on another device and completes', async () => {
    const dir = tempDir();
    const model = losingModel(dir, '[sim-1]');
    writeFileSync(
      join(dir, 's.yaml'),
      `name: farm-lost\napp: { package: ${PKG}, model: ${model} }\nsteps:\n  - launch\n  - wait: 10s\n`,
    );
    writeFileSync(
      join(dir, 'plan.yaml'),
      'scenarios: [s.yaml]\ndevices:\n  - sim: 2\nretries: 1\njob-timeout: 1m\ndb: farm.db\nout: out\n',
    );
    const c = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: simAgent } });
    const code = await runCli(['farm', 'plan.yaml', '--speed', 'max', '--no-html'], c);
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const db = new Database(join(dir, 'farm.db'), { readonly: true });
    const runs = db.prepare('SELECT device, status, status_reason FROM runs ORDER BY id').all() as {
      device: string;
      status: string;
      status_reason: string | null;
    }[];
    db.close();
    expect(runs.map((r) => [r.device, r.status])).toEqual([
      ['sim-1', 'failed'],
      ['sim-2', 'completed'],
    ]);
    expect(runs[0]!.status_reason).toMatch(/device lost/);
    expect(c.out()).toMatch(/lost/);
  });
});
