// Sample values (agent/catalog/types.ts SampleValue) → the values frida-java-bridge hands a hook:
// Java Strings are JS strings, objects expose methods and `field.value`, arrays are array-likes,
// java.util.List has size()/get(i). Native values are NativePointer-likes (see native-pointer.ts).
import type { SampleValue } from '../../../agent/catalog/types.ts';

export interface SimJavaObject {
  $className: string;
  [member: string]: unknown;
}

let nextIdentity = 0x1a2b;

function classObject(name: string): SimJavaObject {
  return { $className: 'java.lang.Class', getName: () => name, toString: () => `class ${name}` };
}

/** A Java object of `className` with the given members (getClass/toString/hashCode defaulted). */
export function javaObject(className: string, members: Record<string, unknown> = {}): SimJavaObject {
  const identity = (nextIdentity++).toString(16);
  const obj: SimJavaObject = {
    $className: className,
    getClass: () => classObject(className),
    toString: () => `${className}@${identity}`,
    hashCode: () => Number.parseInt(identity, 16),
  };
  return Object.assign(obj, members);
}

/** A java.lang.String wrapper (what `Java.use('java.lang.String').$new(text)` returns). */
export function javaString(text: string): SimJavaObject {
  return javaObject('java.lang.String', {
    toString: () => text,
    length: () => text.length,
    isEmpty: () => text.length === 0,
    charAt: (i: number) => text.charAt(i),
  });
}

export function javaList(values: unknown[]): SimJavaObject {
  return javaObject('java.util.ArrayList', {
    size: () => values.length,
    get: (i: number) => values[i] ?? null,
    isEmpty: () => values.length === 0,
    toArray: () => [...values],
    toString: () => `[${values.map(String).join(', ')}]`,
  });
}

export function toJava(value: SampleValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return value;
  if ('$array' in value) return value.$array.map(toJava);
  if ('$list' in value) return javaList(value.$list.map(toJava));
  const members: Record<string, unknown> = {};
  for (const [name, ret] of Object.entries(value.$methods ?? {})) {
    const converted = toJava(ret);
    members[name] = () => converted;
  }
  for (const [name, v] of Object.entries(value.$fields ?? {})) members[name] = { value: toJava(v) };
  if (value.$class === 'android.location.Location') locationSetters(members);
  if (value.$class === 'android.os.Bundle') bundleGetters(members, value.$fields ?? {});
  return javaObject(value.$class, members);
}

/**
 * android.os.Bundle: its `$fields` are the Bundle's keys, read by key as on a device
 * (`extras.getCharSequence("android.title")`); a missing key reads null.
 */
function bundleGetters(members: Record<string, unknown>, entries: Record<string, SampleValue>): void {
  const get = (key: unknown) => (typeof key === 'string' && key in entries ? toJava(entries[key]) : null);
  for (const name of ['get', 'getCharSequence', 'getString']) members[name] = get;
}

/** android.location.Location's setters (API 1): a hook may change a fix in place, as on a device. */
function locationSetters(members: Record<string, unknown>): void {
  for (const field of ['Latitude', 'Longitude', 'Accuracy', 'Altitude']) {
    members[`set${field}`] = function (this: Record<string, unknown>, v: unknown) {
      this[`get${field}`] = () => v;
    };
  }
}
