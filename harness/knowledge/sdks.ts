// SDK attribution: which SDK (or the app itself, or unknown third-party code) is responsible
// for a stack. The innermost frame that is not platform/runtime code decides; its class is
// matched against every signature prefix on package boundaries and the longest prefix wins.
import { readFileSync } from 'node:fs';

export const SDK_KINDS = [
  'ab-testing',
  'ads',
  'analytics',
  'apm',
  'ar',
  'attribution',
  'auth',
  'biometrics',
  'cloud',
  'consent',
  'crash-reporting',
  'customer-support',
  'engagement',
  'framework',
  'game-engine',
  'game-services',
  'health',
  'hotfix',
  'identifier',
  'im',
  'image',
  'location',
  'maps',
  'media',
  'networking',
  'other',
  'packer',
  'payments',
  'plugin',
  'push',
  'risk-control',
  'rtc',
  'social',
  'speech',
  'storage',
  'ui',
  'utility',
  'webview',
] as const;
export type SdkKind = (typeof SDK_KINDS)[number];

export interface SdkSignature {
  id: string;
  name: string;
  vendor: string;
  kind: SdkKind;
  prefixes: string[];
}

/** Platform and language runtime code: never the party responsible for an access. */
export const FRAMEWORK_PREFIXES = [
  'android',
  'androidx',
  'java',
  'javax',
  'jdk',
  'kotlin',
  'kotlinx',
  'dalvik',
  'libcore',
  'sun',
  'com.android',
  'com.google.android.collect',
  'org.json',
  'org.xmlpull',
  'org.apache.harmony',
  'org.apache.http',
] as const;

/**
 * Platform components that run inside the app's process and make accesses of their own: WebView
 * loading its provider (WebViewFactory → getPackageInfo of the WebView package), Chromium's
 * WebView glue, and Play services' availability and signature checks (getPackageInfo of
 * com.google.android.gms), bundled by many SDKs. An access under one of these classes is the
 * framework's, not the app's nor an SDK's: it attributes to FRAMEWORK_SDK.
 */
export const FRAMEWORK_CHECKS = [
  'android.webkit.WebViewFactory',
  'android.webkit.WebViewLibraryLoader',
  'com.android.webview.chromium',
  'org.chromium.android_webview',
  'com.google.android.gms.common.GooglePlayServicesUtil',
  'com.google.android.gms.common.GooglePlayServicesUtilLight',
  'com.google.android.gms.common.GoogleApiAvailability',
  'com.google.android.gms.common.GoogleApiAvailabilityLight',
  'com.google.android.gms.common.GoogleSignatureVerifier',
] as const;

/** The attribution of an access made by a platform component on its own (FRAMEWORK_CHECKS). */
export const FRAMEWORK_SDK = 'framework';

export interface Attribution {
  /**
   * A signature id, "app", "third-party:<first 3 package segments>", FRAMEWORK_SDK (a platform
   * component's own check), or null (only framework frames).
   */
  sdk: string | null;
  /** Java package of the frame that decided, or null. */
  package: string | null;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  sdk?: string;
  framework?: boolean;
  /** A platform component's own check (FRAMEWORK_CHECKS). */
  check?: boolean;
}

const newNode = (): TrieNode => ({ children: new Map() });
const PREFIX_RE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/** Class name of a frame like "com.foo.Bar.baz(Bar.java:12)" or "at com.foo.Bar$1.run(Unknown Source)". */
export function frameClass(frame: string): string | null {
  let s = frame.trim();
  if (s.startsWith('at ')) s = s.slice(3);
  const paren = s.indexOf('(');
  if (paren >= 0) s = s.slice(0, paren);
  // Native frames ("libc.so!open", "0x1234 libfoo.so") name no Java class.
  if (s.includes('!') || s.includes(' ') || s.includes('/')) return null;
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return null;
  const cls = s.slice(0, dot);
  return /^[\w$]+(\.[\w$]+)*$/.test(cls) ? cls : null;
}

function packageOf(cls: string): string {
  const dot = cls.lastIndexOf('.');
  return dot < 0 ? '' : cls.slice(0, dot);
}

export class SdkAttributor {
  private readonly root = newNode();
  private readonly byId = new Map<string, SdkSignature>();
  private readonly classCache = new Map<
    string,
    { sdk: string | null; depth: number; framework: boolean; check: boolean }
  >();
  private readonly stackCache = new Map<string, Attribution>();

  constructor(signatures: readonly SdkSignature[]) {
    for (const sig of signatures) {
      if (this.byId.has(sig.id)) throw new Error(`duplicate SDK id ${sig.id}`);
      this.byId.set(sig.id, sig);
      for (const p of sig.prefixes) {
        if (!PREFIX_RE.test(p)) throw new Error(`SDK ${sig.id}: bad prefix "${p}"`);
        const node = this.insert(p);
        if (node.sdk !== undefined) throw new Error(`prefix ${p} claimed by both ${node.sdk} and ${sig.id}`);
        node.sdk = sig.id;
      }
    }
    for (const p of FRAMEWORK_PREFIXES) this.insert(p).framework = true;
    for (const p of FRAMEWORK_CHECKS) this.insert(p).check = true;
  }

  private insert(prefix: string): TrieNode {
    let node = this.root;
    for (const seg of prefix.split('.')) {
      let next = node.children.get(seg);
      if (!next) {
        next = newNode();
        node.children.set(seg, next);
      }
      node = next;
    }
    return node;
  }

  signature(id: string): SdkSignature | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Deepest signature and framework marks along the class name's segments. */
  private classify(cls: string): { sdk: string | null; depth: number; framework: boolean; check: boolean } {
    const hit = this.classCache.get(cls);
    if (hit) return hit;
    let node: TrieNode | undefined = this.root;
    let sdk: string | null = null;
    let sdkDepth = 0;
    let frameworkDepth = 0;
    let check = false;
    // Inner classes ("GoogleApiAvailability$1") belong to their outer class.
    const segs = cls.replace(/\$.*$/, '').split('.');
    for (let i = 0; i < segs.length && node; i++) {
      node = node.children.get(segs[i] ?? '');
      if (!node) break;
      if (node.sdk !== undefined) {
        sdk = node.sdk;
        sdkDepth = i + 1;
      }
      if (node.framework) frameworkDepth = i + 1;
      if (node.check) check = true;
    }
    // A signature more specific than the framework prefix wins (com.android.billingclient).
    const result = { sdk, depth: sdkDepth, framework: frameworkDepth > sdkDepth, check };
    if (this.classCache.size > 50_000) this.classCache.clear();
    this.classCache.set(cls, result);
    return result;
  }

  /**
   * Without the per-stack cache, for a caller that keeps each distinct stack's result itself
   * (the TraceWriter): building the cache key costs more than attributing.
   */
  attributeOnce(frames: readonly string[], opts: { appPackage: string }): Attribution {
    return this.compute(frames, opts.appPackage);
  }

  attribute(frames: readonly string[], opts: { appPackage: string }): Attribution {
    const key = `${opts.appPackage}\n${frames.join('\n')}`;
    const cached = this.stackCache.get(key);
    if (cached) return cached;
    const result = this.compute(frames, opts.appPackage);
    if (this.stackCache.size > 10_000) this.stackCache.clear();
    this.stackCache.set(key, result);
    return result;
  }

  private compute(frames: readonly string[], appPackage: string): Attribution {
    const appDepth = appPackage ? appPackage.split('.').length : 0;
    for (const frame of frames) {
      const cls = frameClass(frame);
      if (!cls) continue;
      const c = this.classify(cls);
      const pkg = packageOf(cls);
      // A platform component checking on its own (WebView, Play services availability).
      if (c.check) return { sdk: FRAMEWORK_SDK, package: pkg };
      const inApp = appPackage !== '' && cls.startsWith(`${appPackage}.`);
      // The more specific of "the app's own package" and "an SDK prefix" wins; the app's own
      // package also beats framework prefixes (system apps live under com.android.*).
      if (inApp && appDepth >= c.depth) return { sdk: 'app', package: pkg };
      if (c.framework) continue;
      if (c.sdk) return { sdk: c.sdk, package: pkg };
      // Classes repackaged into the default package by an obfuscator: unknown, not skipped.
      if (!pkg) return { sdk: 'third-party:(default-package)', package: '' };
      return { sdk: `third-party:${pkg.split('.').slice(0, 3).join('.')}`, package: pkg };
    }
    return { sdk: null, package: null };
  }
}

const DATA_FILE = new URL('./data/sdk-signatures.json', import.meta.url);
let builtIn: SdkAttributor | undefined;

export function loadSdkSignatures(): SdkSignature[] {
  const doc = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as { sdks: SdkSignature[] };
  for (const s of doc.sdks) {
    if (!(SDK_KINDS as readonly string[]).includes(s.kind))
      throw new Error(`SDK ${s.id}: unknown kind ${s.kind}`);
  }
  return doc.sdks;
}

let builtInList: readonly SdkSignature[] | undefined;
let builtInById: Map<string, SdkSignature> | undefined;

/** The built-in signature list, read once per process. */
export function builtInSignatures(): readonly SdkSignature[] {
  builtInList ??= loadSdkSignatures();
  return builtInList;
}

/**
 * A built-in SDK's signature by id, without building the attributor's prefix trie (~5 ms):
 * analysis and profiles only name SDKs; attributing stacks is done once, when events are written.
 */
export function builtInSignature(id: string): SdkSignature | undefined {
  builtInById ??= new Map(builtInSignatures().map((s) => [s.id, s]));
  return builtInById.get(id);
}

export function defaultAttributor(): SdkAttributor {
  builtIn ??= new SdkAttributor(builtInSignatures());
  return builtIn;
}

/** Attributes a stack (innermost frame first) with the built-in signature list. */
export function attributeSdk(frames: readonly string[], opts: { appPackage: string }): Attribution {
  return defaultAttributor().attribute(frames, opts);
}
