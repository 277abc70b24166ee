// The analysis context stored with a run: flags given once (ingest / run) are reused by analyze
// and report; a later flag overrides and is recorded; a profile's missing apk: is exit 2; stated
// manifest permissions honour maxSdkVersion; versions stay distinct; merge keeps hashes comparable.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunSettings } from '../harness/analysis/run-settings.ts';
import { runCli } from '../harness/cli/program.ts';
import { parsePlan } from '../harness/farm/plan.ts';
import { saltId } from '../harness/run/salt.ts';
import { openStore } from '../harness/store/store.ts';
import { tempDir } from './fixtures/run/sim-run.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const TRACE = join(import.meta.dirname, 'fixtures', 'traces', 'small.jsonl');
const PROFILE = `package: com.example.app
category: online_shopping
privacyPolicy:
  declares:
    - { category: location, purposes: [store-finder] }
`;

async function cli(deps: CapturedDeps, args: string[]): Promise<number> {
  deps.reset();
  return runCli(args, deps);
}

interface Json {
  findings: { rule: string; title: string; category: string | null }[];
  skipped: { rule: string }[];
}

describe('the analysis context stored with a run', () => {
  it('ingest --profile is reused by analyze; a later --profile overrides and is recorded', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    writeFileSync(join(dir, 'p.yaml'), PROFILE);
    expect(await cli(deps, ['ingest', TRACE, '--profile', 'p.yaml'])).toBe(0);
    expect(await cli(deps, ['analyze', 'latest', '--json'])).toBe(0);
    const first = JSON.parse(deps.out()) as Json;
    expect(first.skipped.map((s) => s.rule)).not.toContain('undeclared-collection');
    expect(first.findings.some((f) => f.rule === 'undeclared-collection')).toBe(true);
    // The package came from the profile: SDKs are attributed against it, once.
    const store = openStore(join(dir, 'overreach.db'));
    expect(store.getRun(1)?.package).toBe('com.example.app');
    expect(readRunSettings(store.db, 1).sdkPackage).toBe('com.example.app');
    store.close();

    writeFileSync(join(dir, 'p2.yaml'), PROFILE.replace('location', 'device-id'));
    expect(await cli(deps, ['analyze', 'latest', '--profile', 'p2.yaml', '--json'])).toBe(0);
    // …and stays: the next analyze without flags uses p2.
    expect(await cli(deps, ['analyze', 'latest', '--json'])).toBe(0);
    const again = JSON.parse(deps.out()) as Json;
    const undeclared = (j: Json) =>
      j.findings.filter((f) => f.rule === 'undeclared-collection').map((f) => f.category);
    expect(undeclared(again)).not.toEqual(undeclared(first));
    expect(undeclared(again)).toContain('location');
    const s = openStore(join(dir, 'overreach.db'));
    const settings = readRunSettings(s.db, 1);
    s.close();
    expect(settings.profile?.file).toBe(join(dir, 'p2.yaml'));
    expect(settings.overrides).toEqual([{ at: expect.any(Number), command: 'analyze', keys: ['profile'] }]);
  });

  it('a profile whose apk: is missing is bad input (exit 2), never a silent skip', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    writeFileSync(join(dir, 'p.yaml'), `${PROFILE}apk: gone.apk\n`);
    expect(await cli(deps, ['ingest', TRACE, '--profile', 'p.yaml'])).toBe(2);
    expect(deps.err()).toMatch(/^overreach: p\.yaml: apk: .*gone\.apk: no such file\n$/);
    expect(await cli(deps, ['ingest', TRACE])).toBe(0);
    expect(await cli(deps, ['analyze', 'latest', '--profile', 'p.yaml'])).toBe(2);
  });

  it('ingest --permissions states the manifest; maxSdkVersion below the device level does not count', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    // small.jsonl runs on API 33.
    expect(
      await cli(deps, [
        'ingest',
        TRACE,
        '--package',
        'com.example.app',
        '--permissions',
        'READ_CALENDAR@28,android.permission.RECORD_AUDIO@40',
      ]),
    ).toBe(0);
    expect(await cli(deps, ['analyze', 'latest', '--json'])).toBe(0);
    const unused = (JSON.parse(deps.out()) as Json).findings
      .filter((f) => f.rule === 'unused-dangerous-permission')
      .map((f) => f.title);
    expect(unused.some((t) => t.includes('RECORD_AUDIO'))).toBe(true);
    expect(unused.some((t) => t.includes('READ_CALENDAR'))).toBe(false);
    expect(await cli(deps, ['report', 'latest', '--format', 'json'])).toBe(0);
    const m = JSON.parse(deps.out()) as {
      declaredVsUsed: { manifestKnown: boolean; otherPermissions: string[] };
    };
    expect(m.declaredVsUsed.manifestKnown).toBe(true);
    expect(await cli(deps, ['ingest', TRACE, '--permissions', 'no such thing'])).toBe(2);
  });

  it('an APK given later (--apk) becomes the run’s manifest, maxSdkVersion honoured', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    const apk = join(
      import.meta.dirname,
      '..',
      'node_modules',
      'io.appium.settings',
      'apks',
      'settings_apk-debug.apk',
    );
    expect(await cli(deps, ['ingest', TRACE, '--package', 'com.example.app'])).toBe(0);
    expect(await cli(deps, ['analyze', 'latest', '--json'])).toBe(0);
    expect((JSON.parse(deps.out()) as Json).skipped.map((x) => x.rule)).toContain(
      'unused-dangerous-permission',
    );
    expect(await cli(deps, ['analyze', 'latest', '--apk', apk, '--json'])).toBe(0);
    const after = JSON.parse(deps.out()) as Json;
    expect(after.skipped.map((x) => x.rule)).not.toContain('unused-dangerous-permission');
    expect(await cli(deps, ['report', 'latest', '--format', 'json'])).toBe(0);
    const m = JSON.parse(deps.out()) as {
      context: { apk: string | null };
      declaredVsUsed: { rows: { category: string; declaredPermissions: string[] | null }[] };
    };
    expect(m.context.apk).toBe(apk);
    // BLUETOOTH has maxSdkVersion 30 in that manifest; the trace ran on API 33.
    const net = m.declaredVsUsed.rows.find((r) => r.category === 'network-id')!;
    expect(net.declaredPermissions).toContain('android.permission.ACCESS_WIFI_STATE');
    expect(net.declaredPermissions).not.toContain('android.permission.BLUETOOTH');
  });

  it('two versions of one package are two apps, and diff names both', async () => {
    const dir = tempDir();
    const store = openStore(join(dir, 'overreach.db'));
    const a = store.upsertApp({ package: 'com.example.app', versionName: '1.0' });
    const b = store.upsertApp({ package: 'com.example.app', versionName: '2.0' });
    expect(a).not.toBe(b);
    expect(store.upsertApp({ package: 'com.example.app', versionName: '2.0' })).toBe(b);
    for (const appId of [a, b])
      store.createRun({ package: 'com.example.app', device: 'd', scenario: 's', toolVersion: 't', appId });
    store.close();
    const deps = captureDeps(dir);
    expect(await cli(deps, ['diff', '1', '2'])).toBe(0);
    expect(deps.out()).toMatch(/run 1 \(com\.example\.app 1\.0,.*→ run 2 \(com\.example\.app 2\.0,/);
    expect(await cli(deps, ['runs', '--json'])).toBe(0);
    expect((JSON.parse(deps.out()) as { version: string }[]).map((r) => r.version)).toEqual(['2.0', '1.0']);
  });

  it('merge refuses databases whose values were hashed with different salts, and merges one lab salt', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    const mk = (name: string, salt: string) => {
      const store = openStore(join(dir, name));
      store.createRun({
        package: 'p.q',
        device: 'd',
        scenario: 's',
        toolVersion: 't',
        config: { saltId: saltId(salt) },
      });
      store.close();
    };
    mk('a.db', 'a'.repeat(32));
    mk('b.db', 'b'.repeat(32));
    expect(await cli(deps, ['merge', 'a.db', 'b.db', '-o', 'all.db'])).toBe(2);
    expect(deps.err()).toMatch(/different salts.*OVERREACH_HASH_SALT/);
    mk('c.db', 'a'.repeat(32));
    writeFileSync(join(dir, 'a.db.salt'), `${'a'.repeat(32)}\n`);
    copyFileSync(join(dir, 'a.db.salt'), join(dir, 'c.db.salt'));
    expect(await cli(deps, ['merge', 'a.db', 'c.db', '-o', 'ac.db', '--json'])).toBe(0);
    expect((JSON.parse(deps.out()) as { inputs: unknown[] }).inputs).toHaveLength(2);
  });

  it('a farm whose app names a missing rules file is bad input before any job runs (exit 2)', async () => {
    const dir = tempDir();
    const deps = captureDeps(dir);
    const model = join(import.meta.dirname, '..', 'scenarios', 'cleaner', 'model.yaml');
    const scenario = join(import.meta.dirname, '..', 'scenarios', 'cleaner', 'scenario.yaml');
    writeFileSync(
      join(dir, 'plan.yaml'),
      `apps:\n  - { app: ${model}, rules: missing-rules.yaml }\nscenarios: [${scenario}]\ndevices: [{ sim: 1 }]\n`,
    );
    expect(await cli(deps, ['farm', 'plan.yaml', '--speed', 'max'])).toBe(2);
    expect(deps.err()).toMatch(/missing-rules\.yaml: cannot read \(ENOENT\)/);
    expect(existsSync(join(dir, 'overreach.db'))).toBe(false);
  });

  it('farm plans take pack, rules and profile per app', () => {
    const plan = parsePlan(
      'apps:\n  - { app: a.yaml, pack: cn-necessary-2021, rules: r.yaml }\n  - { app: b.apk, pack: my-pack.yaml, profile: p.yaml }\nscenarios: [s.yaml]\ndevices: [{ sim: 1 }]\n',
      '/lab/plan.yaml',
    );
    expect(plan.apps[0]).toEqual({
      kind: 'model',
      ref: '/lab/a.yaml',
      pack: 'cn-necessary-2021',
      rules: '/lab/r.yaml',
    });
    expect(plan.apps[1]).toEqual({
      kind: 'apk',
      ref: '/lab/b.apk',
      pack: '/lab/my-pack.yaml',
      profile: '/lab/p.yaml',
    });
    expect(() =>
      parsePlan(
        'apps:\n  - { app: a.yaml, colour: red }\nscenarios: [s.yaml]\ndevices: [{ sim: 1 }]\n',
        '/lab/p.yaml',
      ),
    ).toThrow(/p\.yaml:2:\d+: unknown app key "colour"/);
  });
});
