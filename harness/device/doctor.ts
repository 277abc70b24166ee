// `overreach doctor`: what this machine (and any attached device) can do. Each check is a small
// function over injectable probes, returns one line of detail and, when it fails, one fix.
// Required: Node and better-sqlite3 (everything needs the trace store). The real-device checks
// (frida, adb, devices, root, frida-server, Appium) are optional unless --real-device is given,
// so a machine that only ingests traces or runs the simulator is healthy without them.
import { existsSync, readFileSync } from 'node:fs';
import { EnvironmentError, errorMessage } from '../errors.ts';
import { Adb, type AdbExec } from './android/adb.ts';
import { parseAdbDevices, parseVersionLine } from './android/adb-parse.ts';
import { FRIDA_SERVER_PATH } from './android/frida-server.ts';

export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  id: string;
  title: string;
  required: boolean;
  status: CheckStatus;
  detail: string;
  /** One line telling the user what to do; present when status is warn/fail. */
  fix?: string;
}

export interface DoctorProbes {
  nodeVersion(): string;
  /** Opens an in-memory database; resolves to the SQLite version. */
  sqlite(): Promise<string>;
  /** Installed frida package version, undefined when absent. */
  fridaInstalled(): string | undefined;
  /** Imports frida (rejects when it cannot load). */
  fridaLoads(): Promise<void>;
  fridaPinned(): string;
  /** Runs adb (a missing binary rejects, which the adb check reports). */
  adb: AdbExec;
  /** Versions of the Appium packages in node_modules. */
  appium(): { appium?: string; uiautomator2?: string };
}

export interface DoctorOptions {
  /** Treat the real-device checks as required (CI on an emulator farm). */
  realDevice?: boolean;
  /** Only this device (default: every ready device). */
  serial?: string;
}

type Partial_ = Omit<CheckResult, 'required'>;

export async function checkNode(p: DoctorProbes): Promise<Partial_> {
  const v = p.nodeVersion();
  const major = Number(/^v?(\d+)/.exec(v)?.[1] ?? 0);
  return major >= 20
    ? { id: 'node', title: 'Node.js >= 20', status: 'ok', detail: v }
    : { id: 'node', title: 'Node.js >= 20', status: 'fail', detail: v, fix: 'install Node.js 20 or newer' };
}

export async function checkSqlite(p: DoctorProbes): Promise<Partial_> {
  try {
    return {
      id: 'sqlite',
      title: 'better-sqlite3',
      status: 'ok',
      detail: `loads (SQLite ${await p.sqlite()})`,
    };
  } catch (err) {
    return {
      id: 'sqlite',
      title: 'better-sqlite3',
      status: 'fail',
      detail: errorMessage(err).split('\n')[0] ?? '',
      fix: 'run `npm rebuild better-sqlite3` (needs its install script approved in allowScripts)',
    };
  }
}

export async function checkFrida(p: DoctorProbes): Promise<Partial_> {
  const base = { id: 'frida', title: 'frida package' };
  const pinned = p.fridaPinned();
  const installed = p.fridaInstalled();
  const fix = `run \`npm install frida@${pinned}\` on a machine with internet (docs/real-devices.md)`;
  if (!installed) return { ...base, status: 'fail', detail: 'not installed', fix };
  if (installed !== pinned) {
    return { ...base, status: 'fail', detail: `${installed} installed, project pins ${pinned}`, fix };
  }
  try {
    await p.fridaLoads();
    return { ...base, status: 'ok', detail: installed };
  } catch (err) {
    return { ...base, status: 'fail', detail: `${installed} does not load: ${errorMessage(err)}`, fix };
  }
}

export async function checkAdb(p: DoctorProbes): Promise<Partial_> {
  try {
    const { stdout } = await p.adb(['version'], { timeoutMs: 10_000 });
    return { id: 'adb', title: 'adb', status: 'ok', detail: `version ${parseVersionLine(stdout) ?? '?'}` };
  } catch (err) {
    return {
      id: 'adb',
      title: 'adb',
      status: 'fail',
      // "adb not found (adb): install …" — the fix line says the rest
      detail: err instanceof EnvironmentError ? (errorMessage(err).split(': ')[0] ?? '') : errorMessage(err),
      fix: 'install Android platform-tools (apt install adb, or the SDK) or set ADB=/path/to/adb',
    };
  }
}

export function checkAppium(p: DoctorProbes): Partial_ {
  const v = p.appium();
  const base = { id: 'appium', title: 'Appium + UiAutomator2 driver' };
  if (v.appium && v.uiautomator2) {
    return {
      ...base,
      status: 'ok',
      detail: `appium ${v.appium}, appium-uiautomator2-driver ${v.uiautomator2}`,
    };
  }
  const missing = [v.appium ? '' : 'appium', v.uiautomator2 ? '' : 'appium-uiautomator2-driver'].filter(
    Boolean,
  );
  return {
    ...base,
    status: 'fail',
    detail: `missing: ${missing.join(', ')}`,
    fix: 'run `npm install` in the project',
  };
}

/** Root, frida-server running, frida-server version, for one ready device. Never changes the device. */
export async function checkDevice(p: DoctorProbes, serial: string): Promise<Partial_[]> {
  const adb = new Adb(p.adb, serial);
  const sh = (cmd: string) => adb.shell(cmd, { timeoutMs: 10_000 }).catch(() => '');
  const out: Partial_[] = [];
  const props = await adb.getprops().catch(() => new Map<string, string>());
  const isRoot = (s: string) => s.includes('uid=0(');
  let root = '';
  if (isRoot(await sh('id'))) root = 'adbd runs as root';
  else if (isRoot(await sh("su -c 'id'"))) root = 'su -c';
  else if (isRoot(await sh('su 0 id'))) root = 'su 0';
  else if (props.get('ro.debuggable') === '1') root = '`adb root` available (debuggable build)';
  out.push(
    root
      ? { id: `root:${serial}`, title: `root on ${serial}`, status: 'ok', detail: root }
      : {
          id: `root:${serial}`,
          title: `root on ${serial}`,
          status: 'fail',
          detail: 'no su, adbd not root, build not debuggable',
          fix: 'use an emulator image without Google Play, or a rooted phone (Magisk)',
        },
  );
  const pid = (await sh('pidof frida-server')).trim();
  const server = parseVersionLine(await sh(`${FRIDA_SERVER_PATH} --version`));
  const pinned = p.fridaPinned();
  const title = `frida-server on ${serial}`;
  const id = `frida-server:${serial}`;
  const fix = `run \`overreach device prepare --frida-server <frida-server-${pinned} for ${props.get('ro.product.cpu.abi') ?? 'its ABI'}> --device ${serial}\``;
  if (!server) out.push({ id, title, status: 'fail', detail: `not found at ${FRIDA_SERVER_PATH}`, fix });
  else if (server !== pinned)
    out.push({ id, title, status: 'fail', detail: `${server} (package pins ${pinned})`, fix });
  else if (!pid) out.push({ id, title, status: 'fail', detail: `${server} present but not running`, fix });
  else out.push({ id, title, status: 'ok', detail: `${server} running (pid ${pid})` });
  return out;
}

export async function runDoctor(p: DoctorProbes, opts: DoctorOptions = {}): Promise<CheckResult[]> {
  const req = (r: Partial_): CheckResult => ({ ...r, required: true });
  const opt = (r: Partial_): CheckResult => ({ ...r, required: Boolean(opts.realDevice) });
  const results: CheckResult[] = [req(await checkNode(p)), req(await checkSqlite(p))];
  results.push(opt(await checkFrida(p)));
  results.push(opt(checkAppium(p)));
  const adb = opt(await checkAdb(p));
  results.push(adb);
  if (adb.status !== 'ok') {
    results.push(opt({ id: 'devices', title: 'Android devices', status: 'skip', detail: 'adb unavailable' }));
  } else {
    const entries = parseAdbDevices((await p.adb(['devices', '-l'], { timeoutMs: 15_000 })).stdout).filter(
      (e) => !opts.serial || e.serial === opts.serial,
    );
    const ready = entries.filter((e) => e.state === 'device');
    const others = entries.filter((e) => e.state !== 'device').map((e) => `${e.serial} ${e.state}`);
    const detail = [...ready.map((e) => `${e.serial} (${e.model ?? '?'})`), ...others].join(', ') || 'none';
    results.push(
      opt(
        ready.length
          ? { id: 'devices', title: 'Android devices', status: 'ok', detail }
          : {
              id: 'devices',
              title: 'Android devices',
              status: 'fail',
              detail,
              fix: 'start an emulator (x86_64 image) or connect a phone with USB debugging; accept the RSA prompt',
            },
      ),
    );
    for (const d of ready) for (const r of await checkDevice(p, d.serial)) results.push(opt(r));
  }
  // An optional check that fails is a warning: the report says what is missing without failing.
  return results.map((r) => (r.status === 'fail' && !r.required ? { ...r, status: 'warn' } : r));
}

export function doctorFailed(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.required && r.status === 'fail');
}

export function formatDoctor(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.title.length));
  const lines = results.map((r) => {
    const head = `${r.status.padEnd(4)}  ${r.title.padEnd(width)}  ${r.detail}${r.required ? '' : r.status === 'ok' ? '' : ' (optional)'}`;
    return r.fix && r.status !== 'ok' ? `${head}\n      fix: ${r.fix}` : head;
  });
  const failed = doctorFailed(results);
  lines.push(failed.length ? `${failed.length} required check(s) failed` : 'all required checks passed');
  return `${lines.join('\n')}\n`;
}

/** Versions from node_modules/<name>/package.json (no import: Appium is heavy). */
export function packageVersion(root: string, name: string): string | undefined {
  const path = `${root}node_modules/${name}/package.json`;
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version;
}
