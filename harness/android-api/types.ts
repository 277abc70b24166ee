// The Android API as declared by @nativescript/types-android (API 21–37 merged), reduced to what
// hook validation and the simulated runtime need. Produced by ./load.ts (loadAndroidApi()).
//
// Type strings (ApiType) are normalised from the TypeScript declarations, which are lossy:
// every Java numeric primitive (byte short int long float double) is 'number' and char is
// 'string' there. So ApiType is one of:
//   'number' | 'boolean' | 'void' | 'java.lang.String' | 'java.lang.Object' (for `any`)
//   | '[' + element ApiType (arrays, e.g. '[java.lang.String', '[number')
//   | a binary class name with '$' for inner classes, generics stripped ('android.net.Uri').
// typeMatches() (in ./load.ts) compares a Frida overload type ('int', 'long', '[B',
// '[Ljava.lang.String;', 'android.net.Uri') with an ApiType under that mapping.

export type ApiType = string;

export interface ApiMethod {
  name: string;
  params: ApiType[];
  returns: ApiType;
  isStatic: boolean;
  /** API level that added it (from `@since`), absent = 21 or earlier. */
  since?: number;
  /** API level that deprecated it (from `@deprecated Deprecated in API n`). */
  deprecatedIn?: number;
  /** The declarations' `@deprecated Removed in API n`. */
  removedIn?: number;
  /** Declared by hand in ./hidden-api.ts (hidden API merged into a public or hidden class). */
  hidden?: boolean;
}

export interface ApiClass {
  /** Binary name: 'android.provider.Settings$Secure'. */
  name: string;
  superclass: string | null;
  interfaces: string[];
  isInterface: boolean;
  isAbstract: boolean;
  since?: number;
  methods: ApiMethod[];
  constructors: ApiMethod[];
  /** Library the class comes from when it is not the platform ('androidx'): apps bundle it. */
  library?: string;
  /** True for classes added by hand in ./hidden-api.ts (not in the public SDK). */
  hidden?: boolean;
}

export interface AndroidApi {
  classes: ReadonlyMap<string, ApiClass>;
  get(className: string): ApiClass | undefined;
  /** Declared and inherited methods of that name (superclasses and interfaces), nearest first. */
  findMethods(className: string, methodName: string): ApiMethod[];
}
