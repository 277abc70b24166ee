// The registry of hooks: one status per catalog entry (installed, pending, class-missing,
// method-missing, failed), sent to the harness as `hook-status` and returned by rpc `status`.
import type { HookState, HookStatusMessage, HookStatusRecord } from '../protocol/messages.ts';
import { now } from '../runtime/clock.ts';
import { envelope } from '../runtime/state.ts';
import { post } from '../send.ts';

const records = new Map<string, HookStatusRecord>();
/** Hooks whose body failed at run time: reported once each. */
const failedAtRuntime = new Set<string>();

export function setStatus(hook: string, state: HookState, detail?: string, overloads?: number): void {
  const record: HookStatusRecord = { hook, state };
  if (detail !== undefined) record.detail = detail.length > 500 ? `${detail.slice(0, 499)}…` : detail;
  if (overloads !== undefined) record.overloads = overloads;
  records.set(hook, record);
}

export function getStatus(hook: string): HookStatusRecord | undefined {
  return records.get(hook);
}

export function allStatuses(): HookStatusRecord[] {
  return [...records.values()].map((r) => ({ ...r }));
}

/** Marks a hook failed by a run-time error; true the first time (callers report it then). */
export function markFailed(hook: string, reason: string): boolean {
  if (failedAtRuntime.has(hook)) return false;
  failedAtRuntime.add(hook);
  const previous = records.get(hook);
  setStatus(hook, 'failed', reason, previous?.overloads);
  return true;
}

export function sendHookStatus(): void {
  const message: HookStatusMessage = {
    ...envelope(),
    type: 'hook-status',
    time: now(),
    statuses: allStatuses(),
  };
  post(message);
}
