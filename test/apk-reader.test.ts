// Our APK reader against Debian's aapt on real APKs shipped by npm packages.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApk } from '../harness/apk/read-apk.ts';
import { runCli } from '../harness/cli/program.ts';
import { FRAMEWORK_RES_APK } from '../harness/knowledge/platform-source.ts';
import { captureDeps } from './helpers/cli.ts';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

const APKS = [
  join(pkgDir('android-apidemos'), 'apks/ApiDemos-debug.apk'),
  join(pkgDir('io.appium.settings'), 'apks/settings_apk-debug.apk'),
  join(pkgDir('appium-uiautomator2-server'), 'apks/appium-uiautomator2-server-v10.6.6.apk'),
  join(pkgDir('appium-uiautomator2-server'), 'apks/appium-uiautomator2-server-debug-androidTest.apk'),
  FRAMEWORK_RES_APK,
];

interface AaptFacts {
  package: string;
  versionCode: number | null;
  versionName: string | null;
  minSdk: number | null;
  targetSdk: number | null;
  label: string | null;
  uses: { name: string; maxSdkVersion: number | null; sdk23: boolean }[];
  defines: string[];
}

function aapt(args: string[]): string {
  // No skip: CI installs aapt (Debian package `aapt`); a missing oracle is a failure.
  return execFileSync('aapt', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

const field = (line: string, key: string) => new RegExp(`${key}='([^']*)'`).exec(line)?.[1] ?? null;
const num = (s: string | null) => (s === null || s === '' ? null : Number(s));

function aaptFacts(apk: string): AaptFacts {
  const badging = aapt(['dump', 'badging', apk]).split('\n');
  const head = badging.find((l) => l.startsWith('package:')) ?? '';
  const labelLine = badging.find((l) => l.startsWith('application-label:'));
  const facts: AaptFacts = {
    package: field(head, 'name') ?? '',
    versionCode: num(field(head, 'versionCode')),
    versionName: field(head, 'versionName') || null,
    minSdk: num(/^sdkVersion:'(\d+)'/m.exec(badging.join('\n'))?.[1] ?? null),
    targetSdk: num(/^targetSdkVersion:'(\d+)'/m.exec(badging.join('\n'))?.[1] ?? null),
    label: labelLine ? (/^application-label:'(.*)'$/.exec(labelLine)?.[1] ?? null) : null,
    uses: [],
    defines: [],
  };
  for (const line of aapt(['dump', 'permissions', apk]).split('\n')) {
    const m = /^(uses-permission(?:-sdk-23)?|permission): (?:name=)?'?([^' ]+)'?/.exec(line);
    if (!m) continue;
    if (m[1] === 'permission') facts.defines.push(m[2] ?? '');
    else {
      facts.uses.push({
        name: m[2] ?? '',
        maxSdkVersion: num(field(line, 'maxSdkVersion')),
        sdk23: m[1] === 'uses-permission-sdk-23',
      });
    }
  }
  return facts;
}

describe('readApk vs aapt on real APKs', () => {
  it('has every test APK and aapt available', () => {
    for (const apk of APKS) expect(existsSync(apk), apk).toBe(true);
    expect(aapt(['version'])).toMatch(/Android Asset Packaging Tool/);
  });

  for (const apk of APKS) {
    it(`agrees with aapt on ${apk.split('/').pop()}`, () => {
      const ours = readApk(apk);
      const theirs = aaptFacts(apk);
      expect(ours.package).toBe(theirs.package);
      expect(ours.versionCode).toBe(theirs.versionCode);
      expect(ours.versionName).toBe(theirs.versionName);
      if (theirs.minSdk !== null) expect(ours.minSdk).toBe(theirs.minSdk);
      if (theirs.targetSdk !== null) expect(ours.targetSdk).toBe(theirs.targetSdk);
      expect(ours.usesPermissions).toEqual(theirs.uses);
      expect(ours.permissions).toEqual(theirs.uses.map((u) => u.name));
      expect(ours.definedPermissions.map((p) => p.name)).toEqual(theirs.defines);
      if (theirs.label) expect(ours.label).toBe(theirs.label);
      expect(ours.sha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('resolves the label through resources.arsc and keeps the resource id', () => {
    const info = readApk(APKS[0] ?? '');
    expect(info.label).toBe('API Demos');
    expect(info.labelRef).toMatch(/^@0x7f[0-9a-f]{6}$/);
  });

  it('reads components with exported flags and intent-filter actions', () => {
    const info = readApk(APKS[0] ?? '');
    const launcher = info.components.find((c) => c.name === 'io.appium.android.apis.ApiDemos');
    expect(launcher?.kind).toBe('activity');
    expect(launcher?.actions).toContain('android.intent.action.MAIN');
    expect(launcher?.exportedEffective).toBe(true);
    const xml = aapt(['dump', 'xmltree', APKS[0] ?? '', 'AndroidManifest.xml']);
    const count = (tag: string) => (xml.match(new RegExp(`E: ${tag} \\(`, 'g')) ?? []).length;
    const kinds = ['activity', 'activity-alias', 'service', 'receiver', 'provider'] as const;
    for (const k of kinds) expect(info.components.filter((c) => c.kind === k).length, k).toBe(count(k));
  });

  it('computes the sha256 of the file', () => {
    const apk = APKS[1] ?? '';
    const sum = execFileSync('sha256sum', [apk], { encoding: 'utf8' }).split(' ')[0];
    expect(readApk(apk).sha256).toBe(sum);
  });
});

describe('overreach apk', () => {
  const run = async (args: string[]) => {
    const deps = captureDeps(process.cwd(), { defaultDb: ':memory:' });
    const code = await runCli(args, deps);
    return { code, out: deps.out(), err: deps.err() };
  };

  it('prints JSON with the documented keys', async () => {
    const r = await run(['apk', APKS[1] ?? '', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j['package']).toBe('io.appium.settings');
    expect(j['versionCode']).toBe(192);
    expect(j['versionName']).toBe('8.0.10');
    expect(j['minSdk']).toBe(26);
    expect(j['targetSdk']).toBe(35);
    expect(j['permissions']).toContain('android.permission.READ_PHONE_STATE');
  });

  it('prints text with protection levels and maxSdk', async () => {
    const r = await run(['apk', APKS[1] ?? '']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/android\.permission\.READ_PHONE_STATE {2}\[dangerous\]/);
    expect(r.out).toMatch(/android\.permission\.BLUETOOTH {2}\[normal.*maxSdk 30\]/);
  });

  it('fails with exit 2 and one line for a missing file', async () => {
    const r = await run(['apk', 'no-such.apk']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('overreach: no-such.apk: cannot read (ENOENT)\n');
  });
});
