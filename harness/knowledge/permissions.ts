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

let table: Map<string, PermissionInfo> | undefined;
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

function build(): Map<string, PermissionInfo> {
  const out = new Map<string, PermissionInfo>();
  const add = (
    name: string,
    bits: number,
    declaredGroup: string | null,
    since: number | null,
    source: PermissionInfo['source'],
  ) => {
    const level = decodeProtectionLevel(bits);
    const runtime = RUNTIME_GROUPS[name];
    out.set(name, {
      name,
      base: level.base,
      flags: level.flags,
      protectionLevel: [level.base, ...level.flags].join('|'),
      group: runtime ?? (declaredGroup && declaredGroup !== UNDEFINED_GROUP ? declaredGroup : null),
      since,
      source,
      categories: categoryIndex().get(name) ?? [],
    });
  };
  for (const p of loadPlatformData().permissions) {
    add(p.name, p.bits, p.manifestGroup, INTRODUCED_AT[p.name] ?? null, 'framework-res');
  }
  for (const p of SUPPLEMENT_PERMISSIONS) {
    const bits = parseProtectionLevel(p.protectionLevel);
    if (bits === undefined)
      throw new Error(`supplement: bad protection level ${p.protectionLevel} for ${p.name}`);
    add(p.name, bits, null, p.since, 'supplement');
  }
  return out;
}

function permissions(): Map<string, PermissionInfo> {
  table ??= build();
  return table;
}

/** Accepts "READ_CONTACTS" as short for "android.permission.READ_CONTACTS". */
function fullName(name: string): string {
  return name.includes('.') ? name : `android.permission.${name}`;
}

export function permissionInfo(name: string): PermissionInfo | undefined {
  return permissions().get(fullName(name));
}

export function allPermissions(): PermissionInfo[] {
  return [...permissions().values()];
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
