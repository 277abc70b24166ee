// Which methods of the simulated platform are abstract. The API declarations say which classes are
// abstract or interfaces but not which methods, so: every method of an interface (default methods
// are not modelled), and per abstract class a rule written from AOSP. On ART an abstract method is
// never run: virtual dispatch goes to the receiver's concrete class, so Frida accepts a
// replacement on it silently and it never fires (frida-java-bridge 7 class-factory.js installs
// the replacement on whatever ArtMethod it is given, without checking kAccAbstract).
import type { ApiClass, ApiMethod } from '../../android-api/types.ts';
import { fridaType } from './java-types.ts';
import { javaObject, type SimJavaObject } from './sample-objects.ts';

/** java.lang.reflect.Modifier bits the simulated reflection reports. */
export const MODIFIER = { PUBLIC: 0x1, STATIC: 0x8, FINAL: 0x10, INTERFACE: 0x200, ABSTRACT: 0x400 } as const;

const RULES: Readonly<Record<string, (m: ApiMethod) => boolean>> = {
  // Context and PackageManager are all abstract; ContextImpl / ApplicationPackageManager implement
  // them. The API 33 *Flags overloads have default bodies (they throw UnsupportedOperationException).
  'android.content.Context': () => true,
  'android.content.pm.PackageManager': (m) => !m.params.some((p) => p.endsWith('Flags')),
  // launch(I) calls the abstract launch(I, ActivityOptionsCompat), implemented by the registry.
  'androidx.activity.result.ActivityResultLauncher': (m) =>
    (m.name === 'launch' && m.params.length === 2) || m.name === 'unregister' || m.name === 'getContract',
};

export function isAbstractMethod(cls: ApiClass, m: ApiMethod): boolean {
  if (m.isStatic) return false;
  if (cls.isInterface) return true;
  const rule = RULES[cls.name];
  return cls.isAbstract && rule?.(m) === true;
}

/** Class.getModifiers() of a simulated class. */
export function classModifiers(cls: ApiClass): number {
  let bits: number = MODIFIER.PUBLIC;
  if (cls.isInterface) bits |= MODIFIER.INTERFACE | MODIFIER.ABSTRACT;
  else if (cls.isAbstract) bits |= MODIFIER.ABSTRACT;
  return bits;
}

/** Method.getModifiers() of a simulated method declared by `cls`. */
export function methodModifiers(cls: ApiClass, m: ApiMethod): number {
  let bits: number = MODIFIER.PUBLIC;
  if (m.isStatic) bits |= MODIFIER.STATIC;
  if (isAbstractMethod(cls, m)) bits |= MODIFIER.ABSTRACT;
  return bits;
}

/** The java.lang.Class of a wrapper: name, modifiers and declared methods (what reflection sees). */
export function classObject(
  cls: ApiClass,
  className: string,
  present: (m: ApiMethod) => boolean,
): SimJavaObject {
  const typeClass = (t: string) => {
    const f = fridaType(t);
    return javaObject('java.lang.Class', { getName: () => f.className ?? f.name });
  };
  return javaObject('java.lang.Class', {
    getName: () => className,
    getModifiers: () => classModifiers(cls),
    isInterface: () => cls.isInterface,
    getDeclaredMethods: () =>
      cls.methods.filter(present).map((m) =>
        javaObject('java.lang.reflect.Method', {
          getName: () => m.name,
          getModifiers: () => methodModifiers(cls, m),
          getParameterTypes: () => m.params.map(typeClass),
        }),
      ),
  });
}
