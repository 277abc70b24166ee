// Calibration on the simulated device: the same calls as the calibration APK (the plan), made by
// a model of that app against the real agent in the simulated Frida/Java runtime. Calls the APK
// could not make on this API level or without a receiver are left out, as they would throw in
// the APK before reaching the hook.
import type { EventRecord } from '../../agent/protocol/messages.ts';
import { fridaToApiType } from '../android-api/load.ts';
import type { ApiMethod } from '../android-api/types.ts';
import { createSimRuntime } from '../simulation/runtime/sim-runtime.ts';
import {
  ACTIVITY_CLASS,
  CAL_PACKAGE,
  CALLS_CLASS,
  type CalibrationCall,
  existsAt,
  MARKER_TAG,
} from './plan.ts';
import type { Observation } from './results.ts';

const APK_LOADER = 'calibration-apk';

export interface SimCalibrationOptions {
  agentPath: string;
  apiLevel: number;
}

export function simulateCalibration(
  plan: readonly CalibrationCall[],
  o: SimCalibrationOptions,
): Observation[] {
  const rt = createSimRuntime({ packageName: CAL_PACKAGE, apiLevel: o.apiLevel });
  rt.loadAgent(o.agentPath);
  rt.rpc.configure({ hashSalt: 'calibration' });
  const tail = [`${CALLS_CLASS}.run(Calls.java:1)`, `${ACTIVITY_CLASS}.onCreate(MainActivity.java:1)`];
  // Stub classes of SDKs absent from the platform: in the APK's own dex, resolved by its loader.
  const stubs = new Map<string, ApiMethod[]>();
  for (const c of plan) {
    if (!c.stub || rt.world.resolveClass(rt.world.appLoader, c.className)) continue;
    const methods = stubs.get(c.className) ?? [];
    methods.push({
      name: c.method,
      params: c.params.map(fridaToApiType),
      returns: 'java.lang.Object',
      isStatic: c.isStatic,
    });
    stubs.set(c.className, methods);
  }
  if (stubs.size > 0)
    rt.app.newClassLoader(APK_LOADER, {
      classes: [...stubs].map(([name, methods]) => ({ name, methods })),
      stack: tail,
    });
  for (const c of plan) {
    if (c.notApplicable || !existsAt(c, o.apiLevel)) continue;
    const stack = [`${CALLS_CLASS}.c${c.index}(Calls.java:1)`, ...tail];
    rt.app.call('android.util.Log', 'i', {
      args: [MARKER_TAG, `${c.index} ${c.hook} ${c.method}(${c.params.join(',')})`],
      result: 0,
      stack,
    });
    try {
      rt.app.call(c.className, c.method, {
        overload: c.params,
        args: c.args.map((a) => a.value),
        ...(c.result === undefined ? {} : { result: c.result }),
        ...(c.self === null ? {} : { self: c.self }),
        stack,
        ...(stubs.has(c.className) ? { loader: APK_LOADER } : {}),
      });
    } catch {
      // The APK wraps each call in try/catch: a throw is the call's outcome, not the app's end.
    }
  }
  rt.rpc.flush();
  const frames = new Map<number, string[]>();
  const out: Observation[] = [];
  for (const m of rt.messages) {
    if (m.type !== 'events') continue;
    for (const s of m.stacks) frames.set(s.id, s.frames);
    for (const e of m.events as EventRecord[])
      out.push({ hook: e.hook, frames: e.stack === undefined ? [] : (frames.get(e.stack) ?? []) });
  }
  return out;
}
