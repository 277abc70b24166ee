// Permission knowledge: protection level and group of every platform permission (generated from
// Debian's framework-res.apk plus a hand-written post-API-29 supplement) and the mapping between
// permissions and the protocol's data categories.
import { readFileSync } from 'node:fs';
import { DATA_CATEGORIES, type DataCategory } from '../../agent/protocol/messages.ts';
import { CATEGORY_PERMISSIONS } from './category-permissions.ts';
import { INTRODUCED_AT, RUNTIME_GROUPS, SUPPLEMENT_PERMISSIONS } from './permissions-supplement.ts';
import type { PlatformPermissionData } from './platform-source.ts';
import { decodeProtectionLevel, type ProtectionBase, parseProtectionLevel } from './protection-level.ts';

export interface PermissionInfo {
  name: string;
  base: ProtectionBase;
  flags: string[];
  /** Manifest spelling, e.g. "signature|privileged|appop". */
  protectionLevel: string;
  /** Runtime group for dangerous permissions, else the declared group (null for none/UNDEFINED). */
  group: string | null;
  /** API level that introduced it, when known. */
  since: number | null;
  source: 'framework-res' | 'supplement';
  categories: DataCategory[];
}

const DATA_FILE = new URL('./data/platform-permissions.json', import.meta.url);
const UNDEFINED_GROUP = 'android.permission-group.UNDEFINED';

let table: Map<string, RawPermission> | undefined;
let byPermission: Map<string, DataCategory[]> | undefined;

export function loadPlatformData(): PlatformPermissionData {
  return JSON.parse(readFileSync(DATA_FILE, 'utf8')) as PlatformPermissionData;
}

function categoryIndex(): Map<string, DataCategory[]> {
  if (byPermission) return byPermission;
  byPermission = new Map();
  for (const cat of DATA_CATEGORIES) {
    for (const perm of CATEGORY_PERMISSIONS[cat]) {
      const list = byPermission.get(perm) ?? [];
      list.push(cat);
      byPermission.set(perm, list);
    }
  }
  return byPermission;
}

interface RawPermission {
  bits: number;
  declaredGroup: string | null;
  since: number | null;
  source: PermissionInfo['source'];
}

/** Name → what the data says, not yet decoded (a later entry of a name replaces an earlier). */
function build(): Map<string, RawPermission> {
  const out = new Map<string, RawPermission>();
  for (const p of loadPlatformData().permissions)
    out.set(p.name, {
      bits: p.bits,
      declaredGroup: p.manifestGroup,
      since: INTRODUCED_AT[p.name] ?? null,
      source: 'framework-res',
    });
  for (const p of SUPPLEMENT_PERMISSIONS) {
    const bits = parseProtectionLevel(p.protectionLevel);
    if (bits === undefined)
      throw new Error(`supplement: bad protection level ${p.protectionLevel} for ${p.name}`);
    out.set(p.name, { bits, declaredGroup: null, since: p.since, source: 'supplement' });
  }
  return out;
}

function decode(name: string, r: RawPermission): PermissionInfo {
  const level = decodeProtectionLevel(r.bits);
  const runtime = RUNTIME_GROUPS[name];
  return {
    name,
    base: level.base,
    flags: level.flags,
    protectionLevel: [level.base, ...level.flags].join('|'),
    group: runtime ?? (r.declaredGroup && r.declaredGroup !== UNDEFINED_GROUP ? r.declaredGroup : null),
    since: r.since,
    source: r.source,
    categories: categoryIndex().get(name) ?? [],
  };
}

// Decoded per name on first use: `analyze` asks about the manifest's few permissions, and
// decoding all ~1,000 cost milliseconds of its run.
const decoded = new Map<string, PermissionInfo>();

function info(name: string): PermissionInfo | undefined {
  let d = decoded.get(name);
  if (!d) {
    table ??= build();
    const r = table.get(name);
    if (!r) return undefined;
    d = decode(name, r);
    decoded.set(name, d);
  }
  return d;
}

/** Accepts "READ_CONTACTS" as short for "android.permission.READ_CONTACTS". */
function fullName(name: string): string {
  return name.includes('.') ? name : `android.permission.${name}`;
}

export function permissionInfo(name: string): PermissionInfo | undefined {
  return info(fullName(name));
}

export function allPermissions(): PermissionInfo[] {
  table ??= build();
  return [...table.keys()].map((name) => info(name)!);
}

export function isDangerous(name: string): boolean {
  return permissionInfo(name)?.base === 'dangerous';
}

export function categoriesGuardedBy(permission: string): DataCategory[] {
  return [...(categoryIndex().get(fullName(permission)) ?? [])];
}

export function permissionsGuarding(category: DataCategory): string[] {
  return [...CATEGORY_PERMISSIONS[category]];
}
