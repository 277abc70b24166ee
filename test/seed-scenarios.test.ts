// The three seed examples (scenarios/game, cleaner, logistics): their files load, agree with one
// another, and — run end to end on the simulated device with a virtual clock and analysed with
// their profile — give exactly the findings their expected.yaml pins down.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_CATEGORIES, type DataCategory } from '../agent/protocol/messages.ts';
import {
  analyzeRun,
  attributeRunSdks,
  type Finding,
  RULE_IDS,
  type RuleId,
  readFindings,
} from '../harness/analysis/index.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { BUILT_IN_PACKS, loadPolicyPack } from '../harness/knowledge/policy/pack.ts';
import type { PolicyPack } from '../harness/knowledge/policy/types.ts';
import { loadSdkSignatures } from '../harness/knowledge/sdks.ts';
import { loadProfile } from '../harness/profile/profile.ts';
import {
  describe as describeValue,
  expectList,
  expectMap,
  expectOneOf,
  expectString,
  YamlSource,
} from '../harness/profile/yaml-source.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { loadAppModel } from '../harness/simulation/apps/model-load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const SEEDS = ['game', 'cleaner', 'logistics'] as const;
const OUTCOMES = ['ok', 'failed', 'skipped'] as const;

/** `sdk` undefined = any SDK; null = the app itself or unattributed code. */
interface Match {
  rule?: RuleId;
  category?: DataCategory;
  sdk?: string | null;
}

interface Expected {
  pack: PolicyPack;
  mustFire: Match[];
  mustNotFire: Match[];
  mayFire: RuleId[];
  expect: (typeof OUTCOMES)[number][];
}

function parseMatch(src: YamlSource, path: (string | number)[], raw: unknown, needRule: boolean): Match {
  const m = expectMap(src, path, raw, ['rule', 'category', 'sdk']);
  const out: Match = {};
  if (m['rule'] !== undefined) out.rule = expectOneOf(src, [...path, 'rule'], m['rule'], RULE_IDS);
  else if (needRule) src.fail(path, 'missing key rule');
  if (m['category'] !== undefined)
    out.category = expectOneOf(src, [...path, 'category'], m['category'], DATA_CATEGORIES);
  if ('sdk' in m) {
    const sdk = m['sdk'];
    if (sdk !== null && typeof sdk !== 'string')
      src.fail([...path, 'sdk'], `expected an SDK id or null, got ${describeValue(sdk)}`);
    out.sdk = sdk;
  }
  if (!out.rule && !out.category) src.fail(path, 'needs a rule, a category or both');
  return out;
}

/** Reads and checks an expected.yaml (format in scenarios/game/expected.yaml). */
function loadExpected(file: string): Expected {
  const src = new YamlSource(readFileSync(file, 'utf8'), file);
  const top = expectMap(src, [], src.value, ['pack', 'must-fire', 'must-not-fire', 'may-fire', 'expect']);
  const packName = expectString(src, ['pack'], top['pack']);
  const pack = BUILT_IN_PACKS[packName] ?? loadPolicyPack(join(dirname(file), packName), packName);
  const list = (key: string) => (top[key] === undefined ? [] : expectList(src, [key], top[key]));
  const mayFire = list('may-fire').map((raw, i) => {
    const m = expectMap(src, ['may-fire', i], raw, ['rule', 'why']);
    expectString(src, ['may-fire', i, 'why'], m['why']);
    return expectOneOf(src, ['may-fire', i, 'rule'], m['rule'], RULE_IDS);
  });
  return {
    pack,
    mustFire: list('must-fire').map((raw, i) => parseMatch(src, ['must-fire', i], raw, true)),
    mustNotFire: list('must-not-fire').map((raw, i) => parseMatch(src, ['must-not-fire', i], raw, false)),
    mayFire,
    expect: list('expect').map((raw, i) => expectOneOf(src, ['expect', i], raw, OUTCOMES)),
  };
}

function matches(f: Pick<Finding, 'rule' | 'category' | 'sdk'>, m: Match): boolean {
  return (
    (m.rule === undefined || f.rule === m.rule) &&
    (m.category === undefined || f.category === m.category) &&
    (m.sdk === undefined || f.sdk === m.sdk)
  );
}

const show = (m: Match) =>
  `${m.rule ?? 'any rule'} ${m.category ?? 'any category'} ${m.sdk === undefined ? 'any sdk' : (m.sdk ?? 'app')}`;

/** Must-fire entries without a finding, and must-not-fire entries with one. */
function compareWithExpected(findings: readonly Finding[], exp: Expected): string[] {
  const problems: string[] = [];
  for (const m of exp.mustFire) {
    if (!findings.some((f) => matches(f, m))) problems.push(`missing: ${show(m)}`);
  }
  for (const m of exp.mustNotFire) {
    for (const f of findings.filter((x) => matches(x, m)))
      problems.push(
        `unexpected: ${f.rule} ${f.category ?? '-'} ${f.sdk ?? 'app'} (${f.title}) vs must-not ${show(m)}`,
      );
  }
  return problems;
}

const files = (seed: (typeof SEEDS)[number]) => ({
  scenario: join(SCENARIOS, seed, 'scenario.yaml'),
  profile: join(SCENARIOS, seed, 'profile.yaml'),
  model: join(SCENARIOS, seed, 'model.yaml'),
  expected: join(SCENARIOS, seed, 'expected.yaml'),
});

describe('expected.yaml comparison', () => {
  const f = (rule: RuleId, category: DataCategory, sdk: string | null) =>
    ({ rule, category, sdk, title: `${rule} ${category}` }) as Finding;
  const exp: Expected = {
    pack: BUILT_IN_PACKS['cn-necessary-2021']!,
    mustFire: [{ rule: 'access-before-consent', category: 'device-id', sdk: 'pangle' }],
    mustNotFire: [
      { category: 'location' },
      { rule: 'undeclared-collection', category: 'device-id', sdk: null },
    ],
    mayFire: [],
    expect: [],
  };

  it('accepts exactly the findings the expectations allow', () => {
    expect(compareWithExpected([f('access-before-consent', 'device-id', 'pangle')], exp)).toEqual([]);
    // The must-fire needs the same SDK; a finding for the app itself does not count.
    expect(compareWithExpected([f('access-before-consent', 'device-id', null)], exp)).toEqual([
      'missing: access-before-consent device-id pangle',
    ]);
    const bad = compareWithExpected(
      [
        f('access-before-consent', 'device-id', 'pangle'),
        f('beyond-necessary', 'location', 'amap-location'),
        f('undeclared-collection', 'device-id', null),
        f('undeclared-collection', 'device-id', 'pangle'),
      ],
      exp,
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/^unexpected: beyond-necessary location amap-location/);
    expect(bad[1]).toMatch(/^unexpected: undeclared-collection device-id app/);
  });
});

describe.each(SEEDS)('seed %s: files', (seed) => {
  const f = files(seed);

  it('loads the scenario, profile, model (APIs checked) and expected findings, and they agree', async () => {
    const scenario = await loadScenario(f.scenario);
    expect(scenario.app.profile).toBe(f.profile);
    expect(scenario.app.model).toBe(f.model);
    const profile = loadProfile(f.profile);
    const model = loadAppModel(f.model, { api: loadAndroidApi() });
    expect(profile.package).toBe(scenario.app.package);
    expect(model.packageName).toBe(scenario.app.package);
    // Every SDK the policy lists is known by id, and every one the model bundles too.
    expect(profile.privacyPolicy.unknownSdks).toEqual([]);
    const signatures = loadSdkSignatures();
    const bundled = Object.values(model.sdks);
    for (const prefix of bundled)
      expect(signatures.some((s) => s.prefixes.some((p) => prefix === p || prefix.startsWith(`${p}.`)))).toBe(
        true,
      );

    const exp = loadExpected(f.expected);
    // One outcome per assertion, and every rule classified (must fire, may fire, or must not).
    expect(exp.expect).toHaveLength(scenario.expect.length);
    const wholeRuleNot = exp.mustNotFire.filter((m) => m.rule && !m.category && m.sdk === undefined);
    const classified = new Set([
      ...exp.mustFire.map((m) => m.rule),
      ...exp.mayFire,
      ...wholeRuleNot.map((m) => m.rule),
    ]);
    expect(RULE_IDS.filter((r) => !classified.has(r))).toEqual([]);
    // A must-fire SDK is bundled by the model (its prefix lies under one of the model's SDKs).
    for (const m of exp.mustFire) {
      if (typeof m.sdk !== 'string') continue;
      const sig = signatures.find((s) => s.id === m.sdk);
      expect(sig, `${seed}: unknown SDK id ${m.sdk}`).toBeDefined();
      const hit = sig?.prefixes.some((p) =>
        bundled.some((b) => b === p || b.startsWith(`${p}.`) || p.startsWith(`${b}.`)),
      );
      expect(hit, `${seed}: ${m.sdk} is not bundled by the model`).toBe(true);
    }
    // No contradiction: a must-fire entry is not also excluded.
    for (const m of exp.mustFire) {
      const f2 = { rule: m.rule!, category: m.category ?? null, sdk: m.sdk ?? null };
      expect(
        exp.mustNotFire.filter((n) => matches(f2, n)),
        show(m),
      ).toEqual([]);
    }
  });
});

describe('seed scenarios end to end on the simulated device', () => {
  let agentPath = '';
  const tmp = mkdtempSync(join(tmpdir(), 'overreach-seeds-'));

  beforeAll(async () => {
    agentPath = (await buildFreshBundles()).sim;
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function runSeed(seed: (typeof SEEDS)[number], n: number) {
    const f = files(seed);
    const scenario = await loadScenario(f.scenario);
    const profile = loadProfile(f.profile);
    const exp = loadExpected(f.expected);
    const store = openStore(join(tmp, `${seed}-${n}.db`));
    const device = new SimDevice({ clock: 'virtual', agentPath });
    try {
      const result = await runScenario({
        scenario,
        device,
        store,
        outDir: join(tmp, `${seed}-${n}`),
        log: () => undefined,
        analyze: (s, runId) => {
          attributeRunSdks(s.db, runId, scenario.app.package);
          analyzeRun(s, runId, { profile, pack: exp.pack, expectations: scenario.expect });
        },
      });
      return { result, findings: readFindings(store, result.runId), exp };
    } finally {
      store.close();
      await device.close();
    }
  }

  it.each(SEEDS)(
    '%s: every step succeeds and the findings match expected.yaml',
    async (seed) => {
      const { result, findings, exp } = await runSeed(seed, 1);
      expect(result.status).toBe('completed');
      expect(result.steps.filter((s) => s.outcome !== 'ok').map((s) => `${s.label}: ${s.detail}`)).toEqual(
        [],
      );
      expect(result.malformedMessages).toBe(0);
      expect(compareWithExpected(findings, exp)).toEqual([]);
      expect(result.expectations.map((e) => e.outcome)).toEqual(exp.expect);
      // Each failed expectation is one finding with its evidence (a missing switch has its own rule).
      const failedData = result.expectations.filter(
        (e) => e.outcome === 'failed' && !e.label.startsWith('expect: setting-found'),
      );
      const asFindings = findings.filter((f) => f.rule === 'failed-expectation');
      expect(asFindings.map((f) => f.title).sort()).toEqual(
        failedData.map((e) => `expectation failed: ${e.label.replace(/^expect: /, '')}`).sort(),
      );
      for (const f of asFindings)
        if (!f.title.includes('no-finding')) expect(f.evidence.length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('is repeatable: the same seed gives the same findings', async () => {
    const key = (fs: Finding[]) => fs.map((x) => `${x.rule}|${x.category}|${x.sdk}|${x.severity}|${x.count}`);
    const a = await runSeed('cleaner', 2);
    const b = await runSeed('cleaner', 3);
    expect(key(a.findings).length).toBeGreaterThan(0);
    expect(key(b.findings)).toEqual(key(a.findings));
  }, 60_000);
});
