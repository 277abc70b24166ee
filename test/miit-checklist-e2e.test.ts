// The checklist end to end: two app models run through the simulated device and analysed. A
// compliant app, exercised by a scenario that gives every rule what it needs, leaves each of
// the automatable scenarios "not observed" (no false finding); an app that breaks them all
// violates each of them (1.3.x belongs to the transmission rules of issue 5/7).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '../harness/analysis/index.ts';
import { MIIT_SCENARIOS } from '../harness/analysis/miit/scenarios.ts';
import { loadProfile } from '../harness/profile/profile.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';
import { buildReportModel, type ReportModel } from '../reports/index.ts';

const PKG = 'com.example.checklist';
const AUTOMATED: string[] = MIIT_SCENARIOS.filter((s) => !s.person && !s.id.startsWith('1.3.')).map(
  (s) => s.id,
);
/** Without a consent dialog on record: decided by a run that has none (the third test). */
const NO_NOTICE = ['1.1.1', '1.1.4'];

const apk = (url: string) => `
          - api: android.app.DownloadManager.enqueue
            args: [{ $class: "android.app.DownloadManager$Request", $fields: { mUri: { $class: android.net.Uri, $methods: { toString: "${url}" } }, mMimeType: application/vnd.android.package-archive } }]
            result: 7
            from: app`;
const androidId = (from: string) =>
  `{ api: android.provider.Settings$Secure.getString, args: [{ $class: android.content.ContentResolver }, android_id], result: 3f9a1c27d84be605, from: ${from} }`;
const contacts = (from: string) => `
      - api: android.content.ContentResolver.query
        overload: [android.net.Uri, "[Ljava.lang.String;", java.lang.String, "[Ljava.lang.String;", java.lang.String]
        args: [{ $class: android.net.Uri, $methods: { toString: "content://com.android.contacts/data/phones" } }, { $array: [display_name, data1] }, null, null, null]
        result: { $class: android.database.Cursor, $methods: { getCount: 412 } }
        from: ${from}`;
const locate = `
      - api: android.location.LocationManager.getLastKnownLocation
        args: [gps]
        result: { $class: android.location.Location, $methods: { getLatitude: 31.2, getLongitude: 121.5, getProvider: gps } }
        from: app`;
const broadcast = `
      - api: android.app.ContextImpl.sendBroadcast
        overload: [android.content.Intent]
        args: [{ $class: android.content.Intent, $methods: { getAction: KEEP_ALIVE, getPackage: com.other.app, getComponent: null } }]
        from: app`;
const P = (p: string) => `android.permission.${p}`;

const GOOD_MODEL = `package: ${PKG}
label: 合规示例
sdks: { umeng: com.umeng.commonsdk }
permissions: [${['INTERNET', 'CAMERA', 'ACCESS_FINE_LOCATION'].map(P).join(', ')}]
screens:
  - id: splash
    activity: .SplashActivity
    start: true
    dialog:
      title: 用户协议与隐私政策
      message: 请阅读《隐私政策》
      cancelable: false
      buttons:
        - { text: 不同意, finish: true }
        - { text: 同意, consent: true, goto: home, calls: [${androidId('umeng')}] }
    elements:
      - { text: 进入, id: btn_enter, on-tap: { goto: home } }
  - id: home
    activity: .HomeActivity
    elements:
      - { text: 拍照, id: btn_photo, on-tap: { request-permissions: camera } }
      - { text: 定位, id: btn_loc, on-tap: { request-permissions: loc } }
      - text: 下载《星际》安装包
        id: btn_dl
        on-tap:
          calls:${apk('https://dl.example/star.apk')}
      - { text: 每日签到领红包, id: btn_sign, on-tap: { goto: home } }
      - { text: 设置, id: btn_settings, on-tap: { goto: settings } }
  - id: settings
    activity: .SettingsActivity
    elements:
      - { text: 个性化推荐, id: switch_personalized, checked: true }
permission-requests:
  - id: camera
    permissions: [${P('CAMERA')}]
  - id: loc
    permissions: [${P('ACCESS_FINE_LOCATION')}]
    on-grant:${locate}
`;

const GOOD_PROFILE = `package: ${PKG}
category: custom
necessary: [location, device-id]
privacyPolicy:
  declares:
    - { category: location, purposes: [store-finder, personalised-recommendation] }
    - { category: device-id, purposes: [analytics], sdk: umeng-common }
  sdks: [umeng-common]
`;

const GOOD_STEPS = `  - launch: { cold: true, clear-data: true }
  - wait: 2s
  - consent: { labels: [同意], timeout: 10s }
  - tap: { text: 拍照 }
  - permission-dialog: { action: deny, permission: CAMERA }
  - wait: 12s
  - tap: { text: 定位 }
  - permission-dialog: { action: allow, permission: ACCESS_FINE_LOCATION }
  - tap: { text: 下载《星际》安装包 }
  - tap: { text: 每日签到领红包 }
  - wait: 65s
  - check-setting: { labels: [个性化推荐] }
  - background: 20s
  - relaunch
  - wait: 3s
`;

const BAD_MODEL = `package: ${PKG}
label: 违规示例
sdks: { umeng: com.umeng.commonsdk }
permissions: [${['INTERNET', 'READ_PHONE_STATE', 'ACCESS_FINE_LOCATION'].map(P).join(', ')}]
on-start:
  - ${androidId('app')}
  - ${androidId('umeng')}
  - api: android.app.ContextImpl.startService
    args: [{ $class: android.content.Intent, $methods: { getAction: null, getPackage: null, getComponent: { $class: android.content.ComponentName, $methods: { getPackageName: com.other.app, getClassName: com.other.app.WakeService } } } }]
    from: umeng
screens:
  - id: splash
    activity: .SplashActivity
    start: true
    elements:
      - { text: 我已阅读并同意《隐私政策》, id: cb_agree, checkable: true, checked: true }
      - { text: 好的, id: btn_ok, on-tap: { consent: true, goto: home } }
  - id: home
    activity: .HomeActivity
    request-permissions: [loc, phone]
    elements:
      - text: 立即开始游戏
        id: btn_play
        on-tap:
          calls:${apk('https://dl.example/a.apk')}
      - text: 领取红包
        id: btn_red
        on-tap:
          calls:${apk('https://dl.example/b.apk')}
      - { text: 下载, id: btn_dl, on-tap: { goto: home } }
      - class: android.widget.ImageView
        id: banner
        desc: 广告
        on-tap:
          calls:${apk('https://dl.example/c.apk')}
      - { text: 实名认证领现金红包，请上传身份证, id: tv_offer, clickable: false }
      - { text: 活动, id: btn_promo, on-tap: { goto: promo } }
      - { text: 设置, id: btn_settings, on-tap: { goto: settings } }
  - id: settings
    activity: .SettingsActivity
    elements:
      - { text: 个性化推荐, id: switch_personalized, checked: true }
  - id: promo
    activity: .PromoActivity
    elements:
      - class: android.widget.ImageView
        id: promo_banner
        desc: 精彩活动
        on-tap:
          calls:${apk('https://dl.example/d.apk')}
timers:
  - every: 2
    when: foreground
    calls: [${androidId('app')}]
  - every: 5
    when: background
    calls:${contacts('umeng')}${broadcast}
      - { api: android.telephony.TelephonyManager.getSubscriberId, result: "460001234567890", from: app }
permission-requests:
  - id: loc
    permissions: [${P('ACCESS_FINE_LOCATION')}]
  - id: phone
    permissions: [${P('READ_PHONE_STATE')}]
    retry-after: 1
    max-retries: 2
`;

const BAD_PROFILE = `package: ${PKG}
category: online_gaming
privacyPolicy:
  declares:
    - { category: phone-number, purposes: [account] }
  sdks: []
`;

const BAD_STEPS = `  - launch: { cold: true, clear-data: true }
  - wait: 2s
  - consent: { labels: [好的], timeout: 10s }
  - permission-dialog: { action: allow, permission: ACCESS_FINE_LOCATION }
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE, timeout: 5s }
  - wait: 5s
  - tap: { text: 立即开始游戏 }
  - tap: { text: 领取红包 }
  - tap: { accessibility-id: 广告 }
  - tap: { text: 活动 }
  - tap: { accessibility-id: 精彩活动 }
  - back
  - wait: 65s
  - check-setting: { labels: [个性化推荐] }
  - background: 40s
  - relaunch
  - wait: 2s
  - tap: { text: 好的 }
  - wait: 3s
`;

/** No privacy notice at all: the app and an SDK read identifiers at start; nobody is asked. */
const SILENT_MODEL = `package: ${PKG}
label: 无告知示例
sdks: { umeng: com.umeng.commonsdk }
permissions: [${P('INTERNET')}]
on-start:
  - ${androidId('app')}
  - ${androidId('umeng')}
screens:
  - id: home
    activity: .HomeActivity
    elements:
      - { text: 开始, id: btn_go, on-tap: { goto: home } }
`;

let agent = '';
const dirs: string[] = [];
beforeAll(async () => {
  agent = (await buildFreshBundles()).sim;
}, 120_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(modelYaml: string, profileYaml: string, steps: string): Promise<ReportModel> {
  const dir = mkdtempSync(join(tmpdir(), 'overreach-checklist-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.yaml'), modelYaml);
  writeFileSync(join(dir, 'profile.yaml'), profileYaml);
  writeFileSync(
    join(dir, 'scenario.yaml'),
    `name: checklist\napp: { package: ${PKG}, model: model.yaml, profile: profile.yaml }\non-error: continue\nsteps:\n${steps}`,
  );
  const scenario = await loadScenario(join(dir, 'scenario.yaml'));
  const profile = loadProfile(join(dir, 'profile.yaml'));
  const store = openStore(join(dir, 'run.db'));
  const device = new SimDevice({ clock: 'virtual', agentPath: agent });
  try {
    const r = await runScenario({
      scenario,
      device,
      store,
      outDir: join(dir, 'out'),
      log: () => undefined,
      analyze: (s, id) => void analyzeRun(s, id, { profile }),
    });
    expect(r.steps.filter((s) => s.outcome !== 'ok').map((s) => `${s.label}: ${s.detail}`)).toEqual([]);
    return buildReportModel(store.db, r.runId, {
      policyCategories: profile.privacyPolicy.declares.map((d) => d.category),
    });
  } finally {
    store.close();
    await device.close();
  }
}

describe('MIIT checklist end to end', () => {
  it('a compliant app: every automatable scenario judged and not observed', async () => {
    const m = await run(GOOD_MODEL, GOOD_PROFILE, GOOD_STEPS);
    const status = Object.fromEntries(m.checklist.map((r) => [r.id, r.status]));
    const wrong = AUTOMATED.filter((id) => status[id] !== 'not-observed').map(
      (id) => `${id}: ${status[id]} ${m.checklist.find((r) => r.id === id)?.note}`,
    );
    expect(wrong, m.findings.map((f) => `${f.rule}: ${f.title}`).join('\n')).toEqual([]);
    expect(status['1.3.1']).toBe('not-tested');
    expect(m.checklist.filter((r) => r.status === 'person')).toHaveLength(13);
  }, 60_000);

  it('an app that breaks them: every automatable scenario violated, with findings behind each', async () => {
    const m = await run(BAD_MODEL, BAD_PROFILE, BAD_STEPS);
    const missing = m.checklist
      .filter(
        (r) =>
          AUTOMATED.includes(r.id) &&
          !NO_NOTICE.includes(r.id) &&
          (r.status !== 'violated' || r.findings.length === 0),
      )
      .map((r) => `${r.id} ${r.status} ${r.note}`);
    expect(missing, m.findings.map((f) => `${f.rule} [${f.scenarios}]: ${f.title}`).join('\n')).toEqual([]);
  }, 60_000);

  it('an app with no privacy notice: reads without consent are 1.1.1 (app) and 1.1.4 (SDK)', async () => {
    const m = await run(
      SILENT_MODEL,
      BAD_PROFILE,
      '  - launch: { cold: true, clear-data: true }\n  - tap: { text: 开始 }\n  - wait: 2s\n',
    );
    const row = (id: string) => m.checklist.find((r) => r.id === id)!;
    expect([row('1.1.1').status, row('1.1.4').status]).toEqual(['violated', 'violated']);
    expect([row('1.1.2').status, row('1.1.5').status]).toEqual(['not-observed', 'not-observed']);
    // No consent step: the dialog rules could not judge.
    expect([row('1.1.7').status, row('1.1.8').status]).toEqual(['not-tested', 'not-tested']);
    expect(row('1.1.7').note).toBe('no consent step recorded the consent dialog');
  }, 60_000);
});
