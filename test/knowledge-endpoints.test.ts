// The endpoint → organisation map: suffix matching on label boundaries, most specific first, and
// a curated file whose SDK ids exist and whose entries name their sources.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEndpointMap, defaultEndpoints } from '../harness/knowledge/endpoints.ts';
import { loadSdkSignatures } from '../harness/knowledge/sdks.ts';

describe('endpoint map', () => {
  const map = defaultEndpoints();

  it('matches a host by registered-domain suffix on a label boundary, the longest suffix first', () => {
    expect(map.lookup('api-access.pangolin-sdk-toutiao.com')?.organisation).toBe('ByteDance (Pangle/穿山甲)');
    expect(map.lookup('android.bugly.qq.com')?.sdk).toBe('tencent-bugly');
    expect(map.lookup('mi.gdt.qq.com')?.sdk).toBe('tencent-gdt');
    expect(map.lookup('www.qq.com')?.organisation).toBe('Tencent');
    expect(map.lookup('ULOGS.UMENG.COM.')?.organisation).toBe('Umeng (Alibaba)');
    expect(map.lookup('notqq.com')).toBeNull();
    expect(map.lookup('qq.com.evil.example')).toBeNull();
    expect(map.lookup('api.kdgj-express.example')).toBeNull();
    expect(map.lookup(undefined)).toBeNull();
  });

  it('is versioned, names a source for every entry, and uses known SDK ids', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../harness/knowledge/data/endpoints.json', import.meta.url), 'utf8'),
    ) as { version: string; sources: Record<string, string> };
    expect(map.version).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
    const ids = new Set(loadSdkSignatures().map((s) => s.id));
    const suffixes = new Set<string>();
    for (const e of map.endpoints) {
      expect(suffixes.has(e.suffix), e.suffix).toBe(false);
      suffixes.add(e.suffix);
      if (e.sdk) expect(ids.has(e.sdk), `${e.suffix}: ${e.sdk}`).toBe(true);
      for (const s of e.source.split(/,\s*/)) expect(Object.keys(raw.sources), e.suffix).toContain(s);
    }
    for (const org of [
      'Umeng',
      'JPush',
      'Pangle',
      'GDT',
      'Bugly',
      'Baidu',
      'Getui',
      'Firebase',
      'Google (ads)',
      'AppsFlyer',
      'Adjust',
      'Facebook',
    ])
      expect(
        map.endpoints.some((e) => e.organisation.includes(org)),
        org,
      ).toBe(true);
  });

  it('builds from a list (a lab may extend it)', () => {
    const own = buildEndpointMap('lab-1', [
      { suffix: 'Tracker.Example', organisation: 'Lab', kind: 'ads', source: 'lab' },
    ]);
    expect(own.lookup('a.b.tracker.example')?.organisation).toBe('Lab');
  });
});
