// The `adb` binary through child_process.execFile (no shell on the host), with timeouts and
// typed errors. Every command goes through an AdbExec so tests can inject a fake adb.
import { execFile } from 'node:child_process';
import { DeviceError, EnvironmentError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import {
  type AdbDeviceEntry,
  type ForegroundComponent,
  grantedFromDump,
  type PackageDump,
  parseAdbDevices,
  parseDumpsysPackage,
  parseForegroundActivity,
  parseGetprop,
  parsePmListPackages,
} from './adb-parse.ts';

const log = createLog('adb');

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
}

/** Runs `adb <args>`; rejects with DeviceError (non-zero exit, timeout) or EnvironmentError (no adb). */
export type AdbExec = (args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export const DEFAULT_ADB_TIMEOUT_MS = 30_000;

/** The adb binary: $ADB, else $ANDROID_HOME/platform-tools/adb, else `adb` on PATH. */
export function adbBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env['ADB']) return env['ADB'];
  const sdk = env['ANDROID_HOME'] ?? env['ANDROID_SDK_ROOT'];
  return sdk ? `${sdk}/platform-tools/adb` : 'adb';
}

export function createAdbExec(bin = adbBinary()): AdbExec {
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const timeout = options.timeoutMs ?? DEFAULT_ADB_TIMEOUT_MS;
      log.debug(`${bin} ${args.join(' ')}`);
      execFile(
        bin,
        [...args],
        { timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (!err) {
            resolve({ stdout, stderr });
            return;
          }
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (e.code === 'ENOENT') {
            reject(
              new EnvironmentError(
                `adb not found (${bin}): install Android platform-tools or set ADB=/path/to/adb`,
                { cause: err },
              ),
            );
            return;
          }
          const why = e.killed ? `timed out after ${timeout} ms` : `exit code ${String(e.code)}`;
          const detail = (stderr || stdout).trim().split('\n').slice(-3).join(' | ');
          reject(
            new DeviceError(`adb ${args.join(' ')}: ${why}${detail ? `: ${detail}` : ''}`, { cause: err }),
          );
        },
      );
    });
}

const PACKAGE_RE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;
const PERMISSION_RE = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** Package names reach a device shell: refuse anything that is not a plain package name. */
export function checkPackageName(pkg: string): string {
  if (!PACKAGE_RE.test(pkg)) throw new DeviceError(`not a valid package name: '${pkg}'`);
  return pkg;
}

function checkPermission(p: string): string {
  if (!PERMISSION_RE.test(p)) throw new DeviceError(`not a valid permission name: '${p}'`);
  return p;
}

/** Lists devices (`adb devices -l`). */
export async function listAdbDevices(exec: AdbExec): Promise<AdbDeviceEntry[]> {
  const { stdout } = await exec(['devices', '-l'], { timeoutMs: 15_000 });
  return parseAdbDevices(stdout);
}

/** adb commands bound to one device serial. */
export class Adb {
  constructor(
    readonly exec: AdbExec,
    readonly serial: string,
  ) {}

  run(args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.exec(['-s', this.serial, ...args], options);
  }

  /** `adb shell <command>`: the words are joined by adb and run by the device's sh. */
  async shell(command: string, options?: ExecOptions): Promise<string> {
    const { stdout } = await this.run(['shell', command], options);
    return stdout;
  }

  async getprops(): Promise<Map<string, string>> {
    return parseGetprop(await this.shell('getprop'));
  }

  /**
   * `adb install -r [-g]`: -r keeps data and grants on update (as an app store update does).
   * -g (grant every runtime permission) only when asked: by default the scenario decides grants,
   * because how an app behaves before a grant is part of what is measured.
   */
  async install(apkPath: string, grantAll = false): Promise<void> {
    const args = ['install', '-r', ...(grantAll ? ['-g'] : []), apkPath];
    const { stdout, stderr } = await this.run(args, { timeoutMs: 180_000 });
    const out = `${stdout}\n${stderr}`;
    if (!/^Success\s*$/m.test(out)) {
      const failure = /Failure \[[^\]]*\]|INSTALL_[A-Z_]+[^\n]*/.exec(out)?.[0] ?? out.trim();
      throw new DeviceError(`${this.serial}: install ${apkPath} failed: ${failure}`);
    }
  }

  async packages(): Promise<string[]> {
    return parsePmListPackages(await this.shell('pm list packages'));
  }

  async isInstalled(pkg: string): Promise<boolean> {
    const out = await this.shell(`pm list packages ${checkPackageName(pkg)}`);
    return parsePmListPackages(out).includes(pkg);
  }

  async clearData(pkg: string): Promise<void> {
    const out = await this.shell(`pm clear ${checkPackageName(pkg)}`);
    if (!out.includes('Success')) throw new DeviceError(`${this.serial}: pm clear ${pkg}: ${out.trim()}`);
  }

  async grant(pkg: string, permission: string): Promise<void> {
    await this.shell(`pm grant ${checkPackageName(pkg)} ${checkPermission(permission)}`);
  }

  async revoke(pkg: string, permission: string): Promise<void> {
    await this.shell(`pm revoke ${checkPackageName(pkg)} ${checkPermission(permission)}`);
  }

  async dumpsysPackage(pkg: string): Promise<PackageDump> {
    const out = await this.shell(`dumpsys package ${checkPackageName(pkg)}`);
    const dump = parseDumpsysPackage(out, pkg);
    if (!dump) throw new DeviceError(`${this.serial}: package ${pkg} is not installed`);
    return dump;
  }

  async grantedPermissions(pkg: string): Promise<string[]> {
    return grantedFromDump(await this.dumpsysPackage(pkg));
  }

  /** Device time (ms) and `cmd appops get` in one shell call, so relative times resolve exactly. */
  async appOpsRaw(pkg: string): Promise<{ deviceNow: number; text: string }> {
    const out = await this.shell(`date +%s; cmd appops get ${checkPackageName(pkg)}`);
    const nl = out.indexOf('\n');
    const secs = Number(out.slice(0, nl).trim());
    return { deviceNow: Number.isFinite(secs) ? secs * 1000 : Date.now(), text: out.slice(nl + 1) };
  }

  async foreground(): Promise<ForegroundComponent | undefined> {
    const act = parseForegroundActivity(await this.shell('dumpsys activity activities'));
    if (act) return act;
    return parseForegroundActivity(await this.shell('dumpsys window windows'));
  }

  /** Emulator console `geo fix` (longitude first). */
  async emuGeoFix(lat: number, lon: number): Promise<void> {
    await this.run(['emu', 'geo', 'fix', String(lon), String(lat)]);
  }

  /** Android 12+ on a phone: a shell-owned test provider for "gps" (no mock-location app needed). */
  async testProviderLocation(lat: number, lon: number): Promise<void> {
    await this.shell('appops set com.android.shell android:mock_location allow');
    await this.shell('cmd location providers add-test-provider gps');
    await this.shell('cmd location providers set-test-provider-enabled gps true');
    await this.shell(`cmd location providers set-test-provider-location gps --location ${lat},${lon}`);
  }

  async push(local: string, remote: string): Promise<void> {
    await this.run(['push', local, remote], { timeoutMs: 120_000 });
  }
}
