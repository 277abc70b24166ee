// Type and frame helpers of the simulated Java bridge: Android API index types → Frida overload
// types, and Java stack frame strings → frida-java-bridge backtrace frames.
import type { ApiMethod, ApiType } from '../../android-api/types.ts';

export interface FridaType {
  name: string;
  className?: string;
  type: string;
}

// The index folds every numeric primitive into 'number' (see android-api/types.ts); the
// simulated runtime presents them as int, the most common case.
const ARRAY_CODE: Record<string, string> = { number: 'I', boolean: 'Z' };

function descriptor(t: ApiType): string {
  if (t.startsWith('[')) return `[${descriptor(t.slice(1))}`;
  return ARRAY_CODE[t] ?? `L${t};`;
}

export function fridaType(t: ApiType): FridaType {
  if (t === 'number') return { name: 'int', type: 'int32' };
  if (t === 'boolean') return { name: 'boolean', type: 'uint8' };
  if (t === 'void') return { name: 'void', type: 'void' };
  if (t.startsWith('[')) {
    const name = descriptor(t);
    return { name, className: name, type: 'pointer' };
  }
  return { name: `L${t.replace(/\./g, '/')};`, className: t, type: 'pointer' };
}

export function signature(m: Pick<ApiMethod, 'name' | 'params'>): string {
  return `${m.name}(${m.params.map((p) => fridaType(p).className ?? fridaType(p).name).join(', ')})`;
}

export function defaultValue(returns: ApiType): unknown {
  if (returns === 'void') return undefined;
  if (returns === 'number') return 0;
  if (returns === 'boolean') return false;
  return null;
}

export interface BacktraceFrame {
  signature: string;
  origin: string;
  className: string;
  methodName: string;
  methodFlags: number;
  fileName: string;
  lineNumber: number;
}

/**
 * "com.foo.Bar.baz(Bar.java:12)", "com.foo.Bar.baz(Unknown Source:3)", "a.B.c(Native Method)" or
 * a bare "com.foo.Bar.baz" → a backtrace frame.
 */
export function parseFrame(text: string): BacktraceFrame {
  const m = /^([^(]*)\.([^.(]+)(?:\((.*)\))?$/.exec(text.trim());
  const className = m?.[1] ?? text;
  const methodName = m?.[2] ?? '?';
  const where = m?.[3];
  let fileName = '';
  let lineNumber = -1;
  if (where === 'Native Method') lineNumber = -2;
  else if (where !== undefined && where !== 'Unknown Source') {
    const [file, line] = where.split(':');
    fileName = file === 'Unknown Source' ? '' : (file ?? '');
    if (line !== undefined) lineNumber = Number(line);
  }
  return { signature: '', origin: '', className, methodName, methodFlags: 0, fileName, lineNumber };
}
