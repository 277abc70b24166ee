// The calibration APK (built from the catalog with Debian's smali/aapt/zipalign/apksigner) and
// `overreach calibrate` on the simulated device.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../agent/catalog/index.ts';
import type { JavaHookEntry } from '../agent/catalog/types.ts';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { CatalogTargets, descriptorToJava, protoParams } from '../harness/apk/catalog-targets.ts';
import { buildCalibrationApk } from '../harness/calibration/build.ts';
import { buildPlan, CAL_PACKAGE } from '../harness/calibration/plan.ts';
import { calibrationVerdicts } from '../harness/calibration/results.ts';
import { simulateCalibration } from '../harness/calibration/simulate.ts';
import { runCli } from '../harness/cli/program.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { captureDeps } from './helpers/cli.ts';
import { runDexdump } from './helpers/dexdump.ts';

const api = loadAndroidApi();
const plan = buildPlan(api);
const tmp = mkdtempSync(join(tmpdir(), 'overreach-calibration-test-'));
const apk = join(tmp, 'overreach-calibration.apk');
let agentPath = '';

beforeAll(async () => {
  // No skip: CI installs smali, aapt, zipalign, apksigner and a JRE (.ci/run).
  buildCalibrationApk(apk);
  agentPath = (await buildFreshBundles()).sim;
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the calibration APK', () => {
  it('aapt reads its manifest: package, launcher activity, the catalog permissions', () => {
    const badging = execFileSync('aapt', ['dump', 'badging', apk], { encoding: 'utf8' });
    expect(badging).toMatch(new RegExp(`^package: name='${CAL_PACKAGE.replaceAll('.', '\\.')}'`, 'm'));
    expect(badging).toMatch(/^launchable-activity: name='com\.overreach\.calibration\.MainActivity'/m);
    for (const p of ['android.permission.READ_PHONE_STATE', 'android.permission.ACCESS_FINE_LOCATION'])
      expect(badging).toContain(`uses-permission: name='${p}'`);
    execFileSync('apksigner', ['verify', apk]);
  });

  it('dexdump shows a call site for every Java catalog target the app can call', async () => {
    const dump = await runDexdump(apk);
    const supers = new Map<string, string | null>();
    const java = CATALOG.filter((e): e is JavaHookEntry => e.kind === 'java');
    const targets = new CatalogTargets(api, supers, java);
    const reached = new Set<string>();
    let markers = 0;
    for (const [, refs] of dump.invokes)
      for (const ref of refs) {
        const m = /^(.+?);?\.([^.:]+):(\(.*)$/.exec(ref);
        if (!m) continue;
        const cls = descriptorToJava(`${m[1]};`.replace(/;;$/, ';'));
        if (cls === 'android.util.Log' && m[2] === 'i') markers++;
        for (const e of targets.resolve(
          cls,
          m[2] === '<init>' ? '<init>' : (m[2] ?? ''),
          protoParams(m[3] ?? ''),
        ))
          reached.add(e.id);
        if (m[2] === '<init>')
          for (const e of targets.resolve(cls, '<init>', protoParams(m[3] ?? ''))) reached.add(e.id);
      }
    const frameworkOnly = new Set(plan.filter((c) => c.frameworkOnly).map((c) => c.hook));
    const missing = java.filter((e) => !frameworkOnly.has(e.id) && !reached.has(e.id)).map((e) => e.id);
    expect(missing).toEqual([]);
    // One marker per call, plus the final "done".
    expect(markers).toBe(plan.length + 1);
    expect(frameworkOnly.size).toBeLessThanOrEqual(6);
  });
});

describe('the calibration plan', () => {
  it('never sends an SMS: every send goes to an empty destination the platform rejects', () => {
    const sends = plan.filter((c) => c.hook.startsWith('sms.send') && c.params[0] === 'java.lang.String');
    expect(sends.length).toBeGreaterThanOrEqual(4);
    for (const c of sends) expect(c.args[0]?.value, `${c.hook} ${c.params.join(',')}`).toBe('');
  });

  it('uses exact Java types for numbers (long times, double coordinates)', () => {
    const q = plan.find((c) => c.hook === 'usage-stats.query-usage-stats');
    expect(q?.params).toEqual(['int', 'long', 'long']);
    const lat = plan.find((c) => c.hook === 'location-object.get-latitude');
    expect(lat?.returns).toBe('double');
  });
});

describe('overreach calibrate on the simulated device', () => {
  it('every applicable entry fires exactly once; the rest say why not', () => {
    const r = calibrationVerdicts(plan, simulateCalibration(plan, { agentPath, apiLevel: 34 }), 34, 'sim');
    const bad = r.entries.filter((e) => e.verdict === 'not-fired' || e.verdict === 'fired-more-than-once');
    expect(bad.map((e) => `${e.hook}: ${e.verdict}`)).toEqual([]);
    expect(r.counts['fired-once']).toBeGreaterThan(150);
    for (const e of r.entries.filter((x) => x.verdict === 'not-applicable'))
      for (const c of e.calls) expect(c.reason, e.hook).toBeTruthy();
    // Every Java entry of the catalog is in the report.
    expect(r.entries.length).toBe(CATALOG.filter((e) => e.kind === 'java').length);
  }, 60_000);

  it('on an older platform, newer APIs are not applicable and removed ones run', () => {
    const r = calibrationVerdicts(plan, simulateCalibration(plan, { agentPath, apiLevel: 28 }), 28, 'sim');
    const v = (hook: string) => r.entries.find((e) => e.hook === hook)?.verdict;
    expect(v('telephony.get-neighboring-cell-info')).toBe('fired-once');
    expect(v('telephony.register-telephony-callback')).toBe('not-applicable');
    expect(r.counts['not-fired'] + r.counts['fired-more-than-once']).toBe(0);
  }, 60_000);

  it('flags a hook that fired twice for one call, or not at all', () => {
    const call = plan.find((c) => c.hook === 'telephony.get-imei' && !c.notApplicable)!;
    const frames = [`com.overreach.calibration.Calls.c${call.index}(Calls.java:1)`];
    const twice = calibrationVerdicts(
      [call],
      [
        { hook: call.hook, frames },
        { hook: call.hook, frames },
      ],
      34,
      'x',
    );
    expect(twice.entries[0]?.verdict).toBe('fired-more-than-once');
    const other = calibrationVerdicts([call], [{ hook: 'telephony.get-meid', frames }], 34, 'x');
    expect(other.entries[0]?.verdict).toBe('not-fired');
  });

  it('prints text and JSON, exit 0 when all fire once', async () => {
    const deps = captureDeps(tmp, { env: { OVERREACH_SIM_AGENT: agentPath } });
    expect(await runCli(['calibrate', '--device', 'sim', '--json'], deps)).toBe(0);
    const json = JSON.parse(deps.out()) as { apiLevel: number; counts: Record<string, number> };
    expect(json.apiLevel).toBe(34);
    expect(json.counts['not-fired']).toBe(0);
    deps.reset();
    expect(await runCli(['calibrate', '--device', 'sim', '--api', '99'], deps)).toBe(2);
    expect(deps.err()).toMatch(/--api: expected an API level/);
  }, 60_000);
});
