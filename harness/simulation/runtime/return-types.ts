// What frida-java-bridge accepts as a replacement's return value (lib/types.js getObjectType):
// null for any object type; a JS string only where java.lang.String is assignable to the
// declared type's class, i.e. String itself (typeIsDefaultString) or java.lang.Object; a wrapper
// only when it is an instance of the declared class (Class.isInstance). So a hook on
// ClipboardManager.getText (CharSequence) cannot return a JS string: it must build a
// java.lang.String with $new. Primitive types are not checked here (the API index folds every
// numeric type into 'number'). `wrapOriginal` makes an original's String result for a declared
// CharSequence a wrapper, as the bridge hands it to a hook (fromJni unboxes only String types).
import type { JavaWorld, SimMethod } from './java-world.ts';
import { javaString } from './sample-objects.ts';

const PRIMITIVE = new Set(['number', 'boolean', 'void']);

/**
 * Methods Android declares to return java.lang.CharSequence that the API index records as
 * String: the NativeScript typings it is built from write CharSequence as `string`. Android:
 * `public abstract CharSequence getText()` (android.text.ClipboardManager; the .NET binding's
 * signature `()Ljava/lang/CharSequence;` for android.content.ClipboardManager), and
 * ClipData.Item.getText() / coerceToText(Context).
 */
const CHAR_SEQUENCE_RETURNS = new Set([
  'android.text.ClipboardManager.getText',
  'android.content.ClipboardManager.getText',
  'android.content.ClipData$Item.getText',
  'android.content.ClipData$Item.coerceToText',
]);

/** The return type Android declares (the index's, corrected where the typings flatten it). */
export function declaredReturn(m: SimMethod): string {
  return CHAR_SEQUENCE_RETURNS.has(`${m.declaring}.${m.api.name}`) ? 'java.lang.CharSequence' : m.api.returns;
}

/** Interfaces the index leaves out (its typings special-case String): libcore's String.java. */
const MISSING_INTERFACES: Readonly<Record<string, readonly string[]>> = {
  'java.lang.String': ['java.io.Serializable', 'java.lang.Comparable', 'java.lang.CharSequence'],
};

/** Is `className` (or a superclass / interface of it) `target`? Unknown classes: undefined. */
function assignable(world: JavaWorld, className: string, target: string): boolean | undefined {
  const loaders = [world.appLoader, ...world.sdkLoaders];
  const seen = new Set<string>();
  const queue = [className];
  let known = false;
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const found = loaders.map((l) => world.resolveClass(l, name)).find((x) => x !== undefined);
    if (!found) continue;
    known = true;
    if (found.cls.superclass) queue.push(found.cls.superclass);
    queue.push(...found.cls.interfaces, ...(MISSING_INTERFACES[name] ?? []));
  }
  return known ? false : undefined;
}

/** The declared return type when `value` is not acceptable for it, else undefined. */
export function returnRejection(world: JavaWorld, m: SimMethod, value: unknown): string | undefined {
  const declared = declaredReturn(m);
  if (m.api.name === '$init' || PRIMITIVE.has(declared) || declared.startsWith('[')) return undefined;
  // undefined: the simulation's own "no planned result" (a device's original returns null).
  if (value === null || value === undefined) return undefined;
  // Samples write boxed values (Integer, Boolean) as JS numbers and booleans: not checked.
  if (typeof value === 'number' || typeof value === 'boolean') return undefined;
  if (typeof value === 'string')
    return declared === 'java.lang.String' || declared === 'java.lang.Object' ? undefined : declared;
  const own = (value as { $className?: unknown }).$className;
  if (typeof own !== 'string' || declared === 'java.lang.Object') return undefined;
  // A class the simulation does not know (an app's own class) cannot be checked: accepted.
  return assignable(world, own, declared) === false ? declared : undefined;
}

/** The original's result as the bridge hands it to a hook: a String wrapper for a CharSequence. */
export function wrapOriginal(m: SimMethod, value: unknown): unknown {
  return typeof value === 'string' && declaredReturn(m) === 'java.lang.CharSequence'
    ? javaString(value)
    : value;
}
