// adb output parsers on captured output (test/fixtures/device/, Android 10–15 formats).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expandActivity,
  grantedFromDump,
  parseAdbDevices,
  parseDumpsysPackage,
  parseForegroundActivity,
  parseGetprop,
  parsePmListPackages,
  parseVersionLine,
} from '../harness/device/android/adb-parse.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/device/${name}`, import.meta.url), 'utf8');

describe('adb devices -l', () => {
  const devices = parseAdbDevices(fixture('devices-l.txt'));

  it('skips daemon chatter and the header, keeps every device line', () => {
    expect(devices.map((d) => d.serial)).toEqual([
      'emulator-5554',
      '28131FDH2000RX',
      'R58M42ABCDE',
      '192.168.1.23:5555',
      '0123456789ABCDEF',
    ]);
  });

  it('reads state, model, product, device and transport id', () => {
    expect(devices[0]).toEqual({
      serial: 'emulator-5554',
      state: 'device',
      product: 'sdk_gphone64_x86_64',
      model: 'sdk_gphone64_x86_64',
      device: 'emu64xa',
      transportId: 1,
    });
    expect(devices[1]).toMatchObject({ model: 'Pixel_7', usb: '1-1.3', transportId: 3 });
  });

  it('reports unauthorized, offline and "no permissions" devices', () => {
    expect(devices[2]).toEqual({
      serial: 'R58M42ABCDE',
      state: 'unauthorized',
      usb: '1-1.4',
      transportId: 4,
    });
    expect(devices[3]?.state).toBe('offline');
    expect(devices[4]).toMatchObject({ state: 'no permissions', usb: '1-2', transportId: 6 });
  });

  it('returns nothing for an empty list', () => {
    expect(parseAdbDevices('List of devices attached\n\n')).toEqual([]);
  });
});

describe('getprop', () => {
  it('reads [key]: [value] lines including empty values', () => {
    const p = parseGetprop(fixture('getprop-api34-emulator.txt'));
    expect(p.get('ro.build.version.sdk')).toBe('34');
    expect(p.get('ro.product.cpu.abi')).toBe('x86_64');
    expect(p.get('ro.kernel.qemu')).toBe('');
    expect(p.get('ro.build.fingerprint')).toContain('emu64xa:14/');
  });

  it('keeps spaces inside values (Android 10 phone)', () => {
    const p = parseGetprop(fixture('getprop-api29-phone.txt'));
    expect(p.get('ro.product.model')).toBe('Redmi Note 7');
    expect(p.get('ro.build.version.sdk')).toBe('29');
  });
});

describe('pm list packages', () => {
  it('plain and -f forms', () => {
    expect(parsePmListPackages(fixture('pm-list-packages.txt'))).toEqual([
      'com.android.settings',
      'com.example.shop',
      'com.google.android.gms',
    ]);
    expect(parsePmListPackages(fixture('pm-list-packages-f.txt'))).toEqual([
      'com.android.settings',
      'com.example.shop',
    ]);
  });
});

describe('dumpsys package', () => {
  it('Android 14: versions, requested, install and user-0 runtime permissions with flags', () => {
    const d = parseDumpsysPackage(fixture('dumpsys-package-api34.txt'), 'com.example.shop');
    expect(d).toBeDefined();
    if (!d) return;
    expect(d.versionCode).toBe(4021);
    expect(d.versionName).toBe('4.2.1');
    expect(d.minSdk).toBe(24);
    expect(d.targetSdk).toBe(34);
    expect(d.requested).toHaveLength(10);
    expect(d.requested).toContain('android.permission.READ_EXTERNAL_STORAGE');
    expect(d.install.map((p) => p.name)).toContain('android.permission.INTERNET');
    expect(d.install.every((p) => p.granted && p.flags.length === 0)).toBe(true);
    // user 10's READ_CONTACTS grant must not leak into user 0
    expect(d.runtime).toHaveLength(6);
    const contacts = d.runtime.find((p) => p.name === 'android.permission.READ_CONTACTS');
    expect(contacts).toEqual({
      name: 'android.permission.READ_CONTACTS',
      granted: false,
      flags: ['USER_SET', 'USER_FIXED', 'USER_SENSITIVE_WHEN_GRANTED', 'USER_SENSITIVE_WHEN_DENIED'],
    });
    expect(grantedFromDump(d)).toEqual([
      'android.permission.ACCESS_COARSE_LOCATION',
      'android.permission.ACCESS_FINE_LOCATION',
      'android.permission.ACCESS_NETWORK_STATE',
      'android.permission.CAMERA',
      'android.permission.INTERNET',
      'com.example.shop.permission.C2D_MESSAGE',
      'com.google.android.c2dm.permission.RECEIVE',
    ]);
  });

  it('Android 10: runtime lines without flags; the hidden system copy is ignored', () => {
    const d = parseDumpsysPackage(fixture('dumpsys-package-api29.txt'), 'com.example.shop');
    expect(d?.versionCode).toBe(3900);
    expect(d?.versionName).toBe('3.9.0');
    expect(d?.requested).not.toContain('android.permission.CAMERA');
    expect(d?.runtime.find((p) => p.name === 'android.permission.ACCESS_FINE_LOCATION')).toEqual({
      name: 'android.permission.ACCESS_FINE_LOCATION',
      granted: false,
      flags: [],
    });
    expect(d && grantedFromDump(d)).toEqual([
      'android.permission.INTERNET',
      'android.permission.READ_EXTERNAL_STORAGE',
      'android.permission.READ_PHONE_STATE',
      'android.permission.WAKE_LOCK',
      'android.permission.WRITE_EXTERNAL_STORAGE',
    ]);
  });

  it('undefined for a package that is not in the dump', () => {
    expect(parseDumpsysPackage(fixture('dumpsys-package-api34.txt'), 'com.other.app')).toBeUndefined();
  });
});

describe('foreground activity', () => {
  it('Android 10 mResumedActivity, short class name expanded', () => {
    expect(parseForegroundActivity(fixture('dumpsys-activity-activities-api29.txt'))).toEqual({
      packageName: 'com.example.shop',
      activity: 'com.example.shop.ui.CheckoutActivity',
    });
  });

  it('Android 14 topResumedActivity wins over the paused activity listed before it', () => {
    expect(parseForegroundActivity(fixture('dumpsys-activity-activities-api34.txt'))).toEqual({
      packageName: 'com.example.shop',
      activity: 'com.example.sdk.ads.InterstitialActivity',
    });
  });

  it('dumpsys window: mFocusedApp / mCurrentFocus; nothing under the keyguard', () => {
    expect(parseForegroundActivity(fixture('dumpsys-window-api30.txt'))).toEqual({
      packageName: 'com.example.shop',
      activity: 'com.example.shop.MainActivity',
    });
    expect(parseForegroundActivity(fixture('dumpsys-window-keyguard.txt'))).toBeUndefined();
  });

  it('expands only relative class names', () => {
    expect(expandActivity('com.a', '.B')).toBe('com.a.B');
    expect(expandActivity('com.a', 'org.x.B')).toBe('org.x.B');
  });
});

describe('version line', () => {
  it('reads frida-server --version', () => {
    expect(parseVersionLine('17.2.1\n')).toBe('17.2.1');
    expect(parseVersionLine('/system/bin/sh: frida-server: not executable: 64-bit ELF file')).toBeUndefined();
  });
});
