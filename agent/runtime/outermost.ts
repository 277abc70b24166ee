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

/**
 * Claims held, as parallel lists (thread id, category), innermost last. Flat lists rather than a
 * Map of per-thread lists: every reported call takes and releases a claim, and a Map entry set
 * and deleted per call cost more than the scan of the few claims held at once.
 */
const claimTids: number[] = [];
const claimNames: string[] = [];

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
  for (let i = claimTids.length - 1; i >= 0; i--) {
    if (claimTids[i] === tid && claimNames[i] === claim) return true;
  }
  return false;
}

/** Holds `claim` on thread `tid` until releaseClaim (the hook releases it whether the call returns or throws). */
export function holdClaim(tid: number, claim: string | null): void {
  if (claim === null) return;
  claimTids.push(tid);
  claimNames.push(claim);
}

/** Releases the innermost claim of thread `tid` (the one its last holdClaim took). */
export function releaseClaim(tid: number, claim: string | null): void {
  if (claim === null) return;
  // Another thread may have taken claims meanwhile (Frida releases the JS lock while Java runs):
  // this thread's innermost claim is its last entry, usually the last of all.
  for (let i = claimTids.length - 1; i >= 0; i--) {
    if (claimTids[i] !== tid) continue;
    if (i === claimTids.length - 1) {
      claimTids.pop();
      claimNames.pop();
    } else {
      claimTids.splice(i, 1);
      claimNames.splice(i, 1);
    }
    return;
  }
}
