// Java thread name of the calling thread, cached per OS thread id (asking Java every event
// would cost a JNI round trip per call).
import Java from 'frida-java-bridge';

const CACHE_MAX = 1024;
const names = new Map<number, string>();
let threadClass: Java.Wrapper | null | undefined;

/** The name of thread `tid`, the caller's own (its id read once per event by the caller). */
export function threadName(tid: number): string {
  const hit = names.get(tid);
  if (hit !== undefined) return hit;
  let name = `tid-${tid}`;
  try {
    if (threadClass === undefined) threadClass = Java.available ? Java.use('java.lang.Thread') : null;
    const current = threadClass?.currentThread();
    const n: unknown = current?.getName();
    if (typeof n === 'string') name = n;
  } catch {
    // Not attached to the VM (a native-only thread): keep the tid name.
  }
  if (names.size >= CACHE_MAX) names.clear();
  names.set(tid, name);
  return name;
}

/** Forget cached names (tests; or after the app renames threads). */
export function resetThreadNames(): void {
  names.clear();
}
