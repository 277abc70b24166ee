// Lifecycle context: app start, activity shown, foreground/background (counting resumed
// activities), phase changes. Driven by the catalog's lifecycle hooks and by rpc setPhase.
import type { LifecycleKind, LifecycleMessage } from '../protocol/messages.ts';
import { post } from '../send.ts';
import { now } from './clock.ts';
import { activityResumed, BACKGROUND_DELAY_MS, envelope, resumedCount, setForeground } from './state.ts';

export function postLifecycle(kind: LifecycleKind, detail?: string): void {
  const message: LifecycleMessage = { ...envelope(), type: 'lifecycle', time: now(), kind };
  if (detail !== undefined) message.detail = detail;
  post(message);
}

/** Runtime class name of a Java receiver (the app's Activity subclass, not android.app.Activity). */
export function receiverClass(self: unknown): string | undefined {
  if (self === null || typeof self !== 'object') return undefined;
  try {
    const cls = (self as { getClass?: () => { getName?: () => unknown } }).getClass?.();
    const name = cls?.getName?.();
    if (typeof name === 'string') return name;
  } catch {
    // fall back to the wrapper's class name
  }
  const own = (self as { $className?: unknown }).$className;
  return typeof own === 'string' ? own : undefined;
}

export type LifecycleEffect = (self: unknown) => void;

let started = false;
let backgroundTimer: ReturnType<typeof setTimeout> | null = null;

function cancelBackground(): void {
  if (backgroundTimer !== null) clearTimeout(backgroundTimer);
  backgroundTimer = null;
}

const EFFECTS: Record<string, LifecycleEffect> = {
  'android.app.Activity.onResume': (self) => {
    const name = receiverClass(self);
    activityResumed(1);
    cancelBackground();
    postLifecycle('activity', name);
    if (setForeground(true)) postLifecycle('foreground', name);
  },
  'android.app.Activity.onPause': (self) => {
    if (activityResumed(-1) > 0) return;
    const name = receiverClass(self);
    const pausedAt = now();
    cancelBackground();
    backgroundTimer = setTimeout(() => {
      backgroundTimer = null;
      if (resumedCount() > 0 || !setForeground(false)) return;
      const message: LifecycleMessage = {
        ...envelope(),
        type: 'lifecycle',
        time: pausedAt,
        kind: 'background',
      };
      if (name !== undefined) message.detail = name;
      post(message);
    }, BACKGROUND_DELAY_MS);
  },
  'android.app.Application.onCreate': (self) => {
    if (started) return;
    started = true;
    postLifecycle('app-start', receiverClass(self));
  },
};

/** The state change a hooked framework method implies, if any (run before its event is built). */
export function lifecycleEffect(className: string, method: string): LifecycleEffect | undefined {
  return EFFECTS[`${className}.${method}`];
}

/** Class.method pairs the agent needs for foreground tracking even if the catalog omits them. */
export const REQUIRED_LIFECYCLE = ['android.app.Activity.onResume', 'android.app.Activity.onPause'] as const;
