// `overreach device list|prepare` through runCli with a fake adb executable.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'overreach-device-cli-'));
const ADB = join(dir, 'adb');
const LOG = join(dir, 'calls.log');
writeFileSync(
  ADB,
  `#!/bin/sh
echo "$*" >> "${LOG}"
case "$1" in
  devices) printf 'List of devices attached\\nemulator-5554\\tdevice product:sdk model:sdk_gphone64_x86_64 device:emu64xa transport_id:1\\nR58M42ABCDE\\tunauthorized usb:1-1 transport_id:2\\n'; exit 0 ;;
esac
case "$4" in
  getprop) printf '[ro.build.version.sdk]: [34]\\n[ro.product.cpu.abi]: [x86_64]\\n[ro.debuggable]: [1]\\n' ;;
  id) echo "uid=0(root)" ;;
  "/data/local/tmp/frida-server --version") echo 16.5.2 ;;
  *) exit 0 ;;
esac
`,
);
chmodSync(ADB, 0o755);

const capture = () => captureDeps(dir, { env: { ...process.env, ADB }, defaultDb: ':memory:' });

describe('overreach device', () => {
  it('list --json: model and API level for ready devices, state for the others', async () => {
    const deps = capture();
    expect(await runCli(['device', 'list', '--json'], deps)).toBe(0);
    expect(JSON.parse(deps.out())).toEqual([
      { serial: 'emulator-5554', state: 'device', model: 'sdk_gphone64_x86_64', apiLevel: 34, abi: 'x86_64' },
      { serial: 'R58M42ABCDE', state: 'unauthorized', model: '', apiLevel: null, abi: '' },
    ]);
  });

  it('prepare: a missing file is an input error (exit 2) naming the option', async () => {
    const deps = capture();
    expect(await runCli(['device', 'prepare', '--frida-server', 'nope'], deps)).toBe(2);
    expect(deps.err()).toBe('overreach: --frida-server: nope: no such file\n');
  });

  it('prepare: an unauthorized device is refused with what to do', async () => {
    const file = join(dir, 'frida-server');
    writeFileSync(file, 'ELF');
    const deps = capture();
    expect(await runCli(['device', 'prepare', '--frida-server', file, '--device', 'R58M42ABCDE'], deps)).toBe(
      1,
    );
    expect(deps.err()).toMatch(/unauthorized: accept the USB debugging prompt/);
  });

  it('prepare: pushes, then stops on a version mismatch with the asset to download', async () => {
    const file = join(dir, 'frida-server');
    writeFileSync(file, 'ELF');
    const deps = capture();
    expect(await runCli(['device', 'prepare', '--frida-server', file], deps)).toBe(1);
    expect(deps.err()).toMatch(
      /^overreach: frida-server 16\.5\.2 on emulator-5554 does not match the frida package 17\.18\.0: push frida-server 17\.18\.0 for x86_64 \(frida-server-17\.18\.0-android-x86_64\.xz\)\n$/,
    );
  });
});
