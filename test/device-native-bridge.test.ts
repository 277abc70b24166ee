// An ARM-only app on an x86_64 image (issue 10, behaviour 9): its native code runs through the
// native bridge (ro.dalvik.vm.native.bridge), where Frida's libc hooks never see it. The
// simulated device hides such native calls from the hooks as the device does; the run says native
// coverage is degraded (runs.config coverage.native) instead of implying "no native access".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Adb } from '../harness/device/android/adb.ts';
import { AndroidDevice } from '../harness/device/android/android-device.ts';
import { nativeCoverageNote, parsePrimaryCpuAbi } from '../harness/device/android/native-bridge.ts';
import { rows, runOnSim } from './fixtures/run/sim-run.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'device', name), 'utf8');
const MODEL = join(import.meta.dirname, 'fixtures', 'device', 'arm-only.yaml');

describe('native bridge detection (pure)', () => {
  it('reads primaryCpuAbi from dumpsys package', () => {
    expect(parsePrimaryCpuAbi(fixture('dumpsys-package-api29.txt'))).toBe('arm64-v8a');
    expect(parsePrimaryCpuAbi(fixture('dumpsys-package-api34.txt'))).toBe('x86_64');
    expect(parsePrimaryCpuAbi('    primaryCpuAbi=null\n')).toBeUndefined();
  });

  it('degraded only when the app native code is of the other family', () => {
    expect(nativeCoverageNote('x86_64', 'libndk_translation.so', 'arm64-v8a')).toBe(
      'native code is arm64-v8a only, translated on this x86_64 device through the native bridge (libndk_translation.so): native hooks do not see it',
    );
    expect(nativeCoverageNote('x86_64', 'libndk_translation.so', 'x86_64')).toBeUndefined();
    expect(nativeCoverageNote('arm64-v8a', '0', 'armeabi-v7a')).toBeUndefined();
    expect(nativeCoverageNote('x86_64', '0', undefined)).toBeUndefined();
  });

  it('AndroidDevice asks the device (getprop + dumpsys package)', async () => {
    const answers: Record<string, string> = {
      getprop: '[ro.product.cpu.abi]: [x86_64]\n[ro.dalvik.vm.native.bridge]: [libndk_translation.so]\n',
      'dumpsys package com.example.shop': fixture('dumpsys-package-api29.txt'),
    };
    const adb = new Adb(
      async (args) => ({ stdout: answers[args[3] ?? ''] ?? '', stderr: '' }),
      'emulator-5554',
    );
    expect(await new AndroidDevice(adb).nativeCoverage('com.example.shop')).toMatch(
      /^native code is arm64-v8a only, translated on this x86_64 device through the native bridge/,
    );
  });
});

describe('an ARM-only app on the simulated x86_64 device', () => {
  it('its native calls reach no hook, and the run marks native coverage degraded', async () => {
    const { result, store } = await runOnSim(
      `name: arm-only\napp: { package: com.example.armonly, model: ${MODEL} }\nsteps:\n  - launch\n  - wait: 2s\n`,
    );
    expect(result.status).toBe('completed');
    const hooks = rows<{ hook: string }>(
      store,
      "SELECT hook FROM v_events WHERE run = ? AND hook NOT LIKE 'lifecycle.%' ORDER BY id",
      result.runId,
    ).map((r) => r.hook);
    expect(hooks).toEqual(['settings.secure-get-string']);
    const config = rows<{ c: string }>(store, 'SELECT config AS c FROM runs WHERE id = ?', result.runId)[0];
    const parsed = JSON.parse(config?.c ?? '{}') as { coverage?: { native?: string } };
    expect(parsed.coverage?.native).toMatch(/^degraded: native code is arm64-v8a only/);
  });
});
