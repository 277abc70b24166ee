// What the simulated framework does when an app call reaches a framework method's original, as
// Android does: delegate to the next overload (a Java call of its own, so its hook fires), make
// side calls of its own (WebViewFactory → getPackageInfo), a Binder transaction for a call to a
// system service (libc ioctl) and JNI calls into libc (SystemProperties.get → property read).
import type { CallFrame } from './call-stack.ts';
import { DELEGATIONS, delegationFrame, NATIVE_SIDE_CALLS, SIDE_CALLS } from './framework-chains.ts';
import { fridaType } from './java-types.ts';
import type { JavaWorld, SimMethod } from './java-world.ts';

/** Framework classes whose calls are Binder transactions to a system service. */
const BINDER_CLASSES = new Set([
  'android.content.ContentResolver',
  'android.content.ContentProviderClient',
  'android.app.ApplicationPackageManager',
  'android.provider.Settings$Secure',
  'android.provider.Settings$System',
  'android.provider.Settings$Global',
]);

function isBinderCall(declaring: string): boolean {
  return declaring.startsWith('android.') && (BINDER_CLASSES.has(declaring) || declaring.endsWith('Manager'));
}

/**
 * Runs the framework's own work for the app call `frame` whose original `m` is running; when it
 * delegates, the value is the delegate's (which ends in the app's planned result).
 */
export function frameworkOriginal(
  world: JavaWorld,
  m: SimMethod,
  frame: CallFrame,
  self: unknown,
  args: unknown[],
): { delegated: boolean; value?: unknown } {
  const key = `${m.declaring}.${m.api.name}(${m.api.params.join(',')})`;
  const next = delegate(world, key, m, frame, self, args);
  if (next.delegated) return next;
  for (const side of SIDE_CALLS.get(key) ?? []) {
    world.callJava(side.className, side.method, {
      overload: side.params.map((p) => fridaType(p).className ?? fridaType(p).name),
      args: side.args,
      result: side.result,
      stack: [...side.frames, ...frame.stack],
      thread: frame.thread,
    });
  }
  if (isBinderCall(m.declaring)) world.options.onBinder?.();
  for (const n of NATIVE_SIDE_CALLS.get(key) ?? []) world.options.onNative?.(n, n.args(args));
  return { delegated: false };
}

/**
 * The framework overload chain (framework-chains.ts): the original calls the next overload as a
 * Java call of its own, which runs that method's replacement when it is hooked.
 */
function delegate(
  world: JavaWorld,
  key: string,
  m: SimMethod,
  frame: CallFrame,
  self: unknown,
  args: unknown[],
): { delegated: boolean; value?: unknown } {
  const options = DELEGATIONS.get(key);
  if (!options) return { delegated: false };
  for (const d of options) {
    if (d.since !== undefined && d.since > world.apiLevel) continue;
    const target = world
      .methodsOf(world.appLoader, m.declaring, d.method)
      .find((x) => x.api.params.join(',') === d.params.join(','));
    if (!target) continue;
    const caller = delegationFrame(m.declaring, m.api.name, d.line);
    world.stack.frames.push({
      method: target,
      result: frame.result,
      throws: frame.throws,
      consumed: false,
      stack: [caller, ...frame.stack],
      stackKey: `${caller}\n${frame.stackKey}`,
      thread: frame.thread,
    });
    try {
      return { delegated: true, value: target.js.apply(self, d.args(args)) };
    } finally {
      world.stack.frames.pop();
    }
  }
  return { delegated: false };
}
