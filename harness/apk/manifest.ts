// Turns the parsed AndroidManifest.xml tree into the facts the analysis needs.
import type { ResourceTable } from './arsc.ts';
import { attr, type XmlAttribute, type XmlElement } from './axml.ts';
import {
  formatValue,
  TYPE_INT_BOOLEAN,
  TYPE_INT_DEC,
  TYPE_INT_HEX,
  TYPE_REFERENCE,
  TYPE_STRING,
} from './res-chunks.ts';

/** Framework attribute ids (android.R.attr) used below. */
const A = {
  label: 0x01010001,
  name: 0x01010003,
  permission: 0x01010006,
  protectionLevel: 0x01010009,
  permissionGroup: 0x0101000a,
  exported: 0x01010010,
  authorities: 0x01010018,
  minSdkVersion: 0x0101020c,
  versionCode: 0x0101021b,
  versionName: 0x0101021c,
  targetSdkVersion: 0x01010270,
  maxSdkVersion: 0x01010271,
} as const;

export const COMPONENT_KINDS = ['activity', 'activity-alias', 'service', 'receiver', 'provider'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface UsesPermission {
  name: string;
  maxSdkVersion: number | null;
  /** `uses-permission-sdk-23`: requested only on API 23+. */
  sdk23: boolean;
}

export interface DefinedPermission {
  name: string;
  /** Raw android:protectionLevel bits (0 = normal when absent). */
  protectionLevel: number;
  permissionGroup: string | null;
}

export interface Component {
  kind: ComponentKind;
  name: string;
  /** android:exported as written, null when absent. */
  exported: boolean | null;
  /** Whether other apps can reach it under the platform's defaults (intent filter ⇒ exported). */
  exportedEffective: boolean;
  permission: string | null;
  actions: string[];
  authorities?: string;
}

export interface ManifestInfo {
  package: string;
  versionCode: number | null;
  versionName: string | null;
  minSdk: number;
  targetSdk: number;
  label: string | null;
  /** The label's resource id when it is a reference, e.g. "@0x7f0b001c". */
  labelRef: string | null;
  usesPermissions: UsesPermission[];
  definedPermissions: DefinedPermission[];
  components: Component[];
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

function intValue(a: XmlAttribute | undefined): number | null {
  if (!a) return null;
  const t = a.value.type;
  if (t === TYPE_INT_DEC || t === TYPE_INT_HEX) return a.value.data | 0;
  const text = a.raw ?? '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

function boolValue(a: XmlAttribute | undefined): boolean | null {
  if (!a) return null;
  if (a.value.type === TYPE_INT_BOOLEAN) return a.value.data !== 0;
  if (a.raw === 'true' || a.raw === 'false') return a.raw === 'true';
  return null;
}

function textValue(a: XmlAttribute | undefined, res: ResourceTable | undefined): string | null {
  if (!a) return null;
  if (a.raw !== null) return a.raw;
  if (a.value.type === TYPE_REFERENCE && res) return res.resolveString(a.value.data) ?? formatValue(a.value);
  return formatValue(a.value);
}

/** PackageParser.buildClassName: ".Foo" and "Foo" are relative to the package. */
export function className(pkg: string, name: string): string {
  if (name.startsWith('.')) return pkg + name;
  if (!name.includes('.')) return `${pkg}.${name}`;
  return name;
}

export function readManifest(root: XmlElement, res: ResourceTable | undefined): ManifestInfo {
  if (root.name !== 'manifest')
    throw new ManifestError(`root element is <${root.name}>, expected <manifest>`);
  const pkg = root.attributes.find((a) => a.name === 'package' && a.resId === 0)?.raw ?? null;
  if (!pkg) throw new ManifestError('<manifest> has no package attribute');
  const usesSdk = root.children.find((c) => c.name === 'uses-sdk');
  // Platform defaults: minSdk 1 when absent, targetSdk = minSdk when absent.
  const minSdk = (usesSdk && intValue(attr(usesSdk, A.minSdkVersion, 'minSdkVersion'))) ?? 1;
  const targetSdk = (usesSdk && intValue(attr(usesSdk, A.targetSdkVersion, 'targetSdkVersion'))) ?? minSdk;
  const versionNameAttr = attr(root, A.versionName, 'versionName');
  const info: ManifestInfo = {
    package: pkg,
    versionCode: intValue(attr(root, A.versionCode, 'versionCode')),
    versionName: versionNameAttr ? textValue(versionNameAttr, res) : null,
    minSdk,
    targetSdk,
    label: null,
    labelRef: null,
    usesPermissions: [],
    definedPermissions: [],
    components: [],
  };
  for (const el of root.children) {
    const name = textValue(attr(el, A.name, 'name'), undefined);
    if ((el.name === 'uses-permission' || el.name === 'uses-permission-sdk-23') && name) {
      info.usesPermissions.push({
        name,
        maxSdkVersion: intValue(attr(el, A.maxSdkVersion, 'maxSdkVersion')),
        sdk23: el.name === 'uses-permission-sdk-23',
      });
    } else if (el.name === 'permission' && name) {
      info.definedPermissions.push({
        name,
        protectionLevel: intValue(attr(el, A.protectionLevel, 'protectionLevel')) ?? 0,
        permissionGroup: textValue(attr(el, A.permissionGroup, 'permissionGroup'), undefined),
      });
    } else if (el.name === 'application') {
      readApplication(el, info, res);
    }
  }
  return info;
}

function readApplication(app: XmlElement, info: ManifestInfo, res: ResourceTable | undefined): void {
  const label = attr(app, A.label, 'label');
  if (label) {
    if (label.value.type === TYPE_REFERENCE) {
      info.labelRef = formatValue(label.value);
      info.label = res?.resolveString(label.value.data) ?? null;
    } else if (label.value.type === TYPE_STRING || label.raw !== null) {
      info.label = label.raw;
    }
  }
  for (const el of app.children) {
    const kind = COMPONENT_KINDS.find((k) => k === el.name);
    if (!kind) continue;
    const rawName = textValue(attr(el, A.name, 'name'), undefined);
    if (!rawName) continue;
    const actions = el.children
      .filter((c) => c.name === 'intent-filter')
      .flatMap((f) => f.children.filter((c) => c.name === 'action'))
      .map((a) => textValue(attr(a, A.name, 'name'), undefined))
      .filter((s): s is string => s !== null);
    const exported = boolValue(attr(el, A.exported, 'exported'));
    const hasFilter = el.children.some((c) => c.name === 'intent-filter');
    // Providers were exported by default before API 17; other components iff they have a filter.
    const implicit = kind === 'provider' ? info.targetSdk < 17 : hasFilter;
    const comp: Component = {
      kind,
      name: className(info.package, rawName),
      exported,
      exportedEffective: exported ?? implicit,
      permission: textValue(attr(el, A.permission, 'permission'), undefined),
      actions,
    };
    if (kind === 'provider') {
      const auth = textValue(attr(el, A.authorities, 'authorities'), undefined);
      if (auth) comp.authorities = auth;
    }
    info.components.push(comp);
  }
}
