import { describe, expect, it } from 'vitest';
import { HIDDEN_CLASSES } from '../harness/android-api/hidden-api.ts';
import { fridaToApiType, loadAndroidApi, typeMatches } from '../harness/android-api/load.ts';
import { normaliseTsType, parseDeclarations, stripGenerics } from '../harness/android-api/parse-dts.ts';

describe('loadAndroidApi', () => {
  const api = loadAndroidApi();

  it('is cached per process', () => {
    expect(loadAndroidApi()).toBe(api);
  });

  it('knows TelephonyManager.getImei: overloads () and (number), since 26', () => {
    const imei = api.findMethods('android.telephony.TelephonyManager', 'getImei');
    expect(imei.map((m) => m.params)).toEqual(expect.arrayContaining([[], ['number']]));
    expect(imei).toHaveLength(2);
    for (const m of imei) {
      expect(m.since).toBe(26);
      expect(m.returns).toBe('java.lang.String');
    }
  });

  it('resolves nested classes to binary names', () => {
    const secure = api.get('android.provider.Settings$Secure');
    expect(secure?.superclass).toBe('android.provider.Settings$NameValueTable');
    const getString = secure?.methods.filter((m) => m.name === 'getString') ?? [];
    expect(getString).toHaveLength(1);
    expect(getString[0]?.isStatic).toBe(true);
    expect(getString[0]?.params).toEqual(['android.content.ContentResolver', 'java.lang.String']);
    // Two levels deep: Notification.Action.Builder.
    const builder = api.get('android.app.Notification$Action$Builder');
    expect(builder?.methods.some((m) => m.name === 'build')).toBe(true);
    expect(api.get('android.Manifest$permission')).toBeDefined();
  });

  it('lists ContentResolver.query overloads with array params', () => {
    const query = api.findMethods('android.content.ContentResolver', 'query');
    expect(query.length).toBeGreaterThanOrEqual(3);
    expect(query.map((m) => m.params)).toContainEqual([
      'android.net.Uri',
      '[java.lang.String',
      'java.lang.String',
      '[java.lang.String',
      'java.lang.String',
    ]);
  });

  it('finds inherited methods, nearest first', () => {
    const start = api.findMethods('android.app.Activity', 'startActivity');
    expect(start.map((m) => m.params)).toEqual(
      expect.arrayContaining([['android.content.Intent'], ['android.content.Intent', 'android.os.Bundle']]),
    );
    expect(api.get('android.app.Activity')?.methods.some((m) => m.name === 'startActivity')).toBe(true);
    // toString comes from java.lang.Object through a long superclass chain.
    expect(api.findMethods('android.app.Activity', 'toString').length).toBeGreaterThanOrEqual(1);
    expect(api.findMethods('android.app.Activity', 'noSuchMethodAnywhere')).toEqual([]);
  });

  it('marks interfaces and records deprecation', () => {
    expect(api.get('android.content.DialogInterface$OnClickListener')?.isInterface).toBe(true);
    expect(api.get('android.content.DialogInterface$OnClickListener')?.constructors).toEqual([]);
    expect(api.get('android.app.Activity')?.isInterface).toBe(false);
    const line1 = api.findMethods('android.telephony.TelephonyManager', 'getLine1Number');
    expect(line1[0]?.deprecatedIn).toBe(33);
  });

  it('includes the androidx declarations, marked as a bundled library', () => {
    const req = api.findMethods('androidx.core.app.ActivityCompat', 'requestPermissions');
    expect(req[0]?.params).toEqual(['android.app.Activity', '[java.lang.String', 'number']);
    expect(api.get('androidx.core.app.ActivityCompat')?.library).toBe('androidx');
    // Inherited static from ContextCompat; `globalAndroid.` resolved to `android.`.
    expect(api.findMethods('androidx.core.app.ActivityCompat', 'checkSelfPermission')[0]?.params).toEqual([
      'android.content.Context',
      'java.lang.String',
    ]);
    expect(api.get('android.app.Activity')?.library).toBeUndefined();
  });

  it('merges the hidden classes', () => {
    for (const h of HIDDEN_CLASSES) expect(api.get(h.name)?.hidden).toBe(true);
    const get = api.findMethods('android.os.SystemProperties', 'get');
    expect(get.map((m) => m.params.length).sort()).toEqual([1, 2]);
    // Inherited from the public PackageManager through the hidden subclass.
    expect(api.findMethods('android.app.ApplicationPackageManager', 'getPackagesForUid').length).toBe(1);
    // Hidden methods of a public class are merged and flagged; the public ones are not.
    const secure = api.get('android.provider.Settings$Secure');
    expect(secure?.hidden).toBeUndefined();
    expect(secure?.methods.find((m) => m.name === 'getStringForUser')?.hidden).toBe(true);
    expect(secure?.methods.find((m) => m.name === 'getString')?.hidden).toBeUndefined();
  });
});

describe('typeMatches', () => {
  it.each([
    ['int', 'number', true],
    ['long', 'number', true],
    ['char', 'java.lang.String', true],
    ['java.lang.String', 'java.lang.String', true],
    ['[Ljava.lang.String;', '[java.lang.String', true],
    ['java.lang.String[]', '[java.lang.String', true],
    ['[B', '[number', true],
    ['[[I', '[[number', true],
    ['android.net.Uri', 'java.lang.Object', true],
    ['boolean', 'number', false],
    ['int', 'java.lang.Object', false],
    ['[B', '[java.lang.String', false],
    ['android.net.Uri', 'android.os.Bundle', false],
  ])('%s ~ %s is %s', (frida, api, expected) => {
    expect(typeMatches(frida, api)).toBe(expected);
  });

  it('maps Frida array codes', () => {
    expect(fridaToApiType('[Z')).toBe('[boolean');
    expect(fridaToApiType('[Landroid.accounts.Account;')).toBe('[android.accounts.Account');
  });
});

describe('parseDeclarations', () => {
  it('parses a small declaration file', () => {
    const text = [
      'declare module a {',
      '\texport module b {',
      '\t\t/** @since 24 */',
      '\t\texport abstract class Outer<T>  extends java.lang.Object implements a.b.Iface, java.lang.Comparable<T> {',
      '\t\t\t/** @since 26',
      '\t\t\t *  @deprecated Deprecated in API 30 */',
      '\t\t\tpublic get(key: string, n: number): androidNative.Array<T>;',
      '\t\t\tpublic static make(x: a.b.Outer.Inner, y: java.util.Map<string,java.util.List<string>>): void;',
      '\t\t\tpublic constructor();',
      '\t\t}',
      '\t\texport module Outer {',
      '\t\t\texport class Inner extends java.lang.Object {',
      '\t\t\t\t/**',
      '\t\t\t\t * Constructs a new instance of the a.b.Outer$Inner interface with the provided implementation.',
      '\t\t\t\t */',
      '\t\t\t\tpublic constructor(implementation: {',
      '\t\t\t\t\tgo(p: string): void;',
      '\t\t\t\t});',
      '\t\t\t\tpublic go(p: string /* any*/): void;',
      '\t\t\t}',
      '\t\t}',
      '\t}',
      '}',
    ].join('\n');
    const classes = parseDeclarations(text);
    const outer = classes.get('a.b.Outer');
    expect(outer?.since).toBe(24);
    expect(outer?.isAbstract).toBe(true);
    expect(outer?.interfaces).toEqual(['a.b.Iface', 'java.lang.Comparable']);
    expect(outer?.methods[0]).toMatchObject({
      params: ['java.lang.String', 'number'],
      returns: '[java.lang.Object',
      since: 26,
      deprecatedIn: 30,
    });
    expect(outer?.methods[1]).toMatchObject({ isStatic: true, params: ['a.b.Outer$Inner', 'java.util.Map'] });
    const inner = classes.get('a.b.Outer$Inner');
    expect(inner?.isInterface).toBe(true);
    expect(inner?.methods.map((m) => m.name)).toEqual(['go']);
  });

  it('normalises TypeScript types', () => {
    const none = new Set<string>();
    expect(normaliseTsType('string | null', none)).toBe('java.lang.String');
    expect(normaliseTsType('androidNative.Array<androidNative.Array<number>>', none)).toBe('[[number');
    expect(normaliseTsType('any /* any*/', none)).toBe('java.lang.Object');
    expect(normaliseTsType('K', new Set(['K']))).toBe('java.lang.Object');
    expect(stripGenerics('a.B<c.D<E>, F>')).toBe('a.B');
  });
});
