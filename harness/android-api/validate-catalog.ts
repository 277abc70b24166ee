// Validates hook catalog entries against the Android API index: a misspelt class or method, or
// an overload that does not exist, makes a Frida hook throw at install time on a real device.
import type { CatalogEntry, JavaHookEntry } from '../../agent/catalog/types.ts';
import { SUMMARIZER_IDS } from '../../agent/catalog/types.ts';
import { DATA_CATEGORIES } from '../../agent/protocol/messages.ts';
import { typeMatches } from './load.ts';
import type { AndroidApi, ApiMethod } from './types.ts';

export interface CatalogIssue {
  id: string;
  message: string;
}

const ID_RE = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;
const PERMISSION_RE = /^[a-z][\w.]*\.permission\.[A-Z_0-9]+$/;
const BASE_API = 21;

/** Declared overloads an entry hooks (all of the method's, or those its `overloads` name). */
function declaredOverloads(api: AndroidApi, e: JavaHookEntry): ApiMethod[] {
  if (e.method === '$init') return api.get(e.className)?.constructors ?? [];
  return api.findMethods(e.className, e.method);
}

function matches(fridaTypes: readonly string[], m: ApiMethod): boolean {
  return (
    fridaTypes.length === m.params.length && fridaTypes.every((t, i) => typeMatches(t, m.params[i] ?? ''))
  );
}

function sig(m: ApiMethod): string {
  return `(${m.params.join(', ')})`;
}

function validateJava(api: AndroidApi, e: JavaHookEntry, report: (msg: string) => void): void {
  if (e.hidden && e.lazy) {
    // SDK/vendor classes are in no declaration file: samples must say which overload they call.
    const bare = e.samples.filter((s) => s.overload === undefined).length;
    if (bare > 0) report(`${bare} sample(s) without \`overload\` on an undeclared (lazy, hidden) class`);
    return;
  }
  const cls = api.get(e.className);
  if (!cls) {
    report(
      `class ${e.className} not found in the Android API index${e.hidden ? ' nor in hidden-api.ts' : ''}`,
    );
    return;
  }
  const declared = declaredOverloads(api, e);
  if (declared.length === 0) {
    report(`method ${e.className}.${e.method} not found (declared or inherited)`);
    return;
  }
  // Platform classes implementing an abstract method (SDK classes are not in the index).
  for (const name of e.lazy ? [] : (e.concrete ?? [])) {
    if (!api.get(name))
      report(`concrete class ${name} not found in the Android API index nor in hidden-api.ts`);
    else if (api.findMethods(name, e.method).length === 0)
      report(`concrete class ${name} has no ${e.method}`);
  }
  let hooked = declared;
  if (e.overloads) {
    hooked = [];
    for (const ov of e.overloads) {
      const hit = declared.find((m) => matches(ov, m));
      if (hit) hooked.push(hit);
      else
        report(
          `overload ${e.method}(${ov.join(', ')}) not declared; declared: ${declared.map(sig).join(' ')}`,
        );
    }
  } else if (e.method !== '$init' && api.get('java.lang.Object')?.methods.some((m) => m.name === e.method)) {
    report(`${e.method} also matches java.lang.Object.${e.method}: restrict the overloads`);
  }
  for (const s of e.samples) {
    if (e.overloads && !s.overload) {
      report('samples of an entry with `overloads` must name their overload');
    }
    if (s.overload && !hooked.some((m) => matches(s.overload ?? [], m))) {
      report(`sample overload (${s.overload.join(', ')}) is not one of the hooked overloads`);
    }
  }
  // A public method may have hidden overloads too (getSubscriberId() and getSubscriberId(int)).
  const anyHidden = cls.hidden === true || hooked.some((m) => m.hidden === true);
  const onlyHidden = cls.hidden === true || (hooked.length > 0 && hooked.every((m) => m.hidden === true));
  if (e.hidden && !anyHidden) report('marked hidden but declared in the public API: drop `hidden`');
  if (!e.hidden && onlyHidden) report('resolves only to hidden-api.ts declarations: mark it `hidden: true`');
  if (cls.library && !e.lazy)
    report(`${e.className} comes from ${cls.library} (bundled by apps): mark it lazy`);
  if (hooked.length === 0) return;
  const since = (m: ApiMethod) => Math.max(m.since ?? BASE_API, cls.since ?? BASE_API);
  const expectedMin = Math.min(...hooked.map(since));
  if (expectedMin > BASE_API && e.minApi !== expectedMin) {
    report(`minApi should be ${expectedMin} (@since of the hooked overloads), got ${e.minApi ?? 'none'}`);
  } else if (expectedMin <= BASE_API && e.minApi !== undefined) {
    report(`minApi ${e.minApi} but the method exists from API ${BASE_API}`);
  }
  const removed = hooked.map((m) => m.removedIn);
  if (removed.every((r) => r !== undefined)) {
    const expectedMax = Math.max(...(removed as number[])) - 1;
    if (e.maxApi !== expectedMax)
      report(`maxApi should be ${expectedMax} (removed in API ${expectedMax + 1})`);
  } else if (e.maxApi !== undefined) {
    report(`maxApi ${e.maxApi} but a hooked overload was never removed`);
  }
}

/** Every problem found in the catalog, one line each; empty when the catalog is valid. */
export function validateCatalog(catalog: readonly CatalogEntry[], api: AndroidApi): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const seen = new Set<string>();
  for (const e of catalog) {
    const report = (message: string) => issues.push({ id: e.id, message });
    if (!ID_RE.test(e.id)) report('id must be kebab-case words separated by dots, e.g. "telephony.get-imei"');
    if (seen.has(e.id)) report('duplicate id');
    seen.add(e.id);
    if (!(DATA_CATEGORIES as readonly string[]).includes(e.category))
      report(`unknown category ${e.category}`);
    if (e.summary !== undefined && !(SUMMARIZER_IDS as readonly string[]).includes(e.summary)) {
      report(`unknown summary ${e.summary}`);
    }
    if (e.permission !== undefined && !PERMISSION_RE.test(e.permission)) {
      report(`permission ${e.permission} is not a full permission name`);
    }
    if (!e.samples.some((s) => s.expect !== null)) report('needs at least one positive sample');
    if (e.kind === 'java') {
      for (const [c, perm] of Object.entries(e.permissionByCategory ?? {})) {
        if (!(DATA_CATEGORIES as readonly string[]).includes(c))
          report(`permissionByCategory: unknown category ${c}`);
        if (perm !== undefined && !PERMISSION_RE.test(perm))
          report(`permissionByCategory.${c}: ${perm} is not a permission`);
      }
    }
    if (e.kind === 'native') {
      if (e.symbol.trim() === '') report('empty native symbol');
      if (!e.summary.startsWith('native-')) report(`native entry uses non-native summary ${e.summary}`);
    } else {
      validateJava(api, e, report);
    }
  }
  return issues;
}
