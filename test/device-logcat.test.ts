// logcat -v threadtime parsing and crash / ANR / native-crash assembly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crashesFromLogcat, LineSplitter, parseLogcatLine } from '../harness/device/android/logcat.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/device/${name}`, import.meta.url), 'utf8');

describe('logcat line', () => {
  it('parses threadtime fields (UTC, year given)', () => {
    const l = parseLogcatLine('05-14 10:21:33.123  4321  4330 E AndroidRuntime: FATAL EXCEPTION: main', {
      utc: true,
      year: 2024,
    });
    expect(l).toEqual({
      time: Date.UTC(2024, 4, 14, 10, 21, 33, 123),
      pid: 4321,
      tid: 4330,
      level: 'E',
      tag: 'AndroidRuntime',
      message: 'FATAL EXCEPTION: main',
    });
  });

  it('accepts -v year stamps and padded tags; rejects separators', () => {
    const l = parseLogcatLine('2025-01-02 03:04:05.006  1  2 F libc    : Fatal signal 6', { utc: true });
    expect(l?.time).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    expect(l?.tag).toBe('libc');
    expect(parseLogcatLine('--------- beginning of crash')).toBeUndefined();
  });
});

describe('crash assembly', () => {
  const events = crashesFromLogcat(fixture('logcat-crash-anr.txt'), { utc: true, year: 2024 });

  it('finds the Java crash, the ANR and the native crash, in order', () => {
    expect(events.map((e) => [e.kind, e.process, e.pid])).toEqual([
      ['crash', 'com.example.shop', 4321],
      ['anr', 'com.example.shop', 5678],
      ['native-crash', 'com.example.shop:push', 6789],
    ]);
  });

  it('keeps the exception line and first frames of a crash', () => {
    const crash = events[0];
    expect(crash?.time).toBe(Date.UTC(2024, 4, 14, 10, 21, 33, 123));
    const lines = crash?.detail.split('\n') ?? [];
    expect(lines[0]).toMatch(/^java\.lang\.RuntimeException: Unable to start activity/);
    expect(lines).toContain('at com.example.shop.MainActivity.onCreate(MainActivity.java:42)');
    expect(lines.length).toBeLessThanOrEqual(6);
  });

  it('keeps the ANR component and reason, not the load lines', () => {
    const anr = events[1];
    expect(anr?.detail).toContain('com.example.shop/.ui.CheckoutActivity');
    expect(anr?.detail).toContain('Reason: Input dispatching timed out');
    expect(anr?.detail).not.toContain('Load:');
  });

  it('describes the signal of a native crash', () => {
    expect(events[2]?.detail).toBe('Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0');
  });
});

describe('line splitter', () => {
  it('joins chunks split mid-line and strips CR', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('ab');
    s.push('c\r\nde');
    s.push('f\ng');
    s.end();
    expect(lines).toEqual(['abc', 'def', 'g']);
  });
});
