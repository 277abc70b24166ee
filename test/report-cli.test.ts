// `overreach report`: run selection, output file, --fail-on exit codes, one-line errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { openStore } from '../harness/store/store.ts';
import { createDemoRun } from './fixtures/reports/demo-run.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

let dir: string;
let deps: CapturedDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-report-cli-'));
  const store = openStore(join(dir, 'overreach.db'));
  await createDemoRun(store, { tracePath: join(dir, 'a.jsonl') });
  await createDemoRun(store, { tracePath: join(dir, 'b.jsonl'), variant: 2, findings: false });
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  deps = captureDeps(dir);
});

const json = () =>
  JSON.parse(deps.out()) as { run: { id: number; versionName: string }; findings: unknown[] };

describe('overreach report', () => {
  it('"latest" picks the newest run; an id picks that run', async () => {
    expect(await runCli(['report', 'latest', '--format', 'json'], deps)).toBe(0);
    expect(json().run).toMatchObject({ id: 2, versionName: '3.3.0' });
    deps.reset('out');
    expect(await runCli(['report', '1', '--format', 'json'], deps)).toBe(0);
    expect(json().run).toMatchObject({ id: 1, versionName: '3.2.1' });
    expect(json().findings).toHaveLength(5);
    expect(deps.err()).toBe('');
  });

  it('writes --out and says where, relative to the working directory', async () => {
    expect(await runCli(['report', '1', '--format', 'md', '--out', 'r.md'], deps)).toBe(0);
    expect(deps.out()).toMatch(/^r\.md: md report, \d+ bytes, 5 findings\n$/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('# Overreach report: Example Shop (run 1)');
  });

  it('--profile fills the privacy-policy column of declared vs. used', async () => {
    writeFileSync(
      join(dir, 'profile.yaml'),
      'package: com.example.shop\ncategory: online_shopping\nprivacyPolicy:\n  declares:\n    - { category: location, purposes: [store-finder] }\n',
    );
    expect(await runCli(['report', '1', '--format', 'json', '--profile', 'profile.yaml'], deps)).toBe(0);
    const d = (
      JSON.parse(deps.out()) as {
        declaredVsUsed: {
          policyKnown: boolean;
          rows: { category: string; inPolicy: boolean; verdict: string }[];
        };
      }
    ).declaredVsUsed;
    expect(d.policyKnown).toBe(true);
    const row = (c: string) => d.rows.find((r) => r.category === c)!;
    expect(row('location')).toMatchObject({ inPolicy: true, verdict: 'used-declared' });
    expect(row('contacts')).toMatchObject({ inPolicy: false, verdict: 'used-undeclared' });
    // READ_PHONE_STATE is in the manifest, but collecting the data is declared by the policy,
    // which is silent: never shown as declared (undeclared-collection agrees).
    expect(row('device-id')).toMatchObject({ inPolicy: false, verdict: 'used-undeclared' });
    // Behaviours are not data categories.
    expect(d.rows.some((r) => ['dialog', 'lifecycle', 'permission-request'].includes(r.category))).toBe(
      false,
    );
  });

  it('--fail-on exits 3 at or above the severity, 0 below it, and still writes the report', async () => {
    expect(await runCli(['report', '1', '--format', 'junit', '--fail-on', 'high'], deps)).toBe(3);
    expect(deps.out()).toContain('<testsuites');
    expect(deps.err()).toBe('overreach: 2 findings at or above high (--fail-on high)\n');
    deps.reset('err');
    expect(
      await runCli(['report', '1', '--format', 'sarif', '--fail-on', 'low', '--out', 'r.sarif'], deps),
    ).toBe(3);
    expect(deps.err()).toBe('overreach: 5 findings at or above low (--fail-on low)\n');
    deps.reset('err');
    expect(await runCli(['report', '1', '--format', 'json', '--fail-on', 'critical'], deps)).toBe(0);
    expect(deps.err()).toBe('');
    // Run 2 has no findings: nothing to fail on.
    expect(await runCli(['report', '2', '--format', 'json', '--fail-on', 'info'], deps)).toBe(0);
  });

  it('rejects an unknown run, a bad severity, a bad format and a missing database on one line', async () => {
    const cases: [string[], string][] = [
      [['report', '42'], 'overreach: overreach.db: no run 42\n'],
      [['report', 'first'], 'overreach: run: expected a run id or "latest", got "first"\n'],
      [
        ['report', '1', '--fail-on', 'severe'],
        'overreach: --fail-on: expected one of info, low, medium, high, critical, got "severe"\n',
      ],
      [
        ['report', '1', '--format', 'pdf'],
        'overreach: --format: expected one of html, md, json, junit, sarif, got "pdf"\n',
      ],
      [['report', 'latest', '--db', 'nope.db'], 'overreach: nope.db: no such database\n'],
    ];
    for (const [args, message] of cases) {
      deps.reset();
      const code = await runCli(args, { ...deps, defaultDb: 'overreach.db' });
      expect(code, args.join(' ')).not.toBe(0);
      expect(deps.err()).toBe(message);
      expect(deps.out()).toBe('');
    }
  });

  it('--analyze runs the analysis first when the run has no findings, and stores them', async () => {
    expect(await runCli(['report', '2', '--format', 'json'], deps)).toBe(0);
    expect(json().findings).toEqual([]);
    deps.reset('out');
    expect(await runCli(['report', '2', '--format', 'json', '--analyze'], deps)).toBe(0);
    const findings = json().findings as { rule: string; title: string; detail: string }[];
    // Run 2 reads the IMEI through Umeng during the pre-consent launch step.
    expect(findings.map((f) => f.rule)).toContain('access-before-consent');
    for (const f of findings) {
      expect(f.title).not.toContain('\n');
      expect(f.detail).not.toMatch(/evidence: \d+ of \d+ events$/);
    }
    deps.reset('out');
    expect(await runCli(['report', '2', '--format', 'json'], deps)).toBe(0);
    expect(json().findings).toHaveLength(findings.length);
  });
});
