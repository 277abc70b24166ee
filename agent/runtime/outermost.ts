// One call by the app is one event. Android's public overloads call each other
// (TelephonyManager.getImei() → getImei(int), NotificationManager.notify(id, n) → notify(tag, id,
// n) → notifyAsUser, ContentResolver.query 5 → 6 args → the Bundle form …) and a hooked
// Method.invoke calls its hooked target; with every overload hooked, each hop would report the
// same app call again. So each thread keeps the categories claimed by the hooked calls it is
// inside: a hooked call whose category an outer one on the same thread already claims is the
// framework working for that outer call and passes through unreported.
//
// Per category, not per any hook: app code that a hooked call runs synchronously (attachBaseContext
// under Application.attach, onRequestPermissionsResult under dispatchRequestPermissionsResult, an
// in-process ContentProvider) makes accesses of its own, which must still be reported.
// Lifecycle hooks never claim nor pass through (their side effects track foreground state).
import { reflectionTargets } from '../catalog/reflection-targets.ts';
import type { JavaHookEntry } from '../catalog/types.ts';

/** Claimed categories per thread id, innermost last. */
const claims = new Map<number, string[]>();

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function invoke(obj: unknown, method: string): unknown {
  const fn = obj === null || obj === undefined ? undefined : (obj as Record<string, unknown>)[method];
  return typeof fn === 'function' ? (fn as () => unknown).call(obj) : undefined;
}

/**
 * What a call of `entry` claims: its category, or for a reflective Method.invoke the category of
 * the catalog method it targets (nothing when it targets anything else: its callee is app code).
 */
export function claimOf(entry: JavaHookEntry, self: unknown): string | null {
  if (entry.category === 'lifecycle') return null;
  if (entry.summary !== 'reflection-target') return entry.category;
  try {
    const cls = text(invoke(invoke(self, 'getDeclaringClass'), 'getName'));
    const name = text(invoke(self, 'getName'));
    if (!cls || !name) return null;
    return reflectionTargets().get(`${cls}.${name}`)?.category ?? null;
  } catch {
    return null;
  }
}

/** True when an outer hooked call on thread `tid` already claims `claim`. */
export function isClaimed(tid: number, claim: string | null): boolean {
  if (claim === null) return false;
  const list = claims.get(tid);
  return list?.includes(claim) === true;
}

/** Runs `fn` with `claim` held on thread `tid` (released even when `fn` throws). */
export function withClaim<T>(tid: number, claim: string | null, fn: () => T): T {
  if (claim === null) return fn();
  let list = claims.get(tid);
  if (!list) {
    list = [];
    claims.set(tid, list);
  }
  list.push(claim);
  try {
    return fn();
  } finally {
    list.pop();
    if (list.length === 0) claims.delete(tid);
  }
}
