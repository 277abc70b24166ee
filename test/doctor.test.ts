// `overreach doctor`: report shaping and exit codes with injected probes, and end to end through
// runCli with a fake adb executable (and with no adb at all, as on this machine).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorCommand } from '../harness/cli/commands/doctor.ts';
import { runCli } from '../harness/cli/program.ts';
import type { AdbExec } from '../harness/device/android/adb.ts';
import { type CheckResult, type DoctorProbes, formatDoctor, runDoctor } from '../harness/device/doctor.ts';
import { DeviceError, EnvironmentError } from '../harness/errors.ts';
import { captureDeps } from './helpers/cli.ts';

function capture(env: NodeJS.ProcessEnv = {}) {
  return captureDeps(process.cwd(), { env: { ...process.env, ...env }, defaultDb: ':memory:' });
}

const DEVICES =
  'List of devices attached\nemulator-5554\tdevice product:sdk model:sdk_gphone64_x86_64 device:emu64xa transport_id:1\n';

function probes(over: Partial<DoctorProbes> = {}, shell: Record<string, string> = {}): DoctorProbes {
  const adb: AdbExec = async (args) => {
    if (args[0] === 'version')
      return { stdout: 'Android Debug Bridge version 1.0.41\nVersion 35.0.1-11580240\n', stderr: '' };
    if (args[0] === 'devices') return { stdout: DEVICES, stderr: '' };
    const answer = shell[args[3] ?? ''];
    if (answer === undefined) throw new DeviceError(`adb ${args.join(' ')}: exit code 1`);
    return { stdout: answer, stderr: '' };
  };
  return {
    nodeVersion: () => 'v20.20.2',
    sqlite: async () => '3.50.4',
    fridaInstalled: () => '17.18.0',
    fridaLoads: async () => {},
    fridaPinned: () => '17.18.0',
    adb,
    appium: () => ({ appium: '3.8.0', uiautomator2: '8.7.0' }),
    ...over,
  };
}

const READY_DEVICE = {
  getprop: '[ro.product.cpu.abi]: [x86_64]\n[ro.debuggable]: [1]\n',
  id: 'uid=0(root) gid=0(root)',
  'pidof frida-server': '2345\n',
  '/data/local/tmp/frida-server --version': '17.18.0\n',
};

const byId = (rs: CheckResult[]) => new Map(rs.map((r) => [r.id, r]));

describe('runDoctor', () => {
  it('a fully prepared emulator: every check ok', async () => {
    const rs = await runDoctor(probes({}, READY_DEVICE));
    expect(rs.map((r) => [r.id, r.status])).toEqual([
      ['node', 'ok'],
      ['sqlite', 'ok'],
      ['frida', 'ok'],
      ['appium', 'ok'],
      ['adb', 'ok'],
      ['devices', 'ok'],
      ['root:emulator-5554', 'ok'],
      ['frida-server:emulator-5554', 'ok'],
    ]);
    expect(byId(rs).get('frida-server:emulator-5554')?.detail).toBe('17.18.0 running (pid 2345)');
    expect(byId(rs).get('adb')?.detail).toBe('version 1.0.41');
  });

  it('optional failures are warnings with a fix; required ones stay failures', async () => {
    const rs = await runDoctor(
      probes({
        nodeVersion: () => 'v18.19.0',
        fridaInstalled: () => undefined,
        adb: async () => {
          throw new EnvironmentError(
            'adb not found (adb): install Android platform-tools or set ADB=/path/to/adb',
          );
        },
      }),
    );
    const m = byId(rs);
    expect(m.get('node')).toMatchObject({
      status: 'fail',
      required: true,
      fix: 'install Node.js 20 or newer',
    });
    expect(m.get('frida')).toMatchObject({ status: 'warn', required: false, detail: 'not installed' });
    expect(m.get('frida')?.fix).toContain('npm install frida@17.18.0');
    expect(m.get('adb')?.status).toBe('warn');
    expect(m.get('devices')).toMatchObject({ status: 'skip', detail: 'adb unavailable' });
    const text = formatDoctor(rs);
    expect(text).toMatch(/^fail {2}Node\.js >= 20 +v18\.19\.0\n {6}fix: install Node\.js 20 or newer$/m);
    expect(text).toContain('not installed (optional)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 required check(s) failed');
  });

  it('--real-device makes the device checks required', async () => {
    const rs = await runDoctor(probes({ fridaInstalled: () => '16.5.2' }, READY_DEVICE), {
      realDevice: true,
    });
    expect(byId(rs).get('frida')).toMatchObject({
      status: 'fail',
      required: true,
      detail: '16.5.2 installed, project pins 17.18.0',
    });
  });

  it('a mismatched or stopped frida-server and no root are reported per device', async () => {
    const rs = await runDoctor(
      probes(
        {},
        {
          getprop: '[ro.product.cpu.abi]: [arm64-v8a]\n',
          id: 'uid=2000(shell)',
          '/data/local/tmp/frida-server --version': '16.5.2',
        },
      ),
    );
    const m = byId(rs);
    expect(m.get('root:emulator-5554')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('Magisk'),
    });
    expect(m.get('frida-server:emulator-5554')).toMatchObject({
      status: 'warn',
      detail: '16.5.2 (package pins 17.18.0)',
    });
    expect(m.get('frida-server:emulator-5554')?.fix).toContain('frida-server-17.18.0 for arm64-v8a');
  });

  it('a broken better-sqlite3 is a required failure', async () => {
    const rs = await runDoctor(
      probes({
        sqlite: async () => {
          throw new Error('The module was compiled against a different Node.js version\nmore');
        },
      }),
    );
    expect(byId(rs).get('sqlite')).toMatchObject({
      status: 'fail',
      required: true,
      detail: 'The module was compiled against a different Node.js version',
    });
  });
});

describe('doctor command', () => {
  it('--json prints the report and throws when a required check fails', async () => {
    const deps = capture();
    await expect(
      doctorCommand(deps, { json: true }, probes({ nodeVersion: () => 'v18.0.0' })),
    ).rejects.toThrow('doctor: required check(s) failed: node');
    const report = JSON.parse(deps.out()) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'node', status: 'fail' });
  });

  it('through runCli on a machine without adb: clear report, exit 0 (only optional checks fail)', async () => {
    const deps = capture({ ADB: '/nonexistent/adb' });
    const code = await runCli(['doctor'], deps);
    const text = deps.out();
    expect(code).toBe(0);
    expect(deps.err()).toBe('');
    expect(text).toMatch(/^ok {4}better-sqlite3 +loads \(SQLite 3\.\d+/m);
    expect(text).toContain('adb not found (/nonexistent/adb)');
    expect(text).toMatch(/^skip {2}Android devices/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe('all required checks passed');
  });

  it('through runCli with --real-device and no adb: exit code 1 and a one-line error', async () => {
    const deps = capture({ ADB: '/nonexistent/adb' });
    const code = await runCli(['doctor', '--real-device', '--json'], deps);
    expect(code).toBe(1);
    expect(deps.err()).toMatch(/^overreach: doctor: required check\(s\) failed: .*adb.*\n$/);
  });

  it('through runCli with a fake adb executable: the device and its frida-server are checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overreach-adb-'));
    const script = join(dir, 'adb');
    writeFileSync(
      script,
      `#!/bin/sh
case "$1" in
  version) echo "Android Debug Bridge version 1.0.41"; exit 0 ;;
  devices) printf 'List of devices attached\\nemulator-5554\\tdevice model:sdk_gphone64_x86_64 transport_id:1\\n'; exit 0 ;;
esac
case "$4" in
  getprop) echo "[ro.product.cpu.abi]: [x86_64]" ;;
  id) echo "uid=0(root) gid=0(root)" ;;
  "pidof frida-server") echo 777 ;;
  "/data/local/tmp/frida-server --version") echo 17.18.0 ;;
  *) exit 1 ;;
esac
`,
    );
    chmodSync(script, 0o755);
    const deps = capture({ ADB: script });
    const code = await runCli(['doctor', '--json'], deps);
    const report = JSON.parse(deps.out()) as { checks: CheckResult[] };
    const m = byId(report.checks);
    expect(m.get('devices')).toMatchObject({ status: 'ok', detail: 'emulator-5554 (sdk_gphone64_x86_64)' });
    expect(m.get('root:emulator-5554')).toMatchObject({ status: 'ok', detail: 'adbd runs as root' });
    // this machine has no frida package: the pinned version decides
    expect(m.get('frida-server:emulator-5554')?.detail).toBe('17.18.0 running (pid 777)');
    expect(code).toBe(0);
  });
});
