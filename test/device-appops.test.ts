// `cmd appops get` parsing (relative times → absolute) and the op → DataCategory map.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appOpCategory, parseAndroidDuration, parseAppOps } from '../harness/device/android/adb-appops.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/device/${name}`, import.meta.url), 'utf8');
const NOW = 1_715_682_093_000;

describe('TimeUtils.formatDuration', () => {
  it('parses every unit, zero and negatives', () => {
    expect(parseAndroidDuration('+1m2s345ms')).toBe(62_345);
    expect(parseAndroidDuration('+3h2m')).toBe(10_920_000);
    expect(parseAndroidDuration('+1d2h3m4s5ms')).toBe(93_784_005);
    expect(parseAndroidDuration('+12ms')).toBe(12);
    expect(parseAndroidDuration('0')).toBe(0);
    expect(parseAndroidDuration('-5s')).toBe(-5_000);
    expect(parseAndroidDuration('soon')).toBeUndefined();
    expect(parseAndroidDuration('+')).toBeUndefined();
  });
});

describe('cmd appops get', () => {
  it('Android 14: uid modes, package times, reject times, durations', () => {
    const ops = parseAppOps(fixture('appops-get-api34.txt'), NOW);
    const by = new Map(ops.map((o) => [o.op, o]));
    expect(by.get('CAMERA')).toEqual({
      op: 'CAMERA',
      mode: 'allow',
      lastAccessTime: NOW - 62_345,
      lastDurationMs: 5_000,
    });
    expect(by.get('COARSE_LOCATION')).toEqual({
      op: 'COARSE_LOCATION',
      mode: 'allow',
      lastAccessTime: NOW - 10_920_000,
    });
    expect(by.get('READ_CLIPBOARD')?.lastAccessTime).toBe(NOW - 12_000);
    // uid-level ignore is what the platform enforces, even though the package line says allow
    expect(by.get('RECORD_AUDIO')).toEqual({
      op: 'RECORD_AUDIO',
      mode: 'ignore',
      lastRejectTime: NOW - 40_000,
    });
    expect(by.get('READ_CONTACTS')).toEqual({ op: 'READ_CONTACTS', mode: 'ignore' });
    expect(by.get('READ_DEVICE_IDENTIFIERS')).toEqual({
      op: 'READ_DEVICE_IDENTIFIERS',
      mode: 'deny',
      lastRejectTime: NOW - 120_000,
    });
    expect(by.get('SYSTEM_ALERT_WINDOW')?.mode).toBe('default');
    expect(by.get('WAKE_LOCK')?.lastDurationMs).toBe(250);
    expect(ops.map((o) => o.op)).toEqual([...ops.map((o) => o.op)].sort());
    expect(ops).toHaveLength(13); // 12 package ops + READ_CONTACTS from the uid block only
  });

  it('Android 10: no uid section, "(running)" entries', () => {
    const ops = parseAppOps(fixture('appops-get-api29.txt'), NOW);
    expect(ops).toHaveLength(9);
    expect(ops.find((o) => o.op === 'READ_PHONE_STATE')?.lastAccessTime).toBe(NOW - 4_812);
    expect(ops.find((o) => o.op === 'CAMERA')).toEqual({ op: 'CAMERA', mode: 'allow' });
    expect(ops.find((o) => o.op === 'RUN_IN_BACKGROUND')).toEqual({
      op: 'RUN_IN_BACKGROUND',
      mode: 'ignore',
      lastRejectTime: NOW - 7_200_000,
    });
  });

  it('a "Package <pkg>:" header ends the uid block', () => {
    const ops = parseAppOps(fixture('appops-get-package-section.txt'), NOW);
    expect(ops.map((o) => o.op)).toEqual(['CAMERA', 'LEGACY_STORAGE', 'READ_CLIPBOARD']);
    expect(ops.find((o) => o.op === 'CAMERA')?.lastDurationMs).toBe(3_000);
  });

  it('"No operations." is empty', () => {
    expect(parseAppOps(fixture('appops-get-empty.txt'), NOW)).toEqual([]);
  });
});

describe('op → DataCategory', () => {
  it('maps the sensitive ops', () => {
    const cases: [string, string | undefined][] = [
      ['CAMERA', 'camera'],
      ['RECORD_AUDIO', 'microphone'],
      ['COARSE_LOCATION', 'location'],
      ['FINE_LOCATION', 'location'],
      ['MONITOR_LOCATION', 'location'],
      ['WIFI_SCAN', 'location'],
      ['READ_CONTACTS', 'contacts'],
      ['READ_CALL_LOG', 'call-log'],
      ['READ_SMS', 'sms'],
      ['RECEIVE_SMS', 'sms'],
      ['READ_CALENDAR', 'calendar'],
      ['READ_CLIPBOARD', 'clipboard'],
      ['READ_PHONE_STATE', 'device-id'],
      ['READ_DEVICE_IDENTIFIERS', 'device-id'],
      ['GET_ACCOUNTS', 'accounts'],
      ['PROJECT_MEDIA', 'screen-capture'],
      ['SYSTEM_ALERT_WINDOW', 'overlay'],
      ['POST_NOTIFICATION', 'notification'],
      ['QUERY_ALL_PACKAGES', 'installed-apps'],
      ['BODY_SENSORS', 'sensors'],
      ['READ_MEDIA_IMAGES', 'media'],
      ['READ_EXTERNAL_STORAGE', 'media'],
      ['OP_CAMERA', 'camera'],
      ['WAKE_LOCK', undefined],
      ['TOAST_WINDOW', undefined],
    ];
    for (const [op, cat] of cases) expect([op, appOpCategory(op)]).toEqual([op, cat]);
  });
});
