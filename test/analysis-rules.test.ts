// Data-access rules: each FIRES on a trace that breaks it and stays QUIET on one that does not.
// Traces go through the real `overreach ingest`; evidence ids are predicted by the builder.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicyPack } from '../harness/knowledge/policy/pack.ts';
import { parseProfile } from '../harness/profile/profile.ts';
import { analyzeTrace, core, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

const imei = { hook: 'telephony.get-imei', category: 'device-id' } as const;
const loc = { hook: 'location.get-last-known-location', category: 'location' } as const;
const phone = { hook: 'telephony.get-line1-number', category: 'phone-number' } as const;

const shop = parseProfile(
  `package: com.example.shop
category: online_shopping
privacyPolicy:
  declares:
    - { category: phone-number, purposes: [account] }
    - { category: location, purposes: [delivery], sdk: amap-location }
  sdks: [umeng-analytics]
`,
  'shop.yaml',
);

describe('access-before-consent', () => {
  it('fires on personal data read in pre-consent, grouped by category and SDK', async () => {
    const t = new TraceBuilder();
    const a = t.event({ ...imei, t: 1, by: 'umeng', phase: 'pre-consent' });
    t.event({ hook: 'permissions.check-self', category: 'permission-check', t: 1.5, phase: 'pre-consent' });
    t.event({ hook: 'dialog.show', category: 'dialog', t: 1.6, phase: 'pre-consent' });
    const b = t.event({ ...imei, t: 2, by: 'umeng', phase: 'pre-consent' });
    t.event({ ...imei, t: 9, by: 'umeng', phase: 'post-consent' });
    const c = t.event({ ...loc, t: 3, by: 'app', phase: 'pre-consent' });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'access-before-consent')).toEqual([
        { severity: 'high', category: 'device-id', sdk: 'umeng-common', evidence: [a, b], count: 2 },
        { severity: 'high', category: 'location', sdk: null, evidence: [c], count: 1 },
      ]);
      const f = r.findings.find((x) => x.rule === 'access-before-consent')!;
      expect(f.detail).toContain('phase pre-consent');
      expect(f.detail).toContain('first at +1.000 s via');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when personal data is read only after consent', async () => {
    const t = new TraceBuilder();
    t.event({ hook: 'permissions.check-self', category: 'permission-check', t: 1, phase: 'pre-consent' });
    t.event({ hook: 'notification.notify', category: 'notification', t: 1.2, phase: 'pre-consent' });
    t.event({ ...imei, t: 5, by: 'umeng', phase: 'post-consent' });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'access-before-consent')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('beyond-necessary', () => {
  it('fires on categories an online-shopping app does not need (high or medium)', async () => {
    const t = new TraceBuilder();
    t.event({ ...phone, t: 1 });
    const a = t.event({ ...imei, t: 2, by: 'umeng' });
    const b = t.event({ hook: 'sensors.register-listener', category: 'sensors', t: 3 });
    const r = await analyzeTrace(t, { options: { profile: shop } });
    try {
      expect(core(r.findings, 'beyond-necessary')).toEqual([
        { severity: 'high', category: 'device-id', sdk: 'umeng-common', evidence: [a], count: 1 },
        { severity: 'medium', category: 'sensors', sdk: null, evidence: [b], count: 1 },
      ]);
      expect(r.findings.find((f) => f.rule === 'beyond-necessary')!.detail).toContain('needs phone-number');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet on what the category needs (map navigation reading location)', async () => {
    const t = new TraceBuilder();
    t.event({ ...loc, t: 1, by: 'amap' });
    const nav = { ...shop, category: 'map_navigation' as const };
    const r = await analyzeTrace(t, { options: { profile: nav } });
    try {
      expect(core(r.findings, 'beyond-necessary')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('follows a user pack: declared purposes the pack accepts make data necessary', async () => {
    const gdpr = loadPolicyPack(
      fileURLToPath(new URL('./fixtures/profiles/gdpr-pack.yaml', import.meta.url)),
    );
    const t = new TraceBuilder();
    t.event({ ...phone, t: 1 }); // declared for `account`: necessary under the pack
    t.event({ ...loc, t: 2, by: 'amap' }); // declared for `delivery`: necessary under the pack
    const a = t.event({ hook: 'accounts.get-accounts', category: 'accounts', t: 3 }); // not declared
    const r = await analyzeTrace(t, { options: { profile: shop, pack: gdpr } });
    try {
      expect(core(r.findings, 'beyond-necessary')).toEqual([
        { severity: 'high', category: 'accounts', sdk: null, evidence: [a], count: 1 },
      ]);
      expect(r.findings.find((f) => f.rule === 'beyond-necessary')!.detail).toContain(
        'GDPR data minimisation',
      );
    } finally {
      r.cleanup();
    }
  });
});

describe('undeclared-collection', () => {
  it('fires on undeclared data, data declared for another SDK, and SDKs the policy does not name', async () => {
    const t = new TraceBuilder();
    t.event({ ...phone, t: 1 }); // declared, by the app: fine
    const a = t.event({ ...loc, t: 2 }); // declared for amap-location only
    const b = t.event({ ...phone, t: 3, by: 'bugly' }); // SDK not in the policy's list
    const c = t.event({ hook: 'content.resolver-query', category: 'contacts', t: 4 }); // not declared
    t.event({ ...loc, t: 5, by: 'amap' }); // declared for amap: fine
    const r = await analyzeTrace(t, { options: { profile: shop } });
    try {
      expect(core(r.findings, 'undeclared-collection')).toEqual([
        { severity: 'high', category: 'contacts', sdk: null, evidence: [c], count: 1 },
        { severity: 'high', category: 'location', sdk: null, evidence: [a], count: 1 },
        { severity: 'high', category: 'phone-number', sdk: 'tencent-bugly', evidence: [b], count: 1 },
      ]);
      const detail = (cat: string) =>
        r.findings.find((f) => f.rule === 'undeclared-collection' && f.category === cat)!.detail;
      expect(detail('location')).toContain('only for amap-location');
      expect(detail('phone-number')).toContain('SDK list does not name tencent-bugly');
      expect(detail('contacts')).toContain('does not declare contacts at all');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when every access is declared for whoever made it', async () => {
    const t = new TraceBuilder();
    t.event({ ...phone, t: 1 });
    t.event({ ...loc, t: 2, by: 'amap' });
    const r = await analyzeTrace(t, { options: { profile: shop } });
    try {
      expect(core(r.findings, 'undeclared-collection')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('background-access', () => {
  it('fires on events flagged background when the trace has no lifecycle', async () => {
    const t = new TraceBuilder();
    t.event({ ...loc, t: 1 });
    const a = t.event({ ...loc, t: 2, fg: false });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'background-access')).toEqual([
        { severity: 'medium', category: 'location', sdk: null, evidence: [a], count: 1 },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('with lifecycle, fires on events inside a background span whatever their own flag', async () => {
    const t = new TraceBuilder();
    t.lifecycle(0.5, 'foreground', 'com.example.shop.MainActivity');
    t.event({ ...loc, t: 1 });
    t.event({ ...loc, t: 2, fg: false }); // the lifecycle is authoritative when present
    t.lifecycle(3, 'background');
    const b = t.event({ ...imei, t: 4, by: 'umeng', fg: true }); // the flag lagged behind lifecycle
    t.lifecycle(5, 'foreground', 'com.example.shop.MainActivity');
    t.event({ ...imei, t: 6, by: 'umeng' });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'background-access')).toEqual([
        { severity: 'medium', category: 'device-id', sdk: 'umeng-common', evidence: [b], count: 1 },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('does not count a cold start (before the first activity resumes) as background', async () => {
    const t = new TraceBuilder();
    t.event({ ...imei, t: 1, by: 'umeng', fg: false }); // Application.onCreate
    t.lifecycle(2, 'foreground', 'com.example.shop.MainActivity');
    t.event({ ...loc, t: 3 });
    t.lifecycle(4, 'background');
    const late = t.event({ ...imei, t: 5, by: 'umeng', fg: false });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'background-access')).toEqual([
        { severity: 'medium', category: 'device-id', sdk: 'umeng-common', evidence: [late], count: 1 },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet when everything happens in the foreground', async () => {
    const t = new TraceBuilder();
    t.event({ ...loc, t: 1 });
    t.lifecycle(2, 'background');
    t.event({ hook: 'notification.notify', category: 'notification', t: 3, fg: false });
    t.lifecycle(4, 'foreground');
    t.event({ ...imei, t: 5, by: 'umeng' });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'background-access')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('excessive-rate', () => {
  it('fires when a window straddling two aligned periods holds more than 6 reads in 60 s', async () => {
    const t = new TraceBuilder();
    // 40 s … 75 s: 4 reads in each aligned 60-s period, 8 within one sliding minute.
    const ids = [40, 45, 50, 55, 60, 65, 70, 75].map((s) => t.event({ ...loc, t: s, by: 'amap' }));
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'excessive-rate')).toEqual([
        { severity: 'low', category: 'location', sdk: 'amap-location', evidence: ids, count: 8 },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet at 6 reads per minute and at one read per 11 s', async () => {
    const t = new TraceBuilder();
    for (const s of [0, 5, 10, 15, 20, 25]) t.event({ ...loc, t: s });
    for (let s = 100; s < 400; s += 11) t.event({ ...imei, t: s });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'excessive-rate')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('popup-harassment', () => {
  it('fires on more than 3 toasts within 60 s', async () => {
    const t = new TraceBuilder();
    t.event({ hook: 'toast.show', category: 'toast', t: 0 });
    const ids = [100, 120, 140, 159].map((s) =>
      t.event({ hook: 'toast.show', category: 'toast', t: s, by: 'adA' }),
    );
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'popup-harassment')).toEqual([
        {
          severity: 'medium',
          category: 'toast',
          sdk: 'third-party:net.adcorp.track',
          evidence: ids,
          count: 4,
        },
      ]);
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet at 3 per minute per kind, even with several kinds at once', async () => {
    const t = new TraceBuilder();
    for (const s of [0, 10, 20]) {
      t.event({ hook: 'toast.show', category: 'toast', t: s });
      t.event({ hook: 'notification.notify', category: 'notification', t: s + 1 });
      t.event({ hook: 'dialog.show', category: 'dialog', t: s + 2 });
    }
    t.event({ hook: 'toast.show', category: 'toast', t: 61 });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'popup-harassment')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('install-inducement', () => {
  it('fires on APK downloads and install prompts', async () => {
    const t = new TraceBuilder();
    const a = t.event({
      hook: 'download.enqueue',
      category: 'install-prompt',
      t: 5,
      by: 'adB',
      args: 'https://cdn.example/game.apk',
    });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'install-inducement')).toEqual([
        {
          severity: 'medium',
          category: 'install-prompt',
          sdk: 'third-party:net.adcorp.track',
          evidence: [a],
          count: 1,
        },
      ]);
      expect(r.findings[0]!.detail).toContain('game.apk');
    } finally {
      r.cleanup();
    }
  });

  it('stays quiet on ordinary activity starts', async () => {
    const t = new TraceBuilder();
    t.event({
      hook: 'activity.start-activity',
      category: 'background-activity',
      t: 1,
      args: 'action=android.intent.action.VIEW',
    });
    const r = await analyzeTrace(t);
    try {
      expect(core(r.findings, 'install-inducement')).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});
