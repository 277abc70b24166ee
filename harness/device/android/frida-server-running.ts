// The frida-server that is RUNNING, checked at run start: the binary on disk may have been
// replaced since it started (a newer push without a restart), or another copy (a renamed one,
// an older one left by a previous setup) may hold the port. /proc/<pid>/exe is the running
// image itself, so `/proc/<pid>/exe --version` tells the version that will answer Frida.
import { DeviceError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type { Adb } from './adb.ts';
import { parseVersionLine } from './adb-parse.ts';
import { asRoot, findRoot } from './frida-server.ts';

const log = createLog('frida-server');

/** Pids of the frida-server processes in `ps -A -o PID,ARGS` output. */
export function parseFridaServerPids(ps: string): number[] {
  const out: number[] = [];
  for (const line of ps.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (m?.[1] && m[2] && /(^|\/)frida-server[^/\s]*$/.test(m[2])) out.push(Number(m[1]));
  }
  return out;
}

export interface RunningServer {
  pid: number;
  /** Undefined when it could not be read (no root to open /proc/<pid>/exe). */
  version: string | undefined;
}

export async function runningFridaServers(adb: Adb): Promise<RunningServer[]> {
  const pids = parseFridaServerPids(await adb.shell('ps -A -o PID,ARGS'));
  if (pids.length === 0) return [];
  const root = await findRoot(adb, await adb.getprops());
  const out: RunningServer[] = [];
  for (const pid of pids) {
    const text = root ? await adb.shell(asRoot(root, `/proc/${pid}/exe --version`)).catch(() => '') : '';
    out.push({ pid, version: parseVersionLine(text) });
  }
  return out;
}

/** Throws unless a frida-server of exactly `expected` runs (and no other version beside it). */
export async function checkRunningFridaServer(adb: Adb, expected: string): Promise<void> {
  const servers = await runningFridaServers(adb);
  const fix = `run \`overreach device prepare --frida-server <frida-server ${expected}>\``;
  if (servers.length === 0) throw new DeviceError(`${adb.serial}: no frida-server is running: ${fix}`);
  const wrong = servers.filter((s) => s.version !== undefined && s.version !== expected);
  if (wrong.length > 0) {
    const list = wrong.map((s) => `${s.version} (pid ${s.pid})`).join(', ');
    throw new DeviceError(
      `${adb.serial}: the running frida-server is ${list}, the frida package is ${expected}: ${fix}`,
    );
  }
  if (servers.every((s) => s.version === undefined))
    log.warn(`${adb.serial}: cannot read the running frida-server's version (no root?)`);
}
