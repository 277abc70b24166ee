// The simulated threads' call stacks: the Java calls in progress (each with the app's planned
// result and stack) and native calls made on top of them, and what Java.backtrace() shows.
import { parseFrame } from './java-types.ts';
import type { SimMethod } from './java-world.ts';

export interface CallFrame {
  method: SimMethod;
  result: unknown;
  throws: unknown;
  consumed: boolean;
  stack: string[];
  stackKey: string;
  thread: string;
}

/** A native call in progress: the Java frames of its thread, if it is a Java thread. */
interface NativeFrame {
  stack: string[];
  thread: string;
  /** Java frames open when it started (it is innermost while that many are open). */
  depth: number;
}

/** Convention of the simulation: a thread named native-… is a pthread never attached to the VM. */
export function isJavaThread(thread: string): boolean {
  return !thread.startsWith('native');
}

export interface Backtrace {
  id: string;
  frames: ReturnType<typeof parseFrame>[];
}

export class CallStack {
  readonly frames: CallFrame[] = [];
  private readonly natives: NativeFrame[] = [];
  private readonly stackIds = new Map<string, string>();

  currentThread(): string {
    return this.innermostNative()?.thread ?? this.frames[this.frames.length - 1]?.thread ?? 'main';
  }

  private innermostNative(): NativeFrame | undefined {
    const n = this.natives[this.natives.length - 1];
    return n && n.depth === this.frames.length ? n : undefined;
  }

  /** Runs a native call made with `stack` (its thread's Java frames) on `thread`. */
  runNative<T>(stack: string[], thread: string, fn: () => T): T {
    this.natives.push({ stack, thread, depth: this.frames.length });
    try {
      return fn();
    } finally {
      this.natives.pop();
    }
  }

  /** Java.backtrace(): the running method's frame, then the app's stack (innermost first). */
  backtrace(options: { limit?: number } = {}): Backtrace {
    const limit = options.limit ?? 16;
    const native = this.innermostNative();
    if (native) {
      // frida-java-bridge's backtrace starts with vm.getEnv(), which throws off the VM.
      if (!isJavaThread(native.thread)) {
        throw new Error(
          'Current thread is not attached to the Java VM; please move this code inside a Java.perform() callback',
        );
      }
      const key = `native\n${native.stack.join('\n')}`;
      let nid = this.stackIds.get(key);
      if (nid === undefined) {
        nid = String(this.stackIds.size + 1);
        this.stackIds.set(key, nid);
      }
      const texts = native.stack;
      return {
        id: nid,
        get frames() {
          return texts.slice(0, limit).map(parseFrame);
        },
      };
    }
    const frame = this.frames[this.frames.length - 1];
    if (!frame) return { id: '0', frames: [] };
    const key = `${frame.method.key}\n${frame.stackKey}`;
    let id = this.stackIds.get(key);
    if (id === undefined) {
      id = String(this.stackIds.size + 1);
      this.stackIds.set(key, id);
    }
    const name = frame.method.api.name === '$init' ? '<init>' : frame.method.api.name;
    const texts = [`${frame.method.declaring}.${name}(Native Method)`, ...frame.stack];
    return {
      id,
      get frames() {
        return texts.slice(0, limit).map(parseFrame);
      },
    };
  }
}
