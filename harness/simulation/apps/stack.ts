// Realistic Java stacks for model calls: a few (obfuscated) frames of the calling SDK or app
// code, then the framework frames of the context the call runs in (Application.onCreate, a
// click, a Handler timer …). Deterministic: the same call always gets the same stack.
import type { CallContext, ModelCall } from './model-types.ts';

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const SUBPACKAGES = ['internal.utils', 'statistics.idtracking', 'core.b', 'utils', 'common.a'] as const;
const OBF = ['a', 'b', 'c', 'd', 'e', 'f'] as const;

function pick<T>(list: readonly T[], h: number): T {
  return list[h % list.length] as T;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Frames of the caller, innermost first. */
function callerFrames(call: ModelCall, packageName: string): string[] {
  const target =
    call.kind === 'java' ? `${call.className}.${call.method}` : `${call.module ?? ''}!${call.symbol}`;
  const h = hash(`${call.from}|${target}`);
  const apiName = call.kind === 'java' ? call.method : call.symbol;
  const topic = capitalize(apiName.replace(/^(get|query|read|open|request|is|has)/, '') || apiName);
  if (call.from === packageName || call.from.startsWith(`${packageName}.`)) {
    // The app's own code keeps its names (it is usually not obfuscated in debug builds); the
    // context tail supplies the Application/Activity frame below it.
    // Not named like the API: the agent drops top frames named like the hooked method.
    return [`${packageName}.util.${topic}Helper.load${topic}(${topic}Helper.java:${20 + (h % 60)})`];
  }
  const sub = pick(SUBPACKAGES, h);
  const base = `${call.from}.${sub}`;
  const a = pick(OBF, h >>> 3);
  const b = pick(OBF, h >>> 7);
  return [
    `${base}.${topic}Tracker.${a}(Unknown Source:${(h % 40) + 2})`,
    `${base}.${topic}Tracker.${b}(Unknown Source:${(h >>> 5) % 30})`,
    `${call.from}.${pick(OBF, h >>> 11)}.${pick(OBF, h >>> 13)}(Unknown Source:${(h >>> 9) % 90})`,
    `${call.from}.${sdkEntry(call.from)}(Unknown Source:${(h >>> 15) % 120})`,
  ];
}

function sdkEntry(prefix: string): string {
  const last = prefix.split('.').pop() ?? 'sdk';
  return `${capitalize(last)}Config.init`;
}

const LOOPER_TAIL = [
  'android.os.Handler.dispatchMessage(Handler.java:106)',
  'android.os.Looper.loopOnce(Looper.java:201)',
  'android.os.Looper.loop(Looper.java:288)',
  'android.app.ActivityThread.main(ActivityThread.java:7918)',
  'java.lang.reflect.Method.invoke(Native Method)',
  'com.android.internal.os.RuntimeInit$MethodAndArgsCaller.run(RuntimeInit.java:548)',
  'com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)',
];

/** Framework frames below the caller for each context, innermost first. */
function contextTail(
  context: CallContext,
  thread: string,
  applicationClass: string,
  activity: string,
): string[] {
  if (thread !== 'main') {
    return [
      'java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1137)',
      'java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:637)',
      'java.lang.Thread.run(Thread.java:1012)',
    ];
  }
  const simple = activity.split('.').pop() ?? 'MainActivity';
  switch (context) {
    case 'app-start':
      return [
        `${applicationClass}.onCreate(${applicationClass.split('.').pop()}.java:27)`,
        'android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1277)',
        'android.app.ActivityThread.handleBindApplication(ActivityThread.java:6759)',
        'android.app.ActivityThread.access$1500(ActivityThread.java:256)',
        'android.app.ActivityThread$H.handleMessage(ActivityThread.java:2091)',
        ...LOOPER_TAIL,
      ];
    case 'activity':
      return [
        `${activity}.onCreate(${simple}.java:58)`,
        'android.app.Activity.performCreate(Activity.java:8305)',
        'android.app.Instrumentation.callActivityOnCreate(Instrumentation.java:1329)',
        'android.app.ActivityThread.performLaunchActivity(ActivityThread.java:3613)',
        'android.app.ActivityThread.handleLaunchActivity(ActivityThread.java:3797)',
        'android.app.servertransaction.TransactionExecutor.execute(TransactionExecutor.java:95)',
        'android.app.ActivityThread$H.handleMessage(ActivityThread.java:2304)',
        ...LOOPER_TAIL,
      ];
    case 'click':
      return [
        `${activity}$1.onClick(${simple}.java:74)`,
        'android.view.View.performClick(View.java:7448)',
        'android.view.View.performClickInternal(View.java:7425)',
        'android.view.View$PerformClick.run(View.java:28305)',
        'android.os.Handler.handleCallback(Handler.java:938)',
        ...LOOPER_TAIL,
      ];
    case 'timer':
      return ['android.os.Handler.handleCallback(Handler.java:938)', ...LOOPER_TAIL];
    case 'lifecycle':
      return [
        'androidx.lifecycle.ProcessLifecycleOwner$1.run(ProcessLifecycleOwner.java:82)',
        'android.os.Handler.handleCallback(Handler.java:938)',
        ...LOOPER_TAIL,
      ];
    case 'permission-result':
      return [
        'android.app.Activity.dispatchRequestPermissionsResult(Activity.java:8560)',
        'android.app.Activity.dispatchActivityResult(Activity.java:8410)',
        'android.app.ActivityThread.deliverResults(ActivityThread.java:5340)',
        ...LOOPER_TAIL,
      ];
  }
}

/** The stack the simulated call is made with: innermost first, at most 32 frames. */
export function buildStack(
  call: ModelCall,
  packageName: string,
  context: CallContext,
  activity: string,
  applicationClass = `${packageName}.App`,
): string[] {
  if (call.stack) return call.stack.slice(0, 32);
  const frames = [
    ...callerFrames(call, packageName),
    ...contextTail(context, call.thread, applicationClass, activity),
  ];
  return frames.slice(0, 32);
}
