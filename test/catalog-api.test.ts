import { describe, expect, it } from 'vitest';
import { CATALOG } from '../agent/catalog/index.ts';
import type { CatalogEntry, JavaHookEntry } from '../agent/catalog/types.ts';
import { SUMMARIZER_IDS } from '../agent/catalog/types.ts';
import { DATA_CATEGORIES } from '../agent/protocol/messages.ts';
import { HIDDEN_CLASSES, HIDDEN_METHODS } from '../harness/android-api/hidden-api.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { validateCatalog } from '../harness/android-api/validate-catalog.ts';

const api = loadAndroidApi();

function javaEntry(id: string): JavaHookEntry {
  const e = CATALOG.find((x) => x.id === id);
  if (e?.kind !== 'java') throw new Error(`no java entry ${id}`);
  return e;
}

/** Validates the catalog with one entry replaced, returning the issues for that id. */
function issuesWith(replacement: CatalogEntry): string[] {
  const copy = CATALOG.map((e) => (e.id === replacement.id ? replacement : e));
  return validateCatalog(copy, api)
    .filter((i) => i.id === replacement.id)
    .map((i) => i.message);
}

describe('hook catalog against the Android API', () => {
  it('has no validation issues', () => {
    expect(validateCatalog(CATALOG, api)).toEqual([]);
  });

  it('has a sensible size, unique ids, known categories and summarisers', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CATALOG.map((e) => e.id)).size).toBe(CATALOG.length);
    for (const e of CATALOG) {
      expect(DATA_CATEGORIES).toContain(e.category);
      if (e.summary) expect(SUMMARIZER_IDS).toContain(e.summary);
      expect(e.samples.filter((s) => s.expect !== null).length, e.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('declares every hidden, non-lazy entry in hidden-api.ts', () => {
    const declared = new Set<string>();
    for (const c of HIDDEN_CLASSES) for (const m of c.methods) declared.add(`${c.name}.${m.name}`);
    for (const h of HIDDEN_METHODS) for (const m of h.methods) declared.add(`${h.className}.${m.name}`);
    const hidden = CATALOG.filter((e): e is JavaHookEntry => e.kind === 'java' && e.hidden === true);
    expect(hidden.length).toBeGreaterThan(5);
    for (const e of hidden) {
      if (e.lazy) continue;
      expect(declared, e.id).toContain(`${e.className}.${e.method}`);
    }
  });

  it('reaches every data category (entry categories plus summariser overrides shown by samples)', () => {
    const reached = new Set<string>(CATALOG.map((e) => e.category));
    for (const e of CATALOG)
      for (const s of e.samples) if (s.expect?.category) reached.add(s.expect.category);
    expect([...DATA_CATEGORIES].filter((c) => !reached.has(c))).toEqual([]);
  });
});

describe('validateCatalog catches mistakes', () => {
  it('reports a misspelt method', () => {
    const e = javaEntry('telephony.get-imei');
    expect(issuesWith({ ...e, method: 'getIMEI' }).join('\n')).toMatch(/method .*getIMEI not found/);
  });

  it('reports a misspelt class', () => {
    const e = javaEntry('telephony.get-imei');
    expect(issuesWith({ ...e, className: 'android.telephony.TelephoneManager' }).join('\n')).toMatch(
      /class android\.telephony\.TelephoneManager not found/,
    );
  });

  it('reports a wrong overload (arity and type)', () => {
    const e = javaEntry('activity.start-activity');
    const arity = issuesWith({
      ...e,
      overloads: [['android.content.Intent', 'int', 'android.os.Bundle', 'int']],
    });
    expect(arity.join('\n')).toMatch(/overload startActivityForResult\(.*\) not declared/);
    const type = issuesWith({
      ...e,
      overloads: [['android.content.Intent', 'boolean', 'android.os.Bundle']],
    });
    expect(type.join('\n')).toMatch(/not declared/);
    // The right one passes.
    expect(issuesWith(e)).toEqual([]);
  });

  it('reports a missing or wrong minApi', () => {
    const e = javaEntry('telephony.get-imei');
    expect(issuesWith({ ...e, minApi: undefined }).join('\n')).toMatch(/minApi should be 26/);
    const old = javaEntry('telephony.get-subscriber-id');
    expect(issuesWith({ ...old, minApi: 23 }).join('\n')).toMatch(/exists from API 21/);
  });

  it('reports inherited Object methods on unrestricted entries', () => {
    const e = javaEntry('notification.notify');
    expect(issuesWith({ ...e, overloads: undefined }).join('\n')).toMatch(/java\.lang\.Object\.notify/);
  });

  it('reports hidden flags that disagree with hidden-api.ts, and bad ids', () => {
    const hidden = javaEntry('window.add-view');
    expect(issuesWith({ ...hidden, hidden: false }).join('\n')).toMatch(/mark it `hidden: true`/);
    const pub = javaEntry('dialog.show');
    expect(issuesWith({ ...pub, hidden: true }).join('\n')).toMatch(/drop `hidden`/);
    expect(
      validateCatalog([{ ...pub, id: 'Dialog_Show' }], api)
        .map((i) => i.message)
        .join('\n'),
    ).toMatch(/kebab-case/);
    expect(validateCatalog([pub, pub], api).map((i) => i.message)).toContain('duplicate id');
  });

  it('checks the concrete classes listed for an abstract method', () => {
    const pm = {
      ...javaEntry('packages.get-installed-packages'),
      className: 'android.content.pm.PackageManager',
      hidden: false,
    };
    expect(issuesWith({ ...pm, concrete: ['android.app.ApplicationPackageManager'] })).toEqual([]);
    expect(issuesWith({ ...pm, concrete: ['android.app.NoSuchPackageManager'] }).join('\n')).toMatch(
      /concrete class android\.app\.NoSuchPackageManager not found/,
    );
    expect(issuesWith({ ...pm, concrete: ['android.app.Dialog'] }).join('\n')).toMatch(
      /has no getInstalledPackages/,
    );
  });

  it('requires samples to name their overload where no default is safe', () => {
    const lazy = javaEntry('ads.get-advertising-id-info');
    const bare = lazy.samples.map(({ overload: _o, ...rest }) => rest);
    expect(issuesWith({ ...lazy, samples: bare }).join('\n')).toMatch(/without `overload`/);
    const restricted = javaEntry('activity.start-activity');
    const unnamed = restricted.samples.map(({ overload: _o, ...rest }) => rest);
    expect(issuesWith({ ...restricted, samples: unnamed }).join('\n')).toMatch(/must name their overload/);
    const wrong = restricted.samples.map((x) => ({ ...x, overload: ['android.content.Intent'] }));
    expect(issuesWith({ ...restricted, samples: wrong }).join('\n')).toMatch(
      /not one of the hooked overloads/,
    );
  });

  it('reports a removed method without maxApi and a bundled class that is not lazy', () => {
    const removed = javaEntry('telephony.get-neighboring-cell-info');
    expect(issuesWith({ ...removed, maxApi: undefined }).join('\n')).toMatch(/maxApi should be 28/);
    const compat = javaEntry('permissions.context-compat-check');
    expect(issuesWith({ ...compat, lazy: false }).join('\n')).toMatch(/androidx .*mark it lazy/);
  });

  it('reports a malformed permissionByCategory', () => {
    const e = javaEntry('content.resolver-query');
    const bad = { ...e, permissionByCategory: { contacts: 'READ_CONTACTS' } };
    expect(issuesWith(bad).join('\n')).toMatch(
      /permissionByCategory\.contacts: READ_CONTACTS is not a permission/,
    );
  });

  it('reports an entry without a positive sample', () => {
    const e = javaEntry('toast.show');
    expect(issuesWith({ ...e, samples: [{ expect: null }] })).toContain('needs at least one positive sample');
  });
});
