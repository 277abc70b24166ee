// The app's helper processes (android:process=":push") on the simulated device. Android never
// starts them with the app: a service starts its process later (model `start-after`), and the
// system restarts one after a low-memory kill. Each start gets a new pid and its agent loaded
// while it is held, as Frida's spawn gating holds it; the session prepares it (run settings),
// then it runs Application.onCreate and its on-start calls.
import type { ProcessInfo } from '../../device/types.ts';
import { DeviceError } from '../../errors.ts';
import type { SimProcessRuntime } from '../runtime/process-runtime.ts';
import type { SimSession } from './sim-session.ts';

/** What the helpers need of the device. */
export interface HelperHost {
  session(pkg: string): SimSession | undefined;
  newPid(): number;
  /** A runtime for the process with the session's agent loaded. */
  runtimeFor(session: SimSession, process: ProcessInfo): Promise<SimProcessRuntime>;
  /** Keeps a start started by a timer (awaited by the device's settle). */
  track(start: Promise<unknown>): void;
  /** The main process dies: the whole app and session end. */
  killApp(pkg: string): void;
}

/** After the main process runs: the app starts its helpers, each when the model says. */
export async function startHelpers(host: HelperHost, s: SimSession): Promise<void> {
  const app = s.app;
  if (!app) return;
  const now: Promise<unknown>[] = [];
  for (const name of app.model.processes.slice(1)) {
    const after = app.model.processStarts[name] ?? 0;
    if (after <= 0) now.push(startHelper(host, s.packageName, name));
    else app.every(after, true, () => host.track(startHelper(host, s.packageName, name)));
  }
  await Promise.all(now);
}

/** Android starts (or restarts) one helper process; undefined when the app is not running it. */
export async function startHelper(
  host: HelperHost,
  pkg: string,
  name: string,
): Promise<ProcessInfo | undefined> {
  const s = host.session(pkg);
  const app = s?.app;
  if (!s || !app?.alive || app.runtimes.has(name)) return undefined;
  if (!app.model.processes.includes(name)) throw new DeviceError(`${pkg} declares no process ${name}`);
  const p: ProcessInfo = { name, pid: host.newPid() };
  const rt = await host.runtimeFor(s, p);
  if (!app.alive || app.runtimes.has(name)) {
    rt.kill();
    return undefined;
  }
  app.runtimes.set(name, rt);
  // An unprepared or unadopted process still runs: Android does not wait for the harness.
  await s.adopt(p);
  app.startProcess(name);
  return p;
}

/** The system kills one helper (low memory); `restartAfterMs` restarts it like a sticky service. */
export function killHelper(host: HelperHost, pkg: string, name: string, restartAfterMs?: number): void {
  const s = host.session(pkg);
  const app = s?.app;
  const rt = app?.runtimes.get(name);
  if (!s || !app || !rt) return;
  if (name === pkg) {
    host.killApp(pkg);
    return;
  }
  app.processDied(name);
  s.processEnded(rt.pid, 'process-terminated');
  if (restartAfterMs !== undefined)
    app.every(restartAfterMs, true, () => host.track(startHelper(host, pkg, name)));
}
