import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { loadProfile, parseProfile } from '../harness/profile/profile.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/profiles');

function errorOf(text: string, file = 'profile.yaml'): string {
  try {
    parseProfile(text, file, '/base');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected parseProfile to fail');
}

const VALID = `package: com.example.app
category: online_gaming
privacyPolicy:
  declares:
    - category: phone-number
      purposes: [login]
  sdks: [jpush]
`;

describe('loadProfile', () => {
  it('loads the fixture, resolving SDK names and ids and the APK path', () => {
    const p = loadProfile(join(FIXTURES, 'shop.yaml'));
    expect(p.package).toBe('com.example.shop');
    expect(p.category).toBe('online_shopping');
    expect(p.apk).toBe(join(import.meta.dirname, '../node_modules/android-apidemos/apks/ApiDemos-debug.apk'));
    expect(p.privacyPolicy.declares).toEqual([
      { category: 'phone-number', purposes: ['account'] },
      { category: 'location', purposes: ['store-finder', 'delivery'], sdk: 'amap-location' },
      { category: 'device-id', purposes: ['analytics'], sdk: 'umeng-common' },
    ]);
    expect(p.privacyPolicy.sdks).toEqual(['umeng-analytics', 'tencent-bugly', 'Some In-House Tracker']);
    expect(p.privacyPolicy.unknownSdks).toEqual(['Some In-House Tracker']);
  });

  it('parses a minimal profile', () => {
    const p = parseProfile(VALID, 'p.yaml', '/base');
    expect(p.category).toBe('online_gaming');
    expect(p.privacyPolicy.sdks).toEqual(['jpush']);
    expect(p.apk).toBeUndefined();
  });

  it('names line and column of a bad category', () => {
    const text = VALID.replace('online_gaming', 'gaming');
    const msg = errorOf(text);
    expect(msg).toMatch(
      /^profile\.yaml:2:11: category: expected one of map_navigation, ride_hailing, .*, custom, got "gaming"$/,
    );
  });

  it('names the position of a nested bad data category', () => {
    const text = `package: com.example.app
category: news
privacyPolicy:
  declares:
    - category: phone-number
    - purposes: [ads]
      category: imei
`;
    expect(errorOf(text)).toMatch(
      /^profile\.yaml:7:17: privacyPolicy\.declares\[1\]\.category: expected one of device-id, .*, got "imei"$/,
    );
  });

  it('points at unknown keys (typos)', () => {
    const text = VALID.replace('  declares:', '  declare:');
    expect(errorOf(text)).toBe(
      'profile.yaml:4:3: privacyPolicy.declare: unknown key (expected one of declares, sdks)',
    );
  });

  it('rejects missing and mistyped fields', () => {
    expect(errorOf('package: com.example.app\ncategory: news\n')).toBe(
      'profile.yaml:1:1: (document): missing key privacyPolicy',
    );
    expect(errorOf(VALID.replace('package: com.example.app', 'package: 12'))).toBe(
      'profile.yaml:1:10: package: expected a non-empty string, got 12',
    );
    expect(errorOf(VALID.replace('package: com.example.app', 'package: shop'))).toMatch(
      /^profile\.yaml:1:10: package: expected a Java package name/,
    );
    expect(errorOf(VALID.replace('[login]', 'login'))).toBe(
      'profile.yaml:6:17: privacyPolicy.declares[0].purposes: expected a list, got "login"',
    );
    expect(errorOf('- just\n- a list\n')).toBe(
      'profile.yaml:1:1: (document): expected a mapping, got a list',
    );
  });

  it('allows `necessary` only for custom categories', () => {
    expect(errorOf(`${VALID}necessary: [location]\n`)).toBe(
      'profile.yaml:8:1: necessary: only allowed with category: custom',
    );
    const p = parseProfile(
      VALID.replace('online_gaming', 'custom').concat('necessary: [location]\n'),
      'p.yaml',
      '/base',
    );
    expect(p.necessary).toEqual(['location']);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errorOf('package: [unclosed\ncategory: news\n')).toMatch(
      /^profile\.yaml:1:1: YAML: Flow sequence/,
    );
    expect(errorOf('package: a.b\npackage: c.d\n')).toBe('profile.yaml:1:1: YAML: Map keys must be unique');
  });

  it('fails on an unreadable file with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    expect(() => loadProfile(join(dir, 'none.yaml'), 'none.yaml')).toThrow('none.yaml: cannot read (ENOENT)');
    writeFileSync(join(dir, 'p.yaml'), VALID.replace('online_gaming', 'utility_tools'));
    expect(loadProfile(join(dir, 'p.yaml')).category).toBe('utility_tools');
  });
});
