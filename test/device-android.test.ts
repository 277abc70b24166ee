// AndroidDevice against a fake adb: device choice, describe, permissions, AppOps with the
// device clock, location per device kind, foreground, logcat crash capture, frida absent.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Adb, type AdbExec } from '../harness/device/android/adb.ts';
import { parseAdbDevices } from '../harness/device/android/adb-parse.ts';
import {
  AndroidDevice,
  chooseDevice,
  type StreamingProcess,
} from '../harness/device/android/android-device.ts';
import { DeviceError, EnvironmentError } from '../harness/errors.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/device/${name}`, import.meta.url), 'utf8');

function fakeExec(answers: Record<string, string>) {
  const calls: string[][] = [];
  const exec: AdbExec = async (args) => {
    calls.push([...args]);
    const key = args[2] === 'shell' ? (args[3] ?? '') : args.slice(args[0] === '-s' ? 2 : 0).join(' ');
    const a = answers[key];
    if (a === undefined) throw new DeviceError(`adb ${args.join(' ')}: exit code 255: unknown`);
    return { stdout: a, stderr: '' };
  };
  return { exec, calls };
}

describe('chooseDevice', () => {
  const all = parseAdbDevices(fixture('devices-l.txt'));

  it('needs --device when several are ready; picks the only ready one otherwise', () => {
    expect(() => chooseDevice(all)).toThrow(
      /2 devices attached \(emulator-5554, 28131FDH2000RX\): pass --device/,
    );
    expect(chooseDevice(all.filter((d) => d.serial !== '28131FDH2000RX')).serial).toBe('emulator-5554');
    expect(chooseDevice(all, '28131FDH2000RX').model).toBe('Pixel_7');
  });

  it('explains unauthorized, offline, unknown and absent devices', () => {
    expect(() => chooseDevice(all, 'R58M42ABCDE')).toThrow(/unauthorized: accept the USB debugging prompt/);
    expect(() => chooseDevice(all, '192.168.1.23:5555')).toThrow(/is offline/);
    expect(() => chooseDevice(all, 'nope')).toThrow(/device nope not found by adb/);
    expect(() => chooseDevice([])).toThrow(/no Android device attached/);
  });
});

describe('AndroidDevice over a fake adb', () => {
  const answers = {
    'devices -l': fixture('devices-l.txt'),
    getprop: fixture('getprop-api34-emulator.txt'),
    'dumpsys package com.example.shop': fixture('dumpsys-package-api34.txt'),
    'date +%s; cmd appops get com.example.shop': `1715682093\n${fixture('appops-get-api34.txt')}`,
    'dumpsys activity activities': fixture('dumpsys-activity-activities-api34.txt'),
    'pm list packages com.example.shop': 'package:com.example.shop\npackage:com.example.shopping\n',
    'pm list packages com.example.sho': 'package:com.example.shop\n',
    'pm clear com.example.shop': 'Success\n',
    'pm grant com.example.shop android.permission.CAMERA': '',
    'emu geo fix 13.405 52.52': 'OK\n',
  };

  it('opens the named device and describes it', async () => {
    const { exec } = fakeExec(answers);
    const d = await AndroidDevice.open('emulator-5554', { exec });
    expect(await d.describe()).toEqual({
      serial: 'emulator-5554',
      model: 'sdk_gphone64_x86_64',
      manufacturer: 'Google',
      apiLevel: 34,
      release: '14',
      abi: 'x86_64',
      emulator: true,
    });
  });

  it('package state through pm and dumpsys', async () => {
    const { exec, calls } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'));
    expect(await d.isInstalled('com.example.shop')).toBe(true);
    expect(await d.isInstalled('com.example.sho')).toBe(false);
    await d.clearData('com.example.shop');
    await d.grant('com.example.shop', 'android.permission.CAMERA');
    expect(calls.at(-1)).toEqual([
      '-s',
      'emulator-5554',
      'shell',
      'pm grant com.example.shop android.permission.CAMERA',
    ]);
    await expect(d.revoke('com.example.shop', 'android.permission.CAMERA')).rejects.toThrow(/exit code 255/);
    expect(await d.grantedPermissions('com.example.shop')).toContain('android.permission.CAMERA');
    expect(await d.grantedPermissions('com.example.shop')).not.toContain('android.permission.READ_CONTACTS');
  });

  it('refuses shell metacharacters in package and permission names', async () => {
    const { exec, calls } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'));
    await expect(d.clearData('com.x; reboot')).rejects.toThrow(/not a valid package name/);
    await expect(d.grant('com.example.shop', 'a;reboot')).rejects.toThrow(/not a valid permission name/);
    expect(calls).toEqual([]);
  });

  it('AppOps times are relative to the device clock', async () => {
    const { exec } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'));
    const cam = (await d.appOps('com.example.shop')).find((o) => o.op === 'CAMERA');
    expect(cam?.lastAccessTime).toBe(1_715_682_093_000 - 62_345);
  });

  it('foreground activity; location by geo fix on the emulator', async () => {
    const { exec, calls } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'));
    expect(await d.foregroundActivity()).toEqual({
      packageName: 'com.example.shop',
      activity: 'com.example.sdk.ads.InterstitialActivity',
    });
    await d.setLocation(52.52, 13.405);
    expect(calls.at(-1)).toEqual(['-s', 'emulator-5554', 'emu', 'geo', 'fix', '13.405', '52.52']);
  });

  it('location on an Android 10 phone is refused with the reason', async () => {
    const { exec } = fakeExec({ ...answers, getprop: fixture('getprop-api29-phone.txt') });
    const d = new AndroidDevice(new Adb(exec, 'abc123'));
    await expect(d.setLocation(1, 2)).rejects.toThrow(/needs an emulator or Android 12\+ \(API 29\)/);
  });

  it('captures crashes from a streaming logcat and stops it', async () => {
    const stdout = new PassThrough();
    const emitter = new EventEmitter();
    let spawnedWith: string[] = [];
    let killed = false;
    const proc: StreamingProcess = {
      stdout,
      kill: () => {
        killed = true;
        setImmediate(() => emitter.emit('exit'));
        return true;
      },
      once: (ev, fn) => emitter.once(ev, fn),
    };
    const { exec } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'), {
      spawnAdb: (args) => {
        spawnedWith = args;
        return proc;
      },
    });
    const seen: string[] = [];
    const watch = await d.watchCrashes((e) => seen.push(`${e.kind}:${e.process}`));
    expect(spawnedWith).toEqual([
      '-s',
      'emulator-5554',
      'logcat',
      '-v',
      'threadtime',
      '-v',
      'year',
      '-v',
      'UTC',
      '-T',
      '1',
    ]);
    const text = fixture('logcat-crash-anr.txt').replace(/^05-14 /gm, '2024-05-14 ');
    stdout.write(text.slice(0, 1000));
    stdout.write(text.slice(1000));
    await new Promise((r) => setImmediate(r));
    await watch.stop();
    expect(killed).toBe(true);
    expect(seen).toEqual([
      'crash:com.example.shop',
      'anr:com.example.shop',
      'native-crash:com.example.shop:push',
    ]);
    expect(watch.events()[0]?.time).toBe(Date.UTC(2024, 4, 14, 10, 21, 33, 123));
  });

  it('spawn without the frida package is an EnvironmentError', async () => {
    const { exec } = fakeExec(answers);
    const d = new AndroidDevice(new Adb(exec, 'emulator-5554'));
    await expect(
      d.spawn('com.example.shop', { agentSource: '', onMessage: () => {} }),
    ).rejects.toBeInstanceOf(EnvironmentError);
    await d.close();
  });
});
