// Permission rules and the AppOps cross-check: each FIRES on a breaking trace, QUIET otherwise.
import { describe, expect, it } from 'vitest';
import { parseLastAccess } from '../harness/analysis/rules/coverage-gap.ts';
import { analyzeTrace, core, P, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

const arp = {
  hook: 'native.open',
  category: 'network-id',
  args: '/proc/net/arp',
  api: 'libc.so!open',
} as const;
const serial = { hook: 'system-properties.get', category: 'device-id', args: 'ro.serialno' } as const;
const androidId = { hook: 'settings.secure-get-string', category: 'device-id', args: 'android_id' } as const;
const camera = { hook: 'camera.open', category: 'camera' } as const;
const request = (t: number, perms: string, hook = 'permissions.activity-request') =>
  ({ hook, category: 'permission-request', t, args: perms }) as const;
const result = (t: number, pairs: string) =>
  ({
    hook: 'permissions.dispatch-result',
    category: 'permission-request',
    t,
    args: pairs,
    result: 'request=7',
  }) as const;

describe('permission-bypass', () => {
  it('fires on side channels without the guarding permission and on access after a refusal', async () => {
    const t = new TraceBuilder();
    const a = t.event({ ...arp, t: 1, by: 'umeng' });
    const b = t.event({ ...serial, t: 2, by: 'umeng' });
    t.event({ ...androidId, t: 3, by: 'umeng' }); // ANDROID_ID needs no permission
    t.event({ ...camera, t: 4 }); // CAMERA declared, not refused yet
    t.event(result(5, `${P('CAMERA')}=denied`));
    const c = t.event({ ...camera, t: 6 });
    const r = await analyzeTrace(t, { permissions: [P('CAMERA'), P('INTERNET')] });
    try {
      expect(core(r.findings, 'permission-bypass')).toEqual([
        { severity: 'high', category: 'camera', sdk: null, evidence: [c], count: 1 },
        { severity: 'high', category: 'device-id', sdk: 'umeng-common', evidence: [b], count: 1 },
        { severity: 'high', category: 'network-id', sdk: 'umeng-common', evidence: [a], count: 1 },
      ]);
      const net = r.findings.find((f) => f.rule === 'permission-bypass' && f.category === 'network-id')!;
      expect(net.title).toContain('side channel (native.open)');
      expect(net.detail).toContain('/proc/net/arp');
      expect(r.findings.find((f) => f.category === 'camera')!.detail).toContain('had refused');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when the app holds the guarding permissions', async () => {
    const t = new TraceBuilder();
    t.event({ ...arp, t: 1, by: 'umeng' });
    t.event({ ...serial, t: 2, by: 'umeng' });
    t.event({ ...androidId, t: 3 });
    t.event(result(4, `${P('CAMERA')}=granted`));
    t.event({ ...camera, t: 5 });
    const r = await analyzeTrace(t, {
      permissions: [P('ACCESS_WIFI_STATE'), P('READ_PHONE_STATE'), P('CAMERA')],
    });
    try {
      expect(core(r.findings, 'permission-bypass')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('is skipped, not silently passed, when the manifest is unknown', async () => {
    const t = new TraceBuilder();
    t.event({ ...arp, t: 1 });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'permission-bypass')).toEqual([]);
      expect(core(r.findings, 'unused-dangerous-permission')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('unused-dangerous-permission', () => {
  it('fires on a declared dangerous permission no event exercised', async () => {
    const t = new TraceBuilder();
    t.event({ hook: 'content.resolver-query', category: 'contacts', t: 1 });
    t.event(request(2, P('CAMERA')));
    const r = await analyzeTrace(t, { permissions: [P('READ_CONTACTS'), P('CAMERA'), P('INTERNET')] });
    try {
      expect(core(r.findings, 'unused-dangerous-permission')).toEqual([
        { severity: 'low', category: 'camera', sdk: null, evidence: [], count: 0 },
      ]);
      const f = r.findings.find((x) => x.rule === 'unused-dangerous-permission')!;
      expect(f.title).toBe('CAMERA declared but never used');
      expect(f.detail).toContain('requested it 1 time(s)');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when every dangerous permission is exercised', async () => {
    const t = new TraceBuilder();
    t.event({ hook: 'content.resolver-query', category: 'contacts', t: 1 });
    t.event({ ...camera, t: 2 });
    const r = await analyzeTrace(t, { permissions: [P('READ_CONTACTS'), P('CAMERA'), P('INTERNET')] });
    try {
      expect(core(r.findings, 'unused-dangerous-permission')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('permission-rerequest', () => {
  it('fires when a refused permission is requested again (nested reports count once)', async () => {
    const t = new TraceBuilder();
    t.event(request(1, `${P('CAMERA')},${P('READ_CONTACTS')}`));
    const refusal = t.event(result(2, `${P('CAMERA')}=denied,${P('READ_CONTACTS')}=granted`));
    t.event({ ...request(10, P('READ_CONTACTS')) }); // granted before: not a re-request
    const again = t.event({
      ...request(20, P('CAMERA'), 'permissions.activity-compat-request'),
      by: 'bugly',
    });
    t.event({ ...request(20.2, P('CAMERA')), by: 'bugly' }); // the same call reported by Activity
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'permission-rerequest')).toEqual([
        {
          severity: 'high',
          category: 'permission-request',
          sdk: 'tencent-bugly',
          evidence: [refusal, again],
          // The events it covers (the refusal and the request again), as every report counts.
          count: 2,
        },
      ]);
      expect(r.findings[0]!.title).toBe('CAMERA requested 1× again after the user refused it');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when the request after a refusal is for another permission, or after a grant', async () => {
    const t = new TraceBuilder();
    t.event(request(1, P('READ_CONTACTS')));
    t.event(result(2, `${P('READ_CONTACTS')}=denied`));
    t.event(request(3, P('CAMERA')));
    t.event(result(4, `${P('CAMERA')}=granted`));
    t.event(request(5, P('CAMERA')));
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'permission-rerequest')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('counts a name listed twice in one request once, and thousands of requests again each once', async () => {
    const t = new TraceBuilder();
    t.event(request(1, P('CAMERA')));
    const refusal = t.event(result(2, `${P('CAMERA')}=denied`));
    const twice = t.event(request(10, `${P('CAMERA')},${P('CAMERA')}`));
    // A hostile app asking every 3 s (beyond the 2-s dedupe) for 45 minutes: each one counts.
    for (let i = 1; i <= 900; i++) t.event(request(10 + 3 * i, P('CAMERA')));
    const r = await analyzeTrace(t);
    try {
      const [f] = core(r.findings, 'permission-rerequest');
      expect(f).toMatchObject({ count: 902 });
      expect(f!.evidence.slice(0, 2)).toEqual([refusal, twice]);
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet outside a configured window', async () => {
    const t = new TraceBuilder();
    t.event(request(1, P('CAMERA')));
    t.event(result(2, `${P('CAMERA')}=denied`));
    t.event(request(3700, P('CAMERA')));
    const r = await analyzeTrace(t, {
      options: { limits: { rerequest: { windowMs: 3_600_000, dedupeMs: 2000 } } },
    });
    try {
      expect(core(r.findings, 'permission-rerequest')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('rerequest-next-start', () => {
  it('counts a name listed twice in one request once, and hundreds of requests on the next start each once', async () => {
    const t = new TraceBuilder();
    t.lifecycle(0.5, 'app-start');
    t.event(request(1, P('CAMERA')));
    const refusal = t.event(result(2, `${P('CAMERA')}=denied`));
    t.lifecycle(5, 'app-start');
    const twice = t.event(request(10, `${P('CAMERA')},${P('CAMERA')}`));
    for (let i = 1; i <= 990; i++) t.event(request(10 + i, P('CAMERA')));
    const r = await analyzeTrace(t);
    try {
      const [f] = core(r.findings, 'rerequest-next-start');
      expect(f).toMatchObject({ count: 991 });
      expect(f!.evidence.slice(0, 2)).toEqual([refusal, twice]);
    } finally {
      r.cleanup();
    }
  });
});

describe('coverage-gap', () => {
  it('fires on an AppOps access during the run that no hook saw (low for personal data, info otherwise)', async () => {
    const t = new TraceBuilder();
    t.event({ ...camera, t: 1 });
    const r = await analyzeTrace(t, {
      appops: [
        ['READ_CLIPBOARD', '+5s ago'],
        ['SYSTEM_ALERT_WINDOW', 'time=+2s ago'],
        ['CAMERA', '+1s ago'], // seen by the hooks
        ['WAKE_LOCK', '+1s ago'], // no category
        ['READ_CONTACTS', '1767225000000'], // before the run
      ],
    });
    try {
      expect(core(r.findings, 'coverage-gap')).toEqual([
        { severity: 'low', category: 'clipboard', sdk: null, evidence: [], count: 0 },
        { severity: 'info', category: 'overlay', sdk: null, evidence: [], count: 0 },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when every AppOps access has matching events', async () => {
    const t = new TraceBuilder();
    t.event({ ...camera, t: 1 });
    t.event({ hook: 'clipboard.get-primary-clip', category: 'clipboard', t: 2 });
    const r = await analyzeTrace(t, {
      appops: [
        ['CAMERA', '+1s ago'],
        ['READ_CLIPBOARD', '+3s ago'],
      ],
    });
    try {
      expect(core(r.findings, 'coverage-gap')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('reads last-access times as printed, as epoch ms and as ISO text', () => {
    expect(parseLastAccess('+1m2s345ms ago', 100_000)).toBe(100_000 - 62_345);
    expect(parseLastAccess('time=+12s ago', 50_000)).toBe(38_000);
    expect(parseLastAccess('1767225000000', 0)).toBe(1_767_225_000_000);
    expect(parseLastAccess('2026-01-01T00:00:00.000Z', 0)).toBe(Date.UTC(2026, 0, 1));
    expect(parseLastAccess('never', 0)).toBeUndefined();
  });
});
