import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_CATEGORIES } from '../agent/protocol/messages.ts';
import {
  allPermissions,
  categoriesGuardedBy,
  isDangerous,
  loadPlatformData,
  permissionInfo,
  permissionsGuarding,
} from '../harness/knowledge/permissions.ts';
import { FRAMEWORK_RES_APK, generatePlatformPermissions } from '../harness/knowledge/platform-source.ts';
import {
  decodeProtectionLevel,
  formatProtectionLevel,
  parseProtectionLevel,
} from '../harness/knowledge/protection-level.ts';

describe('platform permission data', () => {
  it('matches a fresh generation from Debian framework-res.apk', () => {
    // CI installs android-framework-res; its absence is a failure, not a skip.
    expect(existsSync(FRAMEWORK_RES_APK), FRAMEWORK_RES_APK).toBe(true);
    expect(generatePlatformPermissions()).toEqual(loadPlatformData());
  });

  it('has the API 29 platform set', () => {
    const data = loadPlatformData();
    expect(data.source.apiLevel).toBe(29);
    expect(data.permissions.length).toBeGreaterThan(500);
  });
});

describe('permissionInfo', () => {
  it('knows classic dangerous permissions and their runtime groups', () => {
    expect(permissionInfo('android.permission.READ_CONTACTS')).toMatchObject({
      base: 'dangerous',
      group: 'android.permission-group.CONTACTS',
      source: 'framework-res',
    });
    expect(permissionInfo('ACCESS_FINE_LOCATION')).toMatchObject({
      protectionLevel: 'dangerous|instant',
      group: 'android.permission-group.LOCATION',
    });
    expect(permissionInfo('GET_ACCOUNTS')?.group).toBe('android.permission-group.CONTACTS');
    expect(permissionInfo('READ_PHONE_NUMBERS')).toMatchObject({ base: 'dangerous', since: 26 });
  });

  it('decodes signature permissions with flags', () => {
    const saw = permissionInfo('SYSTEM_ALERT_WINDOW');
    expect(saw?.base).toBe('signature');
    expect(saw?.flags).toEqual(expect.arrayContaining(['appop', 'pre23', 'preinstalled', 'development']));
    expect(permissionInfo('REQUEST_INSTALL_PACKAGES')?.flags).toContain('appop');
    expect(permissionInfo('READ_PRIVILEGED_PHONE_STATE')).toMatchObject({ base: 'signature' });
    expect(permissionInfo('READ_PRIVILEGED_PHONE_STATE')?.flags).toContain('privileged');
  });

  it('adds post-API-29 permissions from the supplement', () => {
    for (const name of [
      'POST_NOTIFICATIONS',
      'BLUETOOTH_SCAN',
      'BLUETOOTH_CONNECT',
      'BLUETOOTH_ADVERTISE',
      'NEARBY_WIFI_DEVICES',
      'READ_MEDIA_IMAGES',
      'READ_MEDIA_VIDEO',
      'READ_MEDIA_AUDIO',
      'READ_MEDIA_VISUAL_USER_SELECTED',
      'BODY_SENSORS_BACKGROUND',
      'UWB_RANGING',
    ]) {
      expect(isDangerous(name), name).toBe(true);
      expect(permissionInfo(name)?.source).toBe('supplement');
      expect(permissionInfo(name)?.since ?? 0).toBeGreaterThanOrEqual(31);
    }
    expect(permissionInfo('QUERY_ALL_PACKAGES')).toMatchObject({ base: 'normal', since: 30 });
    expect(permissionInfo('POST_NOTIFICATIONS')?.group).toBe('android.permission-group.NOTIFICATIONS');
    expect(permissionInfo('READ_MEDIA_AUDIO')?.group).toBe('android.permission-group.READ_MEDIA_AURAL');
  });

  it('says normal permissions are not dangerous and unknown ones are unknown', () => {
    expect(isDangerous('INTERNET')).toBe(false);
    expect(permissionInfo('INTERNET')?.base).toBe('normal');
    expect(permissionInfo('com.example.CUSTOM')).toBeUndefined();
    expect(isDangerous('com.example.CUSTOM')).toBe(false);
  });

  it('gives every dangerous permission a runtime group', () => {
    const missing = allPermissions()
      .filter((p) => p.base === 'dangerous' && p.group === null)
      .map((p) => p.name);
    expect(missing).toEqual([]);
  });
});

describe('categories ↔ permissions', () => {
  it('maps both ways consistently', () => {
    for (const cat of DATA_CATEGORIES) {
      for (const perm of permissionsGuarding(cat)) expect(categoriesGuardedBy(perm), perm).toContain(cat);
    }
  });

  it('knows the guards the analysis relies on', () => {
    expect(permissionsGuarding('location')).toEqual(
      expect.arrayContaining([
        'android.permission.ACCESS_FINE_LOCATION',
        'android.permission.ACCESS_COARSE_LOCATION',
        'android.permission.ACCESS_BACKGROUND_LOCATION',
      ]),
    );
    expect(categoriesGuardedBy('READ_PHONE_STATE')).toEqual(
      expect.arrayContaining(['device-id', 'phone-number']),
    );
    expect(categoriesGuardedBy('android.permission.QUERY_ALL_PACKAGES')).toEqual(['installed-apps']);
    expect(categoriesGuardedBy('SYSTEM_ALERT_WINDOW')).toEqual(['overlay']);
    expect(categoriesGuardedBy('REQUEST_INSTALL_PACKAGES')).toEqual(['install-prompt']);
    expect(categoriesGuardedBy('INTERNET')).toEqual([]);
    expect(permissionsGuarding('clipboard')).toEqual([]);
  });

  it('only names permissions the knowledge base knows', () => {
    const unknown = DATA_CATEGORIES.flatMap((c) => permissionsGuarding(c)).filter((p) => !permissionInfo(p));
    expect(unknown).toEqual([]);
  });
});

describe('protection levels', () => {
  it('round-trips manifest spellings', () => {
    for (const text of ['dangerous', 'signature|privileged|appop', 'normal|instant', 'signatureOrSystem']) {
      const bits = parseProtectionLevel(text);
      expect(bits).toBeDefined();
      expect(formatProtectionLevel(decodeProtectionLevel(bits ?? -1))).toBe(text);
    }
    expect(parseProtectionLevel('signature|system')).toBe(0x12);
    expect(parseProtectionLevel('signature|bogus')).toBeUndefined();
  });
});
