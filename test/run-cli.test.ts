// `overreach run` and `overreach demo` through runCli on the simulated device (virtual clock).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { DEMO_MODEL, PKG, tempDir } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

let simAgent = '';
beforeAll(async () => {
  simAgent = (await buildFreshBundles()).sim;
}, 120_000);

const capture = (cwd: string) => captureDeps(cwd, { env: { OVERREACH_SIM_AGENT: simAgent } });

function scenarioFile(dir: string, expectYaml: string): string {
  const file = join(dir, 'game.yaml');
  writeFileSync(
    file,
    `name: cli-run\napp: { package: ${PKG}, model: ${DEMO_MODEL} }\nexpect:\n${expectYaml}\nsteps:\n  - launch: { clear-data: true }\n  - wait: 3s\n  - permission-dialog: deny\n  - consent\n  - wait: 30s\n`,
  );
  return file;
}

describe('overreach run', () => {
  it('prints the run id, steps, event counts and the database; exit 0 when all holds', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir, '  - no-access: contacts');
    const c = capture(dir);
    const code = await runCli(
      ['run', file, '--device', 'sim', '--speed', 'max', '--out', 'out', '--no-report'],
      c,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const out = c.out();
    expect(out).toMatch(/^run 1: cli-run on sim-0001/m);
    expect(out).toMatch(/^ {3}4\. consent {2}ok {2}tapped "同意"$/m);
    expect(out).toMatch(/^ {2}device-id +\d+$/m);
    expect(out).toContain(`database: ${join(dir, 'overreach.db')}`);
    expect(out).toMatch(/^run 1: completed$/m);
  });

  it('exits 3 when an expectation fails, naming it', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir, '  - no-access: { category: device-id, phase: pre-consent }');
    const c = capture(dir);
    const code = await runCli(['run', file, '--speed', 'max', '--out', 'out', '--no-report'], c);
    expect(code).toBe(3);
    expect(c.err()).toBe('overreach: run 1: 1 expectation failed: no-access device-id in pre-consent\n');
    expect(c.out()).toMatch(
      /expect: no-access device-id in pre-consent {2}FAILED {2}\d+ device-id events? in pre-consent/,
    );
  });

  it('rejects a bad --speed and a scenario without a model on sim with exit 2', async () => {
    const dir = tempDir();
    const c = capture(dir);
    expect(await runCli(['run', scenarioFile(dir, '  - no-access: sms'), '--speed', 'fast'], c)).toBe(2);
    expect(c.err()).toContain('--speed: expected a factor');
    const bare = join(dir, 'bare.yaml');
    writeFileSync(bare, `name: bare\napp: ${PKG}\nsteps:\n  - wait: 1s\n`);
    const c2 = capture(dir);
    expect(await runCli(['run', bare, '--device', 'sim'], c2)).toBe(2);
    expect(c2.err()).toContain('app.model is required to run on the simulated device');
  });
});

describe('overreach run --pack', () => {
  const LOGISTICS = join(import.meta.dirname, '..', 'scenarios', 'logistics');
  const findingsOf = (file: string): string[] => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare<[], { rule: string; category: string }>(
          'SELECT rule, category FROM findings ORDER BY rule, category',
        )
        .all()
        .map((f) => `${f.rule}:${f.category}`);
    } finally {
      db.close();
    }
  };

  it('analyses with the given policy pack instead of the built-in 2021 rules', async () => {
    const dir = tempDir();
    const args = [
      'run',
      join(LOGISTICS, 'scenario.yaml'),
      '--device',
      'sim',
      '--speed',
      'max',
      '--no-report',
    ];
    expect(await runCli([...args, '--db', 'builtin.db'], capture(dir))).toBe(3);
    expect(
      await runCli([...args, '--db', 'pack.db', '--pack', join(LOGISTICS, 'policy-pack.yaml')], capture(dir)),
    ).toBe(3);
    // Under the built-in rules location is not necessary for parcel delivery; the seed's pack
    // adds the pickup-address purpose, so that finding goes away and the others stay.
    const builtin = findingsOf(join(dir, 'builtin.db'));
    const pack = findingsOf(join(dir, 'pack.db'));
    expect(builtin).toContain('beyond-necessary:location');
    expect(pack).not.toContain('beyond-necessary:location');
    expect(pack).toContain('beyond-necessary:device-id');
  });

  it('rejects an unknown pack before running anything', async () => {
    const dir = tempDir();
    const c = capture(dir);
    const code = await runCli(['run', join(LOGISTICS, 'scenario.yaml'), '--pack', 'no-such-pack'], c);
    expect(code).toBe(2);
    expect(c.err()).toMatch(
      /no-such-pack: neither a policy pack file nor a built-in pack \(cn-necessary-2021\)/,
    );
    expect(existsSync(join(dir, 'overreach.db'))).toBe(false);
  });
});

describe('overreach demo', () => {
  it('runs the demo into a fresh overreach-demo/overreach.db with a report and example queries', async () => {
    const dir = tempDir();
    for (let i = 0; i < 2; i++) {
      const c = capture(dir);
      const code = await runCli(['demo', '--speed', 'max'], c);
      expect(code).toBe(0);
      const out = c.out();
      // fresh each time: always run 1
      expect(out).toMatch(/^run 1: completed$/m);
      expect(out).toContain(`database: ${join(dir, 'overreach-demo', 'overreach.db')}`);
      expect(out).toContain('open overreach-demo/report.html, or try:');
      const queries = out.split('\n').filter((l) => l.startsWith('  npx overreach query'));
      expect(queries).toHaveLength(3);
      if (i === 1) {
        // every example query answers with rows
        for (const q of queries) {
          const sql = /"(.*)"$/.exec(q)![1]!;
          const cq = capture(dir);
          expect(await runCli(['query', '--db', join(dir, 'overreach-demo', 'overreach.db'), sql], cq)).toBe(
            0,
          );
          expect(cq.out()).toMatch(/\(\d+ rows?\)/);
          expect(cq.out()).not.toMatch(/\(0 rows\)/);
        }
      }
    }
    expect(existsSync(join(dir, 'overreach-demo', 'screenshots', 'consent-dialog.png'))).toBe(true);
    // An absolute --out is that folder, not one under the working directory.
    const elsewhere = tempDir();
    expect(await runCli(['demo', '--out', join(elsewhere, 'demo-out')], capture(dir))).toBe(0);
    expect(existsSync(join(elsewhere, 'demo-out', 'overreach.db'))).toBe(true);
    expect(existsSync(join(dir, elsewhere))).toBe(false);
    const report = join(dir, 'overreach-demo', 'report.html');
    if (existsSync(join(import.meta.dirname, '..', 'reports', 'index.ts'))) {
      expect(readFileSync(report, 'utf8')).toMatch(/<html/i);
    }
  });
});
