// Framework methods whose original the simulated VM answers itself (JavaWorld's builtins), and
// originals that call through to other Java methods as ART does, so hooks on the target fire:
// reflection's Method.invoke and Runtime.exec (→ ProcessBuilder.start).
import type { JavaWorld } from './java-world.ts';
import { javaList, javaObject } from './sample-objects.ts';

type Builtin = (self: unknown, args: unknown[]) => unknown;
type Through = (self: unknown, args: unknown[], planned: unknown) => unknown;

/** Originals answered by the simulated VM, by `class.method`. */
export function builtinMethods(world: JavaWorld): [string, Builtin][] {
  return [
    [
      'java.lang.Thread.currentThread',
      () => javaObject('java.lang.Thread', { getName: () => world.currentThread() }),
    ],
    [
      'java.lang.ClassLoader.loadClass',
      (self, args) => {
        const loader = world.loaderOf(self);
        const name = String(args[0]);
        if (!world.resolveClass(loader, name)) throw new Error(`java.lang.ClassNotFoundException: ${name}`);
        return javaObject('java.lang.Class', { getName: () => name });
      },
    ],
    // ClipData.newPlainText(label, text) (API 11): one item holding the text (a CharSequence).
    [
      'android.content.ClipData.newPlainText',
      (_self, args) => {
        const [label, text] = args;
        const item = javaObject('android.content.ClipData$Item', {
          getText: () => text,
          coerceToText: () => text,
        });
        const description = javaObject('android.content.ClipDescription', { getLabel: () => label });
        return javaObject('android.content.ClipData', {
          getItemCount: () => 1,
          getItemAt: (i: number) => (i === 0 ? item : null),
          getDescription: () => description,
        });
      },
    ],
  ];
}

/** Originals that call through to another Java method, by `class.method`. */
export function throughMethods(world: JavaWorld): [string, Through][] {
  return [
    ['java.lang.reflect.Method.invoke', (self, args, planned) => reflect(world, self, args, planned)],
    ['java.lang.Runtime.exec', (_self, args, planned) => exec(world, args, planned)],
  ];
}

/**
 * Runtime.exec: from API 24 (libcore's OpenJDK Runtime.java) every overload builds a
 * ProcessBuilder and calls start(), so hooks on ProcessBuilder.start see each exec; before, it
 * went to ProcessManager directly.
 */
function exec(world: JavaWorld, args: unknown[], planned: unknown): unknown {
  const frame = world.stack.frames[world.stack.frames.length - 1];
  if (!frame || world.apiLevel < 24) return planned;
  const first = args[0];
  const command =
    typeof first === 'string'
      ? first.split(/\s+/).filter((w) => w !== '')
      : Array.isArray(first)
        ? first.map(String)
        : [];
  const list = javaList(command);
  return world.callJava('java.lang.ProcessBuilder', 'start', {
    args: [],
    result: planned,
    self: javaObject('java.lang.ProcessBuilder', { command: () => list }),
    stack: ['java.lang.Runtime.exec(Runtime.java:590)', ...frame.stack],
    thread: frame.thread,
  });
}

/** Method.invoke: the target runs as a call of its own (hooks on it fire), returning `planned`. */
function reflect(world: JavaWorld, method: unknown, args: unknown[], planned: unknown): unknown {
  const m = method as { getName?: () => unknown; getDeclaringClass?: () => { getName?: () => unknown } };
  const cls = m.getDeclaringClass?.()?.getName?.();
  const name = m.getName?.();
  const frame = world.stack.frames[world.stack.frames.length - 1];
  if (typeof cls !== 'string' || typeof name !== 'string' || !frame) return planned;
  if (!world.resolveClass(world.appLoader, cls) || world.methodsOf(world.appLoader, cls, name).length === 0)
    return planned;
  const params = Array.isArray(args[1]) ? (args[1] as unknown[]) : [];
  return world.callJava(cls, name, {
    args: params,
    result: planned,
    self: args[0] ?? undefined,
    stack: ['java.lang.reflect.Method.invoke(Native Method)', ...frame.stack],
    thread: frame.thread,
  });
}
