// `overreach diff`: two ingested runs of two app versions with known differences.
// Version 3.3.0 (variant 2) stops reading contacts and dropped Tencent Bugly's installed-apps
// scan; it reads the clipboard (the app) and Wi-Fi info (the Pangle ads SDK) instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { openStore } from '../harness/store/store.ts';
import type { DimensionDiff, RunDiff } from '../reports/diff.ts';
import { createDemoRun } from './fixtures/reports/demo-run.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

let dir: string;
let deps: CapturedDeps;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-diff-'));
  const store = openStore(join(dir, 'overreach.db'));
  await createDemoRun(store, { tracePath: join(dir, 'a.jsonl'), variant: 1 });
  await createDemoRun(store, { tracePath: join(dir, 'b.jsonl'), variant: 2 });
  store.close();
  deps = captureDeps(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = (d: DimensionDiff, which: 'added' | 'removed' | 'changed') => d[which].map((e) => e.key).sort();

describe('overreach diff', () => {
  it('lists exactly the added and removed APIs, categories, SDKs, pairs and findings', async () => {
    expect(await runCli(['diff', '1', '2', '--json'], deps)).toBe(0);
    expect(deps.err()).toBe('');
    const d = JSON.parse(deps.out()) as RunDiff;
    expect(d.a).toMatchObject({ id: 1, version: '3.2.1' });
    expect(d.b).toMatchObject({ id: 2, version: '3.3.0' });
    expect(keys(d.categories, 'added')).toEqual(['clipboard', 'network-id']);
    expect(keys(d.categories, 'removed')).toEqual(['contacts', 'installed-apps']);
    expect(keys(d.categories, 'changed')).toEqual([]);
    expect(d.categories.unchanged).toBe(3); // device-id, location, permission-request
    expect(keys(d.apis, 'added').map((k) => k.split(' ')[0])).toEqual([
      'clipboard.get-primary',
      'wifi.get-connection-info',
    ]);
    expect(keys(d.apis, 'removed').map((k) => k.split(' ')[0])).toEqual([
      'contacts.query',
      'package.get-installed',
    ]);
    expect(keys(d.sdks, 'added')).toEqual(['pangle']);
    expect(keys(d.sdks, 'removed')).toEqual(['tencent-bugly']);
    // The app's own code: contacts 2 → clipboard 4, so 5 → 7 accesses.
    expect(d.sdks.changed).toEqual([{ key: 'app', before: 5, after: 7 }]);
    expect(keys(d.sdkCategories, 'added')).toEqual(['app × clipboard', 'pangle × network-id']);
    expect(keys(d.sdkCategories, 'removed')).toEqual(['app × contacts', 'tencent-bugly × installed-apps']);
    // A finding counts its events (the 4 clipboard reads), as analyze and the reports do.
    expect(d.findings.added).toEqual([
      { key: 'undeclared-collection · clipboard · app', before: 0, after: 4 },
    ]);
    expect(keys(d.findings, 'removed')).toEqual([
      'access-before-consent · installed-apps · tencent-bugly',
      'undeclared-collection · contacts · app',
    ]);
    expect(d.findings.unchanged).toBe(3);
  });

  it('prints a readable text diff with + and - lines and counts before → after', async () => {
    deps.reset('out');
    expect(await runCli(['diff', '1', 'latest'], deps)).toBe(0);
    const lines = deps.out().split('\n');
    expect(lines[0]).toBe(
      'diff run 1 (com.example.shop 3.2.1, first-launch, 74 accesses) → run 2 (com.example.shop 3.3.0, first-launch, 81 accesses)',
    );
    expect(deps.out()).toContain(
      'categories: 2 added, 2 removed, 0 changed, 3 unchanged\n  + clipboard  0 → 4\n  + network-id  0 → 6\n  - contacts  2 → 0\n  - installed-apps  1 → 0\n',
    );
    expect(deps.out()).toContain('  ~ app  5 → 7\n');
  });

  it('rejects an unknown run on one line', async () => {
    deps.reset('err');
    expect(await runCli(['diff', '1', '9'], deps)).toBe(2);
    expect(deps.err()).toBe(`overreach: ${join(dir, 'overreach.db')}: no run 9\n`);
  });
});
