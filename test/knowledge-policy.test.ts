import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_CATEGORIES } from '../agent/protocol/messages.ts';
import { InputError } from '../harness/errors.ts';
import { APP_CATEGORIES_2021, NECESSARY_2021 } from '../harness/knowledge/policy/necessary-2021.ts';
import {
  allowedCategories,
  loadPolicyPack,
  necessaryCategories,
  parsePolicyPack,
  resolvePolicyPack,
} from '../harness/knowledge/policy/pack.ts';
import { BEHAVIOUR_CATEGORIES, PERSONAL_DATA_CATEGORIES } from '../harness/knowledge/policy/types.ts';
import { loadProfile } from '../harness/profile/profile.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/profiles');
// A copy of the project's reference table (shared/reference/necessary-info-2021.md).
const REFERENCE = join(FIXTURES, 'necessary-info-2021.md');

describe('2021 necessary-information pack', () => {
  const pack = NECESSARY_2021;
  const need = (c: string) => [...necessaryCategories(pack, c)].sort();

  it('has exactly the 39 categories, numbered like the regulation', () => {
    expect(APP_CATEGORIES_2021).toHaveLength(39);
    for (const [i, key] of APP_CATEGORIES_2021.entries()) {
      expect(pack.categories[key]?.item, key).toBe(i + 1);
    }
  });

  it('uses the same keys and numbers as the reference table', () => {
    const text = readFileSync(REFERENCE, 'utf8');
    const rows = [...text.matchAll(/^\| (\d+) \| (\w+) \|/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(APP_CATEGORIES_2021.map((k, i) => [i + 1, k]));
  });

  it('encodes the necessary device data per category', () => {
    expect(need('map_navigation')).toEqual(['location']);
    expect(need('ride_hailing')).toEqual(['location', 'phone-number']);
    expect(need('online_gaming')).toEqual(['phone-number']);
    expect(need('instant_messaging')).toEqual(['phone-number']);
    expect(need('food_delivery')).toEqual(['phone-number']);
    for (const c of [
      'browser',
      'input_method',
      'security_management',
      'utility_tools',
      'news',
      'womens_health',
    ]) {
      expect([...necessaryCategories(pack, c, { strict: true })], c).toEqual([]);
    }
  });

  it('never makes device ids, device contacts, SMS, call log, installed apps or clipboard necessary', () => {
    for (const c of [...APP_CATEGORIES_2021, 'custom']) {
      const allowed = allowedCategories(pack, c);
      for (const never of [
        'device-id',
        'contacts',
        'sms',
        'call-log',
        'installed-apps',
        'clipboard',
        'accounts',
      ]) {
        expect(allowed.has(never as never), `${c} ${never}`).toBe(false);
      }
    }
  });

  it('allows precise location only for items 1, 2 and 22', () => {
    const withLocation = APP_CATEGORIES_2021.filter((c) => necessaryCategories(pack, c).has('location'));
    expect(withLocation).toEqual(['map_navigation', 'ride_hailing', 'vehicle_service']);
    expect(necessaryCategories(pack, 'vehicle_service', { strict: true }).has('location')).toBe(false);
  });

  it('separates what the function uses from what is necessary', () => {
    expect(necessaryCategories(pack, 'photo_beautify').has('camera')).toBe(false);
    expect(allowedCategories(pack, 'photo_beautify').has('camera')).toBe(true);
    expect(allowedCategories(pack, 'remote_meeting').has('microphone')).toBe(true);
  });

  it('falls back to the default rule for custom categories', () => {
    expect(need('custom')).toEqual([]);
  });

  it('lists only personal-data categories as necessary, never behaviours', () => {
    expect(PERSONAL_DATA_CATEGORIES.length + BEHAVIOUR_CATEGORIES.length).toBe(DATA_CATEGORIES.length);
    for (const rule of Object.values(pack.categories)) {
      for (const c of [...rule.necessary, ...(rule.conditional ?? []), ...(rule.functional ?? [])]) {
        expect(PERSONAL_DATA_CATEGORIES).toContain(c);
      }
    }
  });
});

describe('user policy packs', () => {
  it('loads the GDPR-style fixture and applies declared purposes', () => {
    const pack = loadPolicyPack(join(FIXTURES, 'gdpr-pack.yaml'));
    expect(pack.id).toBe('gdpr-minimisation');
    expect([...necessaryCategories(pack, 'online_shopping')]).toEqual([]);
    expect([...necessaryCategories(pack, 'map_navigation')]).toEqual(['location']);
    const profile = loadProfile(join(FIXTURES, 'shop.yaml'));
    const need = necessaryCategories(pack, profile.category, {
      declarations: profile.privacyPolicy.declares,
    });
    // account → phone-number, delivery → location; analytics justifies nothing.
    expect([...need].sort()).toEqual(['location', 'phone-number']);
  });

  it('resolves built-in ids and files', () => {
    expect(resolvePolicyPack('cn-necessary-2021')).toBe(NECESSARY_2021);
    expect(resolvePolicyPack(join(FIXTURES, 'gdpr-pack.yaml')).name).toMatch(/GDPR/);
  });

  const errorOf = (text: string) => {
    try {
      parsePolicyPack(text, 'pack.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('expected parsePolicyPack to fail');
  };

  it('validates with positions', () => {
    const base = 'id: p\nname: P\ncategories:\n  news:\n    necessary: [phone-number]\n';
    expect(parsePolicyPack(base, 'pack.yaml').categories['news']?.necessary).toEqual(['phone-number']);
    expect(errorOf(base.replace('news', 'newz'))).toMatch(
      /^pack\.yaml:4:3: categories\.newz: unknown key \(expected one of map_navigation, .*, custom, default\)$/,
    );
    expect(errorOf(base.replace('[phone-number]', '[phone-number, imsi]'))).toMatch(
      /^pack\.yaml:5:31: categories\.news\.necessary\[1\]: expected one of device-id, .*, got "imsi"$/,
    );
    expect(errorOf(base.replace('    necessary: [phone-number]\n', '    note: x\n'))).toBe(
      'pack.yaml:5:5: categories.news: missing key necessary',
    );
    expect(errorOf(`${base}purposes:\n  ads: device-id\n`)).toBe(
      'pack.yaml:7:8: purposes.ads: expected a list, got "device-id"',
    );
    expect(errorOf('name: P\ncategories: {}\n')).toBe(
      'pack.yaml:1:1: id: expected a non-empty string, got nothing',
    );
  });
});
