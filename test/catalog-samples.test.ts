// Runs every catalog sample through its summariser with minimal stand-ins for frida-java-bridge
// values (the simulated runtime exercises the same samples through the real installer).
import { describe, expect, it } from 'vitest';
import { classifyContentUri, ID_PROPERTY_RE } from '../agent/catalog/filters.ts';
import { CATALOG } from '../agent/catalog/index.ts';
import type { CatalogEntry, HookSample, SampleValue } from '../agent/catalog/types.ts';
import { SUMMARIZERS } from '../agent/hooks/summarizers.ts';

const OWN_PACKAGE = 'com.example.app';

function build(v: SampleValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ('$array' in v) return v.$array.map(build);
  if ('$list' in v) {
    const values = v.$list.map(build);
    return { $className: 'java.util.ArrayList', size: () => values.length, get: (i: number) => values[i] };
  }
  const out: Record<string, unknown> = { $className: v.$class };
  for (const [name, ret] of Object.entries(v.$methods ?? {})) out[name] = () => build(ret);
  for (const [name, val] of Object.entries(v.$fields ?? {})) out[name] = { value: build(val) };
  // A Bundle's $fields are its keys, read by key (as the simulator's sample-objects.ts does).
  if (v.$class === 'android.os.Bundle') {
    const get = (key: string) => (key in (v.$fields ?? {}) ? build(v.$fields![key]!) : null);
    for (const name of ['get', 'getCharSequence', 'getString']) out[name] = get;
  }
  return out;
}

/** Native args and return values are NativePointer-likes in Frida. */
function nativePtr(v: SampleValue): unknown {
  if (typeof v === 'string') return { readUtf8String: () => v, add: () => ({ readUtf8String: () => '' }) };
  if (typeof v === 'number') return { toInt32: () => v };
  return build(v);
}

function run(entry: CatalogEntry, sample: HookSample) {
  const conv = entry.kind === 'native' ? nativePtr : build;
  const summarizer = SUMMARIZERS[entry.summary ?? 'none'];
  return summarizer({
    args: (sample.args ?? []).map(conv),
    result: sample.result === undefined ? undefined : conv(sample.result),
    self: sample.self === undefined ? {} : build(sample.self),
    ownPackage: OWN_PACKAGE,
  });
}

describe('catalog samples through the summarisers', () => {
  for (const entry of CATALOG) {
    it(`${entry.id}`, () => {
      for (const [i, sample] of entry.samples.entries()) {
        const where = `${entry.id} sample ${i}`;
        const summary = run(entry, sample);
        if (sample.expect === null) {
          expect(summary, where).toBeNull();
          continue;
        }
        expect(summary, where).not.toBeNull();
        if (!summary) continue;
        expect(summary.args ?? '', where).not.toMatch(/failed:/);
        const { category, argsIncludes, resultIncludes, hashed } = sample.expect;
        if (category) expect(summary.category ?? entry.category, where).toBe(category);
        if (argsIncludes) expect(summary.args ?? '', where).toContain(argsIncludes);
        if (resultIncludes) expect(summary.result ?? '', where).toContain(resultIncludes);
        if (hashed) {
          expect(entry.personal, `${where}: hashed needs personal`).toBe(true);
          expect(summary.value, where).toBeTypeOf('string');
        }
      }
    });
  }
});

describe('summariser details', () => {
  it('classifies content URIs by authority, ignoring a user prefix', () => {
    expect(classifyContentUri('content://10@com.android.contacts/contacts')).toEqual([
      'com.android.contacts',
      'contacts',
    ]);
    expect(classifyContentUri('content://call_log/calls')[1]).toBe('call-log');
    expect(classifyContentUri('content://settings/system')[1]).toBeUndefined();
  });

  it('matches identifier properties only', () => {
    for (const k of [
      'ro.serialno',
      'ro.boot.serialno',
      'gsm.sim.operator.iso-country',
      'persist.radio.imei1',
    ])
      expect(ID_PROPERTY_RE.test(k), k).toBe(true);
    for (const k of ['ro.build.version.sdk', 'ro.product.model', 'persist.sys.locale'])
      expect(ID_PROPERTY_RE.test(k), k).toBe(false);
  });

  it('never throws: a hostile object yields a degraded summary', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    for (const id of Object.keys(SUMMARIZERS) as (keyof typeof SUMMARIZERS)[]) {
      expect(() =>
        SUMMARIZERS[id]({
          args: [hostile, hostile, hostile],
          result: hostile,
          self: hostile,
          ownPackage: 'x',
        }),
      ).not.toThrow();
    }
  });

  it('caps long strings at about 200 characters', () => {
    const summary = SUMMARIZERS['result-value']({
      args: [],
      result: 'x'.repeat(5000),
      self: {},
      ownPackage: 'x',
    });
    expect(summary?.value?.length).toBeLessThanOrEqual(200);
  });
});
