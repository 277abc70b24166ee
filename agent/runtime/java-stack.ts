// Java call stacks for events: Java.backtrace() (ART, cheap id first, frames decoded once per
// distinct stack), the hooked method's own frame skipped. Falls back to an Exception's trace.
import Java from 'frida-java-bridge';
import { formatFrame, internStack, MAX_FRAMES } from './stacks.ts';

let useBacktrace = true;

function skipOwn(frames: string[], method: string): string[] {
  const name = method === '$init' ? '<init>' : method;
  // The replaced method's own frame sits on top; only that one (an app method of the same
  // name further down, e.g. a getImei() wrapper, is a real caller).
  const top = /\.([\w$]+|<init>)\(/.exec(frames[0] ?? '')?.[1];
  return top === name ? frames.slice(1) : frames;
}

function viaException(method: string): number | undefined {
  const log = Java.use('android.util.Log');
  const trace: unknown = log.getStackTraceString(Java.use('java.lang.Exception').$new());
  if (typeof trace !== 'string') return undefined;
  const frames = trace
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .map((l) => l.slice(3));
  return internStack(`x:${method}`, trace, () => skipOwn(frames, method));
}

/**
 * For a hook on `method`: a function giving the id of the current Java stack (innermost first,
 * ≤ 32 frames after skipping the hook's own frame). Its stack table scope is built once here.
 */
export function javaStacks(method: string): () => number | undefined {
  const scope = `j:${method}`;
  return () => javaStackId(scope, method);
}

function javaStackId(scope: string, method: string): number | undefined {
  if (useBacktrace) {
    try {
      const bt = Java.backtrace({ limit: MAX_FRAMES + 2 });
      return internStack(scope, bt.id, () =>
        skipOwn(
          bt.frames.map((f) => formatFrame(f.className, f.methodName, f.fileName || null, f.lineNumber)),
          method,
        ),
      );
    } catch {
      useBacktrace = false; // older Frida or a non-ART VM
    }
  }
  return viaException(method);
}

/**
 * For a native hook: the Java stack of the calling thread when it is attached to the VM (an SDK
 * calling libc through JNI), else undefined. Java.backtrace() throws off the VM (vm.getEnv()).
 */
export function attachedJavaStackId(): number | undefined {
  if (!Java.available) return undefined;
  try {
    const bt = Java.backtrace({ limit: MAX_FRAMES });
    return internStack('jn', bt.id, () =>
      bt.frames.map((f) => formatFrame(f.className, f.methodName, f.fileName || null, f.lineNumber)),
    );
  } catch {
    return undefined;
  }
}
