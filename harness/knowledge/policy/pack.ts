// Policy pack API and the YAML loader for user packs (same shape as the built-in 2021 pack).
import { existsSync } from 'node:fs';
import { DATA_CATEGORIES, type DataCategory } from '../../../agent/protocol/messages.ts';
import { InputError } from '../../errors.ts';
import {
  expectList,
  expectMap,
  expectOneOf,
  expectString,
  type YamlPath,
  YamlSource,
} from '../../profile/yaml-source.ts';
import { readInputFile } from '../../util/read-input.ts';
import { APP_CATEGORIES_2021, NECESSARY_2021 } from './necessary-2021.ts';
import type { CategoryRule, PolicyPack } from './types.ts';

export const BUILT_IN_PACKS: Readonly<Record<string, PolicyPack>> = { [NECESSARY_2021.id]: NECESSARY_2021 };

/** Keys a pack may use under `categories`. */
export const PACK_CATEGORY_KEYS = [...APP_CATEGORIES_2021, 'custom', 'default'] as const;

export interface NecessityOptions {
  /** Leave out `conditional` categories (default: they count, the benefit of the doubt). */
  strict?: boolean;
  /** Privacy-policy declarations; a pack's `purposes` can make declared data necessary. */
  declarations?: readonly { category: DataCategory; purposes: readonly string[] }[];
}

function ruleFor(pack: PolicyPack, appCategory: string): CategoryRule | undefined {
  return pack.categories[appCategory] ?? pack.categories['default'];
}

export function necessaryCategories(
  pack: PolicyPack,
  appCategory: string,
  opts: NecessityOptions = {},
): Set<DataCategory> {
  const rule = ruleFor(pack, appCategory);
  const out = new Set<DataCategory>(rule?.necessary ?? []);
  if (!opts.strict) for (const c of rule?.conditional ?? []) out.add(c);
  for (const d of opts.declarations ?? []) {
    if (d.purposes.some((p) => pack.purposes?.[p]?.includes(d.category))) out.add(d.category);
  }
  return out;
}

/** Necessary plus what the basic function itself uses (camera for a camera app …). */
export function allowedCategories(
  pack: PolicyPack,
  appCategory: string,
  opts: NecessityOptions = {},
): Set<DataCategory> {
  const out = necessaryCategories(pack, appCategory, opts);
  for (const c of ruleFor(pack, appCategory)?.functional ?? []) out.add(c);
  return out;
}

function categoryList(src: YamlSource, path: YamlPath, value: unknown): DataCategory[] {
  return expectList(src, path, value).map((v, i) => expectOneOf(src, [...path, i], v, DATA_CATEGORIES));
}

const RULE_KEYS = [
  'necessary',
  'conditional',
  'functional',
  'userSupplied',
  'item',
  'title',
  'note',
] as const;

export function parsePolicyPack(text: string, file: string): PolicyPack {
  const src = new YamlSource(text, file);
  const top = expectMap(src, [], src.value, ['id', 'name', 'source', 'categories', 'purposes']);
  const pack: PolicyPack = {
    id: expectString(src, ['id'], top['id']),
    name: expectString(src, ['name'], top['name']),
    categories: {},
  };
  if (top['source'] !== undefined) pack.source = expectString(src, ['source'], top['source']);
  const cats = expectMap(src, ['categories'], top['categories'], PACK_CATEGORY_KEYS);
  for (const [key, raw] of Object.entries(cats)) {
    const path = ['categories', key];
    const r = expectMap(src, path, raw, RULE_KEYS);
    if (r['necessary'] === undefined) src.fail(path, 'missing key necessary');
    const rule: CategoryRule = { necessary: categoryList(src, [...path, 'necessary'], r['necessary']) };
    for (const k of ['conditional', 'functional'] as const) {
      if (r[k] !== undefined) rule[k] = categoryList(src, [...path, k], r[k]);
    }
    if (r['userSupplied'] !== undefined) {
      rule.userSupplied = expectList(src, [...path, 'userSupplied'], r['userSupplied']).map((v, i) =>
        expectString(src, [...path, 'userSupplied', i], v),
      );
    }
    if (r['note'] !== undefined) rule.note = expectString(src, [...path, 'note'], r['note']);
    if (r['title'] !== undefined) rule.title = expectString(src, [...path, 'title'], r['title']);
    pack.categories[key] = rule;
  }
  if (top['purposes'] !== undefined) {
    const purposes = expectMap(src, ['purposes'], top['purposes'], Object.keys(top['purposes'] ?? {}));
    pack.purposes = {};
    for (const [name, list] of Object.entries(purposes)) {
      pack.purposes[name] = categoryList(src, ['purposes', name], list);
    }
  }
  return pack;
}

export function loadPolicyPack(file: string, displayName = file): PolicyPack {
  return parsePolicyPack(readInputFile(file, displayName), displayName);
}

/** A built-in pack id, or a path to a YAML pack. */
export function resolvePolicyPack(idOrFile: string): PolicyPack {
  const builtIn = BUILT_IN_PACKS[idOrFile];
  if (builtIn) return builtIn;
  if (!existsSync(idOrFile)) {
    throw new InputError(
      `${idOrFile}: neither a policy pack file nor a built-in pack (${Object.keys(BUILT_IN_PACKS).join(', ')})`,
    );
  }
  return loadPolicyPack(idOrFile);
}
