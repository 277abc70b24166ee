import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { parsePlan, planJobs } from '../harness/farm/plan.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { tempDir } from './fixtures/run/sim-run.ts';
import { captureDeps } from './helpers/cli.ts';

const ROOT = join(import.meta.dirname, '..');

describe('farm plan', () => {
  it('parses devices, retries, timeout and makes apps × scenarios jobs', () => {
    const plan = parsePlan(
      `apps: [a.apk, com.example.installed, m.yaml]
scenarios: [s1.yaml, s2.yaml]
devices:
  - emulator-5554
  - all
  - sim: 3
  - appium: { url: "http://grid:4444", pool: [{ "appium:udid": R5CT }] }
retries: 2
job-timeout: 90s
fail-on: high
`,
      '/p/plan.yaml',
    );
    expect(plan.apps.map((a) => `${a.kind}:${a.ref}`)).toEqual([
      'apk:/p/a.apk',
      'package:com.example.installed',
      'model:/p/m.yaml',
    ]);
    expect(plan.devices).toEqual([
      { kind: 'serial', serial: 'emulator-5554' },
      { kind: 'all' },
      { kind: 'sim', count: 3 },
      { kind: 'appium', url: 'http://grid:4444', pool: [{ 'appium:udid': 'R5CT' }] },
    ]);
    expect(plan).toMatchObject({ retries: 2, jobTimeoutMs: 90_000, failOn: 'high', db: '/p/overreach.db' });
    const jobs = planJobs(plan);
    expect(jobs).toHaveLength(6);
    expect(new Set(jobs.map((j) => `${j.app?.ref}|${j.scenario}`)).size).toBe(6);
  });

  it.each([
    ['scenarios: [a.yaml]\ndevices:\n  - sim: 0\n', 'plan.yaml:3:10: expected an integer ≥ 1'],
    ['scenarios: [a.yaml]\ndevices: [all]\nretries: -1\n', 'plan.yaml:3:10: expected an integer ≥ 0'],
    ['scenarios: [a.yaml]\ndevices: [all]\nfail-on: severe\n', 'plan.yaml:3:10: fail-on: expected one of'],
    ['scenarios: [a.yaml]\ndevices: [all]\njob-timeout: soon\n', 'plan.yaml:3:14: job-timeout'],
    ['scenarios: [a.yaml]\ndevices: [all]\ncolour: red\n', 'plan.yaml:3:1: unknown key "colour"'],
    [
      'scenarios: [a.yaml]\ndevices:\n  - appium: { url: ftp://x, pool: [{}] }\n',
      'plan.yaml:3:20: appium url',
    ],
    ['scenarios: [a.yaml]\ndevices:\n  - cloud: 2\n', 'plan.yaml:3:5: unknown device kind "cloud"'],
    ['apps: [not an app]\nscenarios: [a.yaml]\ndevices: [all]\n', 'plan.yaml:1:8: "not an app" is neither'],
    ['scenarios: []\ndevices: [all]\n', 'plan.yaml:1:12: scenarios: expected a non-empty list'],
  ])('rejects %j naming file:line:col', (text, message) => {
    expect(() => parsePlan(text, 'plan.yaml')).toThrow(message);
  });
});

describe('overreach farm', () => {
  let agent: string;
  beforeAll(async () => {
    agent = (await buildFreshBundles()).sim;
  }, 120_000);

  it('runs a plan on sim devices with plain progress lines and a fail-on exit code', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 's.yaml'),
      `name: farm-cli\napp: { package: com.starfall.puzzle, model: ${join(ROOT, 'scenarios/models/demo-game.yaml')} }\nsteps:\n  - launch: { clear-data: true }\n  - wait: 30s\n`,
    );
    writeFileSync(
      join(dir, 'plan.yaml'),
      'scenarios: [s.yaml, s.yaml]\ndevices:\n  - sim: 2\nfail-on: info\n',
    );
    const deps = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: agent } });
    const code = await runCli(['farm', 'plan.yaml', '--speed', 'max'], deps);
    process.exitCode = undefined;
    expect(deps.err()).toBe('');
    expect(deps.out()).toMatch(/^job 1 started on sim-\d \(attempt 1\)$/m);
    expect(deps.out()).toMatch(/^job 2 completed on sim-\d run \d$/m);
    expect(deps.out()).not.toContain('\x1b[');
    const report = JSON.parse(readFileSync(join(dir, 'farm-out', 'farm-report.json'), 'utf8')) as {
      jobs: { status: string; findings: unknown[] }[];
    };
    expect(report.jobs.map((j) => j.status)).toEqual(['completed', 'completed']);
    expect(readFileSync(join(dir, 'farm-out', 'job-2-attempt-1', 'report.html'), 'utf8')).toMatch(
      /^<!doctype html>/i,
    );
    const anyFinding = report.jobs.some((j) => j.findings.length > 0);
    expect(code).toBe(anyFinding ? 3 : 0);
  }, 120_000);
});
