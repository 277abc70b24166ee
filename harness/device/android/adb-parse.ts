// Pure parsers for adb / shell output (Android 10–15), each tested on captured output in
// test/fixtures/device/. No I/O here: adb.ts runs the commands and hands the text over.

export const ADB_DEVICE_STATES = [
  'device',
  'offline',
  'unauthorized',
  'recovery',
  'sideload',
  'bootloader',
  'authorizing',
  'connecting',
  'no permissions',
  'host',
  'rescue',
] as const;
export type AdbDeviceState = (typeof ADB_DEVICE_STATES)[number] | 'unknown';

export interface AdbDeviceEntry {
  serial: string;
  state: AdbDeviceState;
  /** model: with underscores as adb prints them ("Pixel_7"). */
  model?: string;
  product?: string;
  device?: string;
  usb?: string;
  transportId?: number;
}

/** `adb devices -l`. Lines after "List of devices attached"; daemon chatter ("* daemon …") skipped. */
export function parseAdbDevices(text: string): AdbDeviceEntry[] {
  const out: AdbDeviceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('*') || line.startsWith('List of devices')) continue;
    // "no permissions (user in plugdev group; …)" contains spaces: match it before splitting.
    const m = /^(\S+)\s+(no permissions(?: \([^)]*\))?|\S+)(.*)$/.exec(line);
    if (!m) continue;
    const [, serial = '', rawState = '', rest = ''] = m;
    const stateWord = rawState.startsWith('no permissions') ? 'no permissions' : rawState;
    const state = (ADB_DEVICE_STATES as readonly string[]).includes(stateWord)
      ? (stateWord as AdbDeviceState)
      : 'unknown';
    const entry: AdbDeviceEntry = { serial, state };
    for (const tok of rest.trim().split(/\s+/)) {
      const i = tok.indexOf(':');
      if (i <= 0) continue;
      const key = tok.slice(0, i);
      const value = tok.slice(i + 1);
      if (key === 'model') entry.model = value;
      else if (key === 'product') entry.product = value;
      else if (key === 'device') entry.device = value;
      else if (key === 'usb') entry.usb = value;
      else if (key === 'transport_id') entry.transportId = Number(value);
    }
    out.push(entry);
  }
  return out;
}

/** `getprop` without arguments: `[key]: [value]` lines (values may be empty). */
export function parseGetprop(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\[([^\]]+)\]: \[(.*)\]\s*$/.exec(line);
    if (m?.[1] !== undefined) props.set(m[1], m[2] ?? '');
  }
  return props;
}

/** `pm list packages` (optionally with -f: `package:/data/app/…/base.apk=com.foo`). */
export function parsePmListPackages(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^package:(.+)$/.exec(line.trim());
    if (!m?.[1]) continue;
    const v = m[1];
    const eq = v.lastIndexOf('=');
    out.push(eq >= 0 && v.startsWith('/') ? v.slice(eq + 1) : v);
  }
  return out;
}

export interface PermissionState {
  name: string;
  granted: boolean;
  /** e.g. ["USER_SET", "USER_SENSITIVE_WHEN_GRANTED"]. */
  flags: string[];
}

export interface PackageDump {
  packageName: string;
  versionCode?: number;
  versionName?: string;
  minSdk?: number;
  targetSdk?: number;
  requested: string[];
  install: PermissionState[];
  /** Runtime permissions of user 0. */
  runtime: PermissionState[];
}

function parsePermissionLine(line: string): PermissionState | undefined {
  // "android.permission.CAMERA: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED]"
  const m = /^([\w.]+): granted=(true|false)(?:, flags=\[\s*([^\]]*)\])?/.exec(line.trim());
  if (!m?.[1]) return undefined;
  const flags = (m[3] ?? '')
    .split(/[|\s]+/)
    .map((f) => f.trim())
    .filter(Boolean);
  return { name: m[1], granted: m[2] === 'true', flags };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * `dumpsys package <pkg>`: the first `Package [pkg]` block under "Packages:" (the "Hidden system
 * packages:" copy of an updated system app is ignored). Undefined when the package is absent.
 */
export function parseDumpsysPackage(text: string, pkg: string): PackageDump | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith(`Package [${pkg}]`));
  if (start < 0) return undefined;
  const blockIndent = indentOf(lines[start] ?? '');
  const dump: PackageDump = { packageName: pkg, requested: [], install: [], runtime: [] };
  let section: 'none' | 'requested' | 'install' | 'runtime' = 'none';
  let sectionIndent = 0;
  let user: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim()) continue;
    const ind = indentOf(line);
    if (ind <= blockIndent) break; // next package or next top-level section
    const t = line.trim();
    if (section !== 'none' && ind <= sectionIndent) section = 'none';
    const userM = /^User (\d+):/.exec(t);
    if (userM) {
      user = Number(userM[1]);
      continue;
    }
    if (t === 'requested permissions:') {
      section = 'requested';
      sectionIndent = ind;
      continue;
    }
    if (t === 'install permissions:') {
      section = 'install';
      sectionIndent = ind;
      continue;
    }
    if (t === 'runtime permissions:') {
      section = 'runtime';
      sectionIndent = ind;
      continue;
    }
    if (section === 'requested') {
      // "android.permission.READ_EXTERNAL_STORAGE: restricted=true"
      const name = t.split(':')[0]?.trim();
      if (name) dump.requested.push(name);
      continue;
    }
    if (section === 'install' || section === 'runtime') {
      const p = parsePermissionLine(t);
      if (!p) continue;
      if (section === 'install') dump.install.push(p);
      else if ((user ?? 0) === 0) dump.runtime.push(p);
      continue;
    }
    const vc = /^versionCode=(\d+)(?:\s+minSdk=(\d+))?(?:\s+targetSdk=(\d+))?/.exec(t);
    if (vc) {
      dump.versionCode = Number(vc[1]);
      if (vc[2]) dump.minSdk = Number(vc[2]);
      if (vc[3]) dump.targetSdk = Number(vc[3]);
      continue;
    }
    const vn = /^versionName=(.*)$/.exec(t);
    if (vn) dump.versionName = vn[1] ?? '';
  }
  return dump;
}

/** Granted install-time and runtime (user 0) permissions, sorted and unique. */
export function grantedFromDump(dump: PackageDump): string[] {
  const set = new Set<string>();
  for (const p of [...dump.install, ...dump.runtime]) if (p.granted) set.add(p.name);
  return [...set].sort();
}

export interface ForegroundComponent {
  packageName: string;
  activity: string;
}

const COMPONENT_RE = /\bu\d+ ([A-Za-z0-9_.]+)\/([A-Za-z0-9_.$]+)/;

/** "com.foo/.Main" → "com.foo.Main"; fully qualified names are kept. */
export function expandActivity(pkg: string, cls: string): string {
  return cls.startsWith('.') ? `${pkg}${cls}` : cls;
}

/**
 * The resumed activity from `dumpsys activity activities` (Android 10: `mResumedActivity:`,
 * 12+: `topResumedActivity=` / `ResumedActivity:`) or `dumpsys window` (`mCurrentFocus=`,
 * `mFocusedApp=`). Most specific marker first. Undefined when nothing is resumed.
 */
export function parseForegroundActivity(text: string): ForegroundComponent | undefined {
  const markers = [
    'topResumedActivity=',
    'mResumedActivity:',
    'ResumedActivity:',
    'mFocusedApp=',
    'mCurrentFocus=',
  ];
  const lines = text.split(/\r?\n/);
  for (const marker of markers) {
    for (const line of lines) {
      const at = line.indexOf(marker);
      if (at < 0) continue;
      const m = COMPONENT_RE.exec(line.slice(at + marker.length));
      if (m?.[1] && m[2]) return { packageName: m[1], activity: expandActivity(m[1], m[2]) };
    }
  }
  return undefined;
}

/** `frida-server --version` prints e.g. "17.2.1". */
export function parseVersionLine(text: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:[-.][\w.]+)?)/.exec(text.trim())?.[1];
}
