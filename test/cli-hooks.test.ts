import { beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../agent/catalog/index.ts';
import type { HookRow } from '../harness/cli/commands/hooks.ts';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';

const deps = captureDeps(process.cwd(), { defaultDb: ':memory:' });
const cli = (...args: string[]) => runCli(args, deps);

beforeEach(() => {
  deps.reset();
  process.exitCode = undefined;
});

describe('overreach hooks', () => {
  it('prints an aligned table of every entry', async () => {
    expect(await cli('hooks')).toBe(0);
    const lines = deps.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+category\s+api\s+permission\s+flags$/);
    expect(lines[1]).toMatch(/^-+ {2}-+ {2}-+ {2}-+ {2}-+$/);
    expect(lines.at(-1)).toBe(`(${CATALOG.length} hooks)`);
    expect(lines).toHaveLength(CATALOG.length + 3);
    const imei = lines.find((l) => l.startsWith('telephony.get-imei '));
    expect(imei).toMatch(
      /device-id\s+android\.telephony\.TelephonyManager\.getImei\s+READ_PHONE_STATE\s+api>=26$/,
    );
    expect(lines.find((l) => l.startsWith('native.ioctl-hwaddr '))).toMatch(/libc\.so!ioctl\s+-\s+native$/);
    expect(lines.find((l) => l.startsWith('ads.get-advertising-id-info '))).toMatch(/lazy,hidden$/);
    // Columns line up: "category" starts at the same offset on every row.
    const col = lines[0]?.indexOf('category') ?? -1;
    expect(lines.slice(2, -1).every((l) => l[col - 1] === ' ' && l[col] !== ' ')).toBe(true);
  });

  it('prints JSON rows and filters by category', async () => {
    expect(await cli('hooks', '--json', '--category', 'location')).toBe(0);
    const rows = JSON.parse(deps.out()) as HookRow[];
    const expected = CATALOG.filter((e) => e.category === 'location').length;
    expect(rows).toHaveLength(expected);
    expect(rows.every((r) => r.category === 'location')).toBe(true);
    const last = rows.find((r) => r.id === 'location.get-last-known-location');
    expect(last).toMatchObject({
      kind: 'java',
      api: 'android.location.LocationManager.getLastKnownLocation',
      permission: 'android.permission.ACCESS_FINE_LOCATION',
      personal: true,
      lazy: false,
      hidden: false,
    });
    const fused = rows.find((r) => r.id === 'fused-location.get-last-location');
    expect(fused).toMatchObject({ lazy: true, hidden: true });
  });

  it('shows per-category permissions of content queries', async () => {
    expect(await cli('hooks', '--json', '--category', 'contacts')).toBe(0);
    const query = (JSON.parse(deps.out()) as HookRow[]).find((r) => r.id === 'content.resolver-query');
    expect(query?.permission).toBeNull();
    expect(query?.permissionByCategory).toMatchObject({
      contacts: 'android.permission.READ_CONTACTS',
      'call-log': 'android.permission.READ_CALL_LOG',
      sms: 'android.permission.READ_SMS',
    });
    deps.reset('out');
    expect(await cli('hooks', '--category', 'contacts')).toBe(0);
    expect(deps.out()).toMatch(
      /content\.resolver-query\s+contacts\s+android\.content\.ContentResolver\.query\s+by category/,
    );
  });

  it('rejects an unknown category with one line and exit code 2', async () => {
    expect(await cli('hooks', '--category', 'wallpaper')).toBe(2);
    expect(deps.err()).toMatch(/^overreach: hooks: --category: unknown category 'wallpaper'/);
    expect(deps.err().trimEnd().split('\n')).toHaveLength(1);
    expect(deps.out()).toBe('');
  });
});
