// `overreach device prepare`: push frida-server, start it as root on loopback, wait until it
// listens, check its version against the frida package (client and server must match), and
// check that the listener is that server (docs/real-devices.md).
import { DeviceError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type { Adb } from './adb.ts';
import { parseVersionLine } from './adb-parse.ts';

const log = createLog('frida-server');

export const FRIDA_SERVER_PATH = '/data/local/tmp/frida-server';
export const FRIDA_PORT = 27042;

const ABI_ARCH: Readonly<Record<string, string>> = {
  'arm64-v8a': 'arm64',
  'armeabi-v7a': 'arm',
  armeabi: 'arm',
  x86: 'x86',
  x86_64: 'x86_64',
};

/** Frida's architecture name for an Android ABI ("arm64-v8a" → "arm64"). */
export function fridaArch(abi: string): string {
  const arch = ABI_ARCH[abi];
  if (!arch)
    throw new DeviceError(
      `unsupported ABI '${abi}' (frida-server exists for ${Object.keys(ABI_ARCH).join(', ')})`,
    );
  return arch;
}

/** The release asset to download: frida-server-17.2.1-android-arm64.xz. */
export function fridaServerAsset(version: string, abi: string): string {
  return `frida-server-${version}-android-${fridaArch(abi)}.xz`;
}

/** Throws the actionable mismatch error unless server and package versions are identical. */
export function checkFridaServerVersion(server: string, pkg: string, serial: string, abi: string): void {
  if (server === pkg) return;
  throw new DeviceError(
    `frida-server ${server} on ${serial} does not match the frida package ${pkg}: push frida-server ${pkg} for ${fridaArch(abi)} (${fridaServerAsset(pkg, abi)})`,
  );
}

/** Whether /proc/net/tcp (or tcp6) shows a LISTEN socket (state 0A) on `port`. */
export function tcpListening(procNetTcp: string, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of procNetTcp.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (local?.endsWith(`:${hexPort}`) && cols[3] === '0A') return true;
  }
  return false;
}

/** The inode of the LISTEN socket on `port` in /proc/net/tcp(6) text (column 10), if any. */
export function listenerInode(procNetTcp: string, port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of procNetTcp.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && /^\d+$/.test(cols[9] ?? '')) return cols[9];
  }
  return undefined;
}

/** Shell loop (as root) printing "<pid> <exe>" for each process holding socket `inode`. */
export function socketOwnersCommand(inode: string): string {
  return `for p in /proc/[0-9]*; do ls -l $p/fd 2>/dev/null | grep -qF "socket:[${inode}]" && echo \${p#/proc/} $(readlink $p/exe); done`;
}

/** Parses socketOwnersCommand output. */
export function parseSocketOwners(out: string): { pid: number; exe: string }[] {
  const owners: { pid: number; exe: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\d+)(?:\s+(\S+))?$/.exec(line.trim());
    if (m) owners.push({ pid: Number(m[1]), exe: m[2] ?? '' });
  }
  return owners;
}

/**
 * Any process may listen on 27042 (an app, an old or renamed frida-server): the port answering
 * proves nothing. The listener must be owned by a process running the binary we pushed and
 * version-checked (`--version` above), found through the socket's inode in /proc/<pid>/fd.
 */
async function checkListenerOwner(adb: Adb, root: RootMethod, tcp: string): Promise<number> {
  const inode = listenerInode(tcp, FRIDA_PORT);
  const owners = inode
    ? parseSocketOwners(await adb.shell(asRoot(root, socketOwnersCommand(inode))).catch(() => ''))
    : [];
  const ours = owners.find((o) => o.exe === FRIDA_SERVER_PATH);
  if (ours) return ours.pid;
  const who = owners.length
    ? owners.map((o) => `pid ${o.pid} ${o.exe || '(unknown executable)'}`).join(', ')
    : 'a process that could not be identified';
  throw new DeviceError(
    `${adb.serial}: port ${FRIDA_PORT} is held by ${who}, not the frida-server overreach started (${FRIDA_SERVER_PATH}); stop it and run device prepare again`,
  );
}

export const ROOT_METHODS = ['adbd-root', 'su-c', 'su-0'] as const;
export type RootMethod = (typeof ROOT_METHODS)[number];

/** Wraps a shell command to run as root: Magisk/SuperSU `su -c`, AOSP userdebug `su 0`. */
export function asRoot(method: RootMethod, command: string): string {
  if (method === 'adbd-root') return command;
  if (method === 'su-c') return `su -c '${command.replace(/'/g, `'\\''`)}'`;
  return `su 0 ${command}`;
}

function isRootId(out: string): boolean {
  return /uid=0\(root\)/.test(out);
}

export function isEmulatorProps(props: Map<string, string>, serial: string): boolean {
  return (
    serial.startsWith('emulator-') ||
    props.get('ro.kernel.qemu') === '1' ||
    props.get('ro.boot.qemu') === '1' ||
    ['ranchu', 'goldfish'].includes(props.get('ro.hardware') ?? '')
  );
}

/** Finds a way to run commands as root; `adb root` is tried on debuggable builds (emulators). */
export async function findRoot(adb: Adb, props: Map<string, string>): Promise<RootMethod | undefined> {
  const tryShell = async (cmd: string) => adb.shell(cmd).catch(() => '');
  if (isRootId(await tryShell('id'))) return 'adbd-root';
  if (props.get('ro.debuggable') === '1') {
    await adb.run(['root']).catch(() => undefined);
    await adb.run(['wait-for-device'], { timeoutMs: 30_000 }).catch(() => undefined);
    if (isRootId(await tryShell('id'))) return 'adbd-root';
  }
  if (isRootId(await tryShell(asRoot('su-c', 'id')))) return 'su-c';
  if (isRootId(await tryShell(asRoot('su-0', 'id')))) return 'su-0';
  return undefined;
}

export interface PrepareResult {
  serial: string;
  abi: string;
  version: string;
  root: RootMethod;
  port: number;
  /** The frida-server process that owns the listening socket. */
  pid: number;
}

export interface PrepareOptions {
  /** The frida package version the server must match. */
  expectedVersion: string;
  /** How long to wait for the server to listen (default 10 s). */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function prepareFridaServer(
  adb: Adb,
  localFile: string,
  opts: PrepareOptions,
): Promise<PrepareResult> {
  const sleep = opts.sleep ?? realSleep;
  const props = await adb.getprops();
  const abi = props.get('ro.product.cpu.abi') ?? '';
  fridaArch(abi);
  const root = await findRoot(adb, props);
  if (!root) {
    throw new DeviceError(
      `${adb.serial}: no root: use an emulator image without Google Play (adb root works there) or a rooted phone (Magisk su)`,
    );
  }
  await adb.push(localFile, FRIDA_SERVER_PATH);
  await adb.shell(asRoot(root, `chmod 755 ${FRIDA_SERVER_PATH}`));
  const version = parseVersionLine(await adb.shell(`${FRIDA_SERVER_PATH} --version`));
  if (!version)
    throw new DeviceError(`${adb.serial}: ${FRIDA_SERVER_PATH} --version printed no version (wrong ABI?)`);
  checkFridaServerVersion(version, opts.expectedVersion, adb.serial, abi);
  // A server left from an earlier run may be another version: restart it. pkill only signals
  // it: until it has exited it holds the port, a new server cannot bind (and -D hides that), and
  // the old one would answer the "listening" check below.
  await adb.shell(asRoot(root, 'pkill frida-server')).catch(() => undefined);
  const released = Date.now() + (opts.waitMs ?? 10_000);
  for (;;) {
    const tcp = await adb.shell(asRoot(root, 'cat /proc/net/tcp /proc/net/tcp6')).catch(() => '');
    if (!tcpListening(tcp, FRIDA_PORT)) break;
    if (Date.now() >= released) {
      throw new DeviceError(
        `${adb.serial}: an old frida-server is still listening on 127.0.0.1:${FRIDA_PORT} after pkill: stop it (adb shell su -c 'killall -9 frida-server') or reboot the device`,
      );
    }
    await sleep(250);
  }
  await adb.shell(asRoot(root, `${FRIDA_SERVER_PATH} -D -l 127.0.0.1:${FRIDA_PORT}`));
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  let tcp = '';
  for (;;) {
    tcp = await adb.shell(asRoot(root, 'cat /proc/net/tcp /proc/net/tcp6')).catch(() => '');
    if (tcpListening(tcp, FRIDA_PORT)) break;
    if (Date.now() >= deadline) {
      throw new DeviceError(
        `${adb.serial}: frida-server did not listen on 127.0.0.1:${FRIDA_PORT} within ${opts.waitMs ?? 10_000} ms`,
      );
    }
    await sleep(250);
  }
  const pid = await checkListenerOwner(adb, root, tcp);
  log.info(`${adb.serial}: frida-server ${version} (pid ${pid}) listening (root: ${root})`);
  return { serial: adb.serial, abi, version, root, port: FRIDA_PORT, pid };
}
