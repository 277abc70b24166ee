// Hooks are data: one CatalogEntry per API, interpreted by the one installer in
// agent/hooks/installer.ts. Summarisers (agent/hooks/summarizers.ts) are referenced by id so
// the catalog stays plain data that `overreach hooks` can list and tests can validate.
import type { DataCategory } from '../protocol/messages.ts';

/**
 * Sample values used by the simulated runtime's tests to exercise an entry.
 * - primitives and strings stand for themselves (Java String ⇄ JS string, as in frida-java-bridge);
 * - `{ $class, $methods, $fields }` is a Java object of that class whose listed methods return the
 *   given values and whose listed fields hold the given values (read as `obj.field.value`);
 * - `{ $array: [...] }` is a Java array / `{ $list: [...] }` a java.util.List of sample values.
 */
export type SampleValue =
  | string
  | number
  | boolean
  | null
  | { $class: string; $methods?: Record<string, SampleValue>; $fields?: Record<string, SampleValue> }
  | { $array: SampleValue[] }
  | { $list: SampleValue[] };

export interface HookSample {
  /** Which overload to call, as its argument type list; default: the first declared one. */
  overload?: string[];
  args?: SampleValue[];
  /** What the simulated original method returns. */
  result?: SampleValue;
  /** The `this` object's sample (for instance methods whose summary reads the receiver). */
  self?: SampleValue;
  /** What the produced event must show; `null` means the call must NOT produce an event. */
  expect: {
    category?: DataCategory;
    argsIncludes?: string;
    resultIncludes?: string;
    hashed?: boolean;
  } | null;
}

export interface JavaHookEntry {
  kind: 'java';
  /** Stable id, kebab-case, dotted by area: "telephony.get-imei". Never renamed once shipped. */
  id: string;
  category: DataCategory;
  /** Binary class name, `$` for inner classes, as Java.use expects. */
  className: string;
  /** Method name; `$init` for constructors. */
  method: string;
  /** Restrict to these overloads (argument type lists); default: every overload. */
  overloads?: string[][];
  /**
   * Concrete classes implementing `method` when it is abstract in `className` (an interface or
   * abstract class): hooking the abstract method changes nothing on ART, so these are hooked.
   */
  concrete?: string[];
  /** Permission that normally guards this API (android.permission.*), if any. */
  permission?: string;
  /** When the summariser picks the category (content URIs): the permission guarding each one. */
  permissionByCategory?: Partial<Record<DataCategory, string>>;
  /** How to summarise args/result and whether to report at all; see summarizers.ts. */
  summary?: SummarizerId;
  /**
   * Subclasses whose fields the summariser reads from `this`: frida-java-bridge wraps `this` as
   * the hooked class (class-factory.js handleMethodInvocation), so the installer Java.casts it
   * to the first listed class it is an instance of.
   */
  selfAs?: readonly string[];
  /** The result (or `value` from the summariser) is a personal value: hash it. */
  personal?: boolean;
  /** Class is only present when the app bundles an SDK: install when its class loader loads it. */
  lazy?: boolean;
  /** Hidden platform API or vendor API: absent from the public SDK declarations. */
  hidden?: boolean;
  /** Lowest API level where the method exists, when above 21. */
  minApi?: number;
  /** Last API level where the method exists, for methods the SDK removed (`Removed in API n`). */
  maxApi?: number;
  samples: HookSample[];
  note?: string;
}

export interface NativeHookEntry {
  kind: 'native';
  id: string;
  category: DataCategory;
  /** Module name, e.g. "libc.so"; null searches all modules. */
  module: string | null;
  symbol: string;
  permission?: string;
  summary: SummarizerId;
  personal?: boolean;
  /** Native samples: args are strings (C strings) or numbers (ints). */
  samples: HookSample[];
  note?: string;
}

export type CatalogEntry = JavaHookEntry | NativeHookEntry;

/**
 * Summariser ids. Each names a pure function (args, result, self) → summary | skip.
 * Extend this list together with agent/hooks/summarizers.ts.
 */
export const SUMMARIZER_IDS = [
  'none',
  'result-value',
  'settings-key',
  'content-uri',
  'permissions',
  'package-arg',
  'intent',
  'location',
  'provider',
  'list-size',
  'notification',
  'window-type',
  'reflection-target',
  'download-request',
  'native-path',
  'native-ioctl',
  'native-ifaddrs',
  'native-property',
  'sensor',
  'text',
  // Added with the catalog (see agent/hooks/summarizers.ts for what each does).
  'native-path-at',
  'native-property-info',
  'property-key',
  'permission-result',
  'clip-data',
  'self-class',
  'advertising-id',
  'sms-send',
  'permission-result-intent',
  // The wider families (agent/hooks/summarizers-families.ts).
  'command',
  'bind-service',
  'phone-state-listen',
  // Network sends and name lookups (agent/hooks/net-summarizers.ts).
  'okhttp-call',
  'url-connection',
  'webview-url',
  'host-arg',
  'native-host',
  'native-sni',
  'native-ssl-write',
  'native-send',
  // MIIT 2.2.x (agent/catalog/auto-start.ts).
  'foreign-intent',
  'alarm',
  'job-info',
  // What the app shows (agent/hooks/popup-summarizers.ts).
  'toast-text',
  'dialog-text',
] as const;
export type SummarizerId = (typeof SUMMARIZER_IDS)[number];
