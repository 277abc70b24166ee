// Relaunch on a real-device path (issue 10, behaviour 3): a scenario's launch, relaunch, cold
// launch and clear-data launch run by the runner against AndroidDevice with the frida double
// (test/helpers/frida-double.ts). After each one no old session may stay attached: a helper that
// starts later is adopted ONCE (one agent, one resume), and one call is one message.
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Adb } from '../harness/device/android/adb.ts';
import { AndroidDevice, type StreamingProcess } from '../harness/device/android/android-device.ts';
import type { FridaModule } from '../harness/device/android/frida-load.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { openStore } from '../harness/store/store.ts';
import { FakeDevice } from './helpers/frida-double.ts';

const PKG = 'com.example.shop';

function adbShell(calls: string[]) {
  return async (args: readonly string[]) => {
    const cmd = args[2] === 'shell' ? (args[3] ?? '') : args.slice(2).join(' ');
    calls.push(cmd);
    const answers: Record<string, string> = {
      'ps -A -o PID,ARGS': '  PID ARGS\n  812 /data/local/tmp/frida-server -D\n',
      id: 'uid=0(root) gid=0(root)',
      getprop: '[ro.product.cpu.abi]: [x86_64]\n[ro.build.version.sdk]: [34]\n[ro.debuggable]: [1]\n',
      '/proc/812/exe --version': '17.18.0\n',
      [`pm list packages ${PKG}`]: `package:${PKG}\n`,
      [`pm clear ${PKG}`]: 'Success\n',
      [`date +%s; cmd appops get ${PKG}`]: '1715682093\n',
    };
    return { stdout: answers[cmd] ?? '', stderr: '' };
  };
}

function quietLogcat(): StreamingProcess {
  const emitter = new EventEmitter();
  return {
    stdout: new PassThrough(),
    kill: () => {
      setImmediate(() => emitter.emit('exit'));
      return true;
    },
    once: (ev, fn) => emitter.once(ev, fn),
  };
}

describe('launch, relaunch, cold launch, clear-data launch on a Frida device', () => {
  it('leave no old session attached: one agent per helper, one resume, one event per call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overreach-relaunch-'));
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      `name: relaunches\napp: { package: ${PKG} }\nsteps:\n  - launch\n  - relaunch\n  - launch: { cold: true }\n  - launch: { clear-data: true }\n  - wait: 1s\n`,
    );
    const scenario = await loadScenario(file);
    const fake = new FakeDevice();
    fake.agentHello = true;
    const frida = { getDevice: async () => fake } as unknown as FridaModule;
    const device = new AndroidDevice(new Adb(adbShell([]), 'emulator-5554'), {
      loadFrida: async () => frida,
      fridaVersion: '17.18.0',
      spawnAdb: () => quietLogcat(),
    });
    const store = openStore(join(dir, 'o.db'));
    let pid = 0;
    const result = await runScenario({
      scenario,
      device,
      store,
      outDir: dir,
      agentSource: 'rpc.exports = {};',
      onProgress: (p) => {
        // After the last launch the app starts its :push helper (spawn gating holds it).
        if (p.type === 'step-start' && p.kind === 'wait') pid = fake.startProcess(`${PKG}:push`);
      },
    });
    expect(result.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(fake.calls.filter((c) => c.startsWith('spawn '))).toHaveLength(4);
    const count = (call: string) => fake.calls.filter((c) => c === call).length;
    // One agent in the helper (two agents would report every call twice), resumed once.
    expect(count(`attach ${pid}`)).toBe(1);
    expect(count(`createScript ${pid}`)).toBe(1);
    expect(count(`resume ${pid}`)).toBe(1);
    // The main processes: each resumed once, and each one's predecessor is gone.
    const mains = fake.calls.filter((c) => /^attach \d+$/.test(c) && c !== `attach ${pid}`);
    expect(mains).toHaveLength(4);
    for (const m of mains) expect(count(m.replace('attach', 'resume'))).toBe(1);
    store.close();
    await device.close();
  });
});
