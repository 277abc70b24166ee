// SDK attribution of a run, `overreach analyze` end to end, rule configuration and idempotency.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../harness/analysis/config.ts';
import { readFindings } from '../harness/analysis/engine.ts';
import { activeSdks, attributeRunSdks, storeAttributor } from '../harness/analysis/sdk-attribution.ts';
import { runCli } from '../harness/cli/program.ts';
import { SdkAttributor, type SdkSignature } from '../harness/knowledge/sdks.ts';
import { openStore } from '../harness/store/store.ts';
import { analyzeTrace, captureDeps, PKG, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

const sig = (id: string, prefixes: string[]): SdkSignature => ({
  id,
  name: id,
  vendor: 'v',
  kind: 'other',
  prefixes,
});
const imei = { hook: 'telephony.get-imei', category: 'device-id' } as const;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-analysis-sdk-'));
  process.exitCode = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = 0;
});

function sdkOfEvents(db: ReturnType<typeof openStore>['db']): (string | null)[] {
  return db
    .prepare('SELECT sd.name FROM events e LEFT JOIN sdks sd ON sd.id = e.sdk_id ORDER BY e.id')
    .pluck()
    .all() as (string | null)[];
}

describe('attributeRunSdks', () => {
  it('picks the most specific of nested prefixes whatever the signature order', async () => {
    const t = new TraceBuilder();
    t.event({ ...imei, t: 1, by: 'bugly' }); // com.tencent.bugly…
    t.event({ ...imei, t: 2, by: 'tencent' }); // com.tencent.foo…
    t.event({ ...imei, t: 3, by: 'app' });
    await t.ingest(dir, captureDeps(dir));
    const store = openStore(join(dir, 'overreach.db'));
    try {
      // ingest with --package attributes as it writes, with the built-in signatures
      expect(sdkOfEvents(store.db)).toEqual(['tencent-bugly', 'tencent-other', null]);
      const orders = [
        [sig('tencent', ['com.tencent']), sig('bugly', ['com.tencent.bugly'])],
        [sig('bugly', ['com.tencent.bugly']), sig('tencent', ['com.tencent'])],
      ];
      for (const order of orders) {
        attributeRunSdks(store.db, 1, PKG, new SdkAttributor(order));
        expect(sdkOfEvents(store.db)).toEqual(['bugly', 'tencent', null]);
      }
      const stats = attributeRunSdks(store.db, 1, PKG);
      expect(sdkOfEvents(store.db)).toEqual(['tencent-bugly', 'tencent-other', null]);
      expect(stats).toEqual({ stacks: 3, changedStacks: 2, changedEvents: 2 });
      // Idempotent: nothing changes the second time.
      expect(attributeRunSdks(store.db, 1, PKG)).toEqual({ stacks: 3, changedStacks: 0, changedEvents: 0 });
    } finally {
      store.close();
    }
  });

  it('groups unknown third-party code by package into one finding', async () => {
    const t = new TraceBuilder();
    const a = t.event({ ...imei, t: 1, by: 'adA', fg: false }); // net.adcorp.track.a
    const b = t.event({ ...imei, t: 2, by: 'adB', fg: false }); // net.adcorp.track.b
    const r = await analyzeTrace(t);
    try {
      const bg = r.findings.filter((f) => f.rule === 'background-access');
      expect(bg.map((f) => [f.sdk, f.evidence, f.count])).toEqual([
        ['third-party:net.adcorp.track', [a, b], 2],
      ]);
      expect(bg[0]!.title).toContain('by code in net.adcorp.track');
      expect(bg[0]!.detail).toContain('unidentified code in net.adcorp.track');
    } finally {
      r.cleanup();
    }
  });

  it('never reports an SDK that is bundled but did not run', async () => {
    const t = new TraceBuilder().hook('ads.get-advertising-id-info', 'installed');
    t.event({ ...imei, t: 1, by: 'umeng', phase: 'pre-consent' });
    const r = await analyzeTrace(t);
    try {
      expect(
        r.store.db
          .prepare("SELECT state FROM hook_status WHERE hook = 'ads.get-advertising-id-info'")
          .pluck()
          .get(),
      ).toBe('installed');
      // The ads-identifier SDK is bundled (its lazy hook installed: its classes loaded) but made no call.
      expect(activeSdks(r.store.db, 1)).toEqual([
        { sdk: 'umeng-common', events: 1, categories: ['device-id'] },
      ]);
      expect(r.findings.length).toBeGreaterThan(0);
      expect(r.findings.every((f) => f.sdk === 'umeng-common')).toBe(true);
    } finally {
      r.cleanup();
    }
  });
});

describe('overreach analyze', () => {
  const profile = `package: ${PKG}
category: online_shopping
privacyPolicy:
  declares:
    - { category: phone-number, purposes: [account] }
  sdks: [umeng-common]
`;

  async function ingestShopTrace(deps: ReturnType<typeof captureDeps>) {
    const t = new TraceBuilder();
    t.event({ ...imei, t: 1, by: 'umeng', phase: 'pre-consent' });
    t.event({ hook: 'telephony.get-line1-number', category: 'phone-number', t: 2 });
    await t.ingest(dir, deps);
  }

  it('prints the findings table, stores them, and replaces them on a second run', async () => {
    await ingestShopTrace(captureDeps(dir));
    const deps = captureDeps(dir);
    writeFileSync(join(dir, 'profile.yaml'), profile);
    const code = await runCli(['analyze', 'latest', '--profile', 'profile.yaml'], deps);
    expect(deps.err()).toContain('skipped permission-bypass: needs the manifest permissions');
    expect(code).toBe(0);
    const lines = deps.out().split('\n');
    expect(lines[0]).toBe('run 1 (com.example.shop, ingest):');
    expect(lines[1]).toMatch(/^rule\s+severity\s+category\s+sdk\s+count\s+title$/);
    expect(lines.filter((l) => l.startsWith('access-before-consent'))).toHaveLength(1);
    expect(deps.out()).toMatch(
      /beyond-necessary\s+high\s+device-id\s+umeng-common\s+1\s+device-id is not necessary/,
    );
    expect(deps.out()).toContain('(3 findings)');

    const again = captureDeps(dir);
    expect(await runCli(['analyze', '1', '--profile', 'profile.yaml', '--json'], again)).toBe(0);
    const json = JSON.parse(again.out()) as { findings: { rule: string; evidence: number[] }[] };
    expect(json.findings.map((f) => f.rule)).toEqual([
      'access-before-consent',
      'beyond-necessary',
      'undeclared-collection',
    ]);
    const store = openStore(join(dir, 'overreach.db'));
    try {
      expect(store.db.prepare('SELECT count(*) FROM findings').pluck().get()).toBe(3);
      expect(store.db.prepare('SELECT count(*) FROM finding_events').pluck().get()).toBe(3);
      const stored = readFindings(store, 1);
      expect(stored.map((f) => [f.rule, f.evidence, f.count])).toEqual(
        json.findings.map((f) => [f.rule, f.evidence, 1]),
      );
      expect(stored[0]!.title).toBe('device-id accessed 1× before consent by umeng-common');
    } finally {
      store.close();
    }
  });

  it('applies --rules thresholds and --fail-on', async () => {
    const deps = captureDeps(dir);
    await ingestShopTrace(deps);
    writeFileSync(
      join(dir, 'rules.yaml'),
      'rules:\n  access-before-consent:\n    severity: critical\n  background-access: { enabled: false }\n',
    );
    // 3: a --fail-on threshold reached (the exit-code table, harness/cli/help.ts).
    expect(await runCli(['analyze', 'latest', '--rules', 'rules.yaml', '--fail-on', 'critical'], deps)).toBe(
      3,
    );
    expect(deps.out()).toMatch(/access-before-consent\s+critical\s+device-id/);
  });

  it('rejects a bad rules file naming file:line:col', async () => {
    const deps = captureDeps(dir);
    await ingestShopTrace(deps);
    writeFileSync(join(dir, 'rules.yaml'), 'rules:\n  excessive-rate:\n    max: -2\n');
    expect(await runCli(['analyze', 'latest', '--rules', 'rules.yaml'], deps)).toBe(2);
    expect(deps.err()).toBe(
      'overreach: rules.yaml:3:10: rules.excessive-rate.max: expected an integer ≥ 0, got -2\n',
    );
  });
});

describe('rules configuration', () => {
  it('overrides defaults and converts seconds', () => {
    const l = parseRulesConfig(
      'evidence: 5\nrules:\n  popup-harassment: { max: 5, windowSeconds: 30, kinds: [toast] }\n  permission-rerequest: { windowHours: 1 }\n',
      'r.yaml',
    );
    expect(l.evidence).toBe(5);
    expect(l.popups).toEqual({ max: 5, windowMs: 30_000, kinds: ['toast'] });
    expect(l.rerequest.windowMs).toBe(3_600_000);
    expect(l.rate.max).toBe(1);
  });

  it('names the place of unknown rules, keys and values', () => {
    expect(() => parseRulesConfig('rules:\n  made-up: {}\n', 'r.yaml')).toThrow(
      /^r\.yaml:2:3: rules\.made-up: unknown key/,
    );
    expect(() => parseRulesConfig('rules:\n  coverage-gap:\n    slack: 3\n', 'r.yaml')).toThrow(
      /^r\.yaml:3:5: rules\.coverage-gap\.slack: unknown key \(expected one of enabled, severity, slackSeconds\)$/,
    );
    expect(() => parseRulesConfig('rules:\n  coverage-gap: { severity: huge }\n', 'r.yaml')).toThrow(
      /^r\.yaml:2:29: rules\.coverage-gap\.severity: expected one of info, low, medium, high, critical, got "huge"$/,
    );
  });
});

describe('one attribution per run, whoever writes or reads it', () => {
  const stack = (pid: number, frames: string[], native = false) => ({
    id: 1,
    frames,
    ...(native ? { native: true } : {}),
    pid,
  });
  function writeRun(
    store: ReturnType<typeof openStore>,
    pkg: string,
    frames: string[],
    native = false,
  ): number {
    const runId = store.createRun({ package: pkg, device: 'd', scenario: 's', toolVersion: 't' });
    const w = store.traceWriter(runId, { attributeSdk: storeAttributor(pkg) });
    const s = stack(7, frames, native);
    w.handle({ v: 1, type: 'hello', time: 1, agentVersion: '1', pid: 7, process: pkg, apiLevel: 33 });
    w.handle({
      v: 1,
      type: 'events',
      pid: 7,
      process: pkg,
      seq: 1,
      dropped: 0,
      stacks: [{ id: s.id, frames: s.frames, ...(native ? { native: true } : {}) }],
      events: [
        {
          time: 2,
          hook: 'telephony.get-imei',
          category: 'device-id',
          api: 'android.telephony.TelephonyManager.getImei()',
          thread: 'main',
          foreground: true,
          phase: 'pre-consent',
          stack: 1,
        },
      ],
    } as Parameters<typeof w.handle>[0]);
    w.flush();
    store.endRun(runId, 'completed');
    return runId;
  }
  const sdkOfRun = (store: ReturnType<typeof openStore>, runId: number) =>
    store.db
      .prepare('SELECT sd.name FROM events e LEFT JOIN sdks sd ON sd.id = e.sdk_id WHERE e.run_id = ?')
      .pluck()
      .get(runId) as string | null;

  it('a stack stored by another app’s run gets this run’s attribution, and analyze leaves it', () => {
    const store = openStore(join(dir, 'o.db'));
    try {
      const frames = [
        'com.example.shop.Ids.read(Ids.java:3)',
        'android.app.Activity.onCreate(Activity.java:1)',
      ];
      const a = writeRun(store, 'com.example.shop', frames);
      const b = writeRun(store, 'com.other.app', frames);
      expect(sdkOfRun(store, a)).toBeNull(); // the app itself
      expect(sdkOfRun(store, b)).toBe('third-party:com.example.shop');
      // The same algorithm again changes nothing (analyze's attribution agrees with the writer's).
      expect(attributeRunSdks(store.db, b, 'com.other.app').changedEvents).toBe(0);
      expect(sdkOfRun(store, b)).toBe('third-party:com.example.shop');
    } finally {
      store.close();
    }
  });

  it('a native stack is unattributed when written and when analysed', () => {
    const store = openStore(join(dir, 'o.db'));
    try {
      const r = writeRun(store, 'com.example.shop', ['com.umeng.commonsdk.Spy.mac(Unknown Source:4)'], true);
      expect(sdkOfRun(store, r)).toBeNull();
      attributeRunSdks(store.db, r, 'com.example.shop');
      expect(sdkOfRun(store, r)).toBeNull();
    } finally {
      store.close();
    }
  });
});
