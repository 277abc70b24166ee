// The MIIT checklist rules on app models (docs/app-models.md): for each rule, a small app that
// violates it and one that does not, run through a scenario on the simulated device with the
// real simulator agent and analysed — the path `overreach run` takes.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { model, PKG, runModel, START, start } from './fixtures/miit/run-model.ts';

let agent = '';
beforeAll(async () => {
  agent = (await buildFreshBundles()).sim;
}, 120_000);

const T = 30_000;
const apk = (url: string) => `
              - api: android.app.DownloadManager.enqueue
                args: [{ $class: "android.app.DownloadManager$Request", $fields: { mUri: { $class: android.net.Uri, $methods: { toString: "${url}" } }, mMimeType: application/vnd.android.package-archive } }]
                result: 7
                from: app`;
const intentTo = (pkg: string, cls: string) =>
  `{ $class: android.content.Intent, $methods: { getAction: null, getPackage: null, getComponent: { $class: android.content.ComponentName, $methods: { getPackageName: ${pkg}, getClassName: ${cls} } } } }`;
const PHONE = 'android.permission.READ_PHONE_STATE';
const FINE = 'android.permission.ACCESS_FINE_LOCATION';

describe('consent-dialog (1.1.7, 1.1.8)', () => {
  it(
    'fires on a dialog that only says 我知道了, with no refuse button',
    async () => {
      const r = await runModel(
        agent,
        model({
          consentDialog: `    dialog:
      title: 温馨提示
      message: 我们将依据《隐私政策》处理您的个人信息
      cancelable: false
      buttons:
        - { text: 我知道了, consent: true, goto: home }`,
        }),
        start('我知道了'),
      );
      const f = r.of('consent-dialog');
      expect(f.map((x) => x.scenarios)).toEqual([['1.1.7'], ['1.1.7']]);
      expect(f[0]!.title).toBe('consent dialog has no refuse button (1 button(s))');
      expect(f[1]!.title).toContain('"我知道了"');
      expect(f[0]!.detail).toContain('"温馨提示"');
    },
    T,
  );

  it(
    'fires on a pre-ticked agreement checkbox',
    async () => {
      const r = await runModel(
        agent,
        model({
          consentDialog: '',
          splashElements: `      - { text: 我已阅读并同意《用户协议》和《隐私政策》, id: cb_agree, checkable: true, checked: true }
      - { text: 同意并继续, id: btn_agree, on-tap: { consent: true, goto: home } }
      - { text: 不同意, id: btn_disagree, on-tap: { finish: true } }`,
        }),
        start('同意并继续'),
      );
      const f = r.of('consent-dialog');
      expect(f).toHaveLength(1);
      expect(f[0]!.scenarios).toEqual(['1.1.8']);
      expect(f[0]!.title).toContain('pre-ticked');
    },
    T,
  );

  it(
    'stays quiet on 同意 / 不同意 with nothing ticked, and is judged (not skipped)',
    async () => {
      const r = await runModel(agent, model({}), START);
      expect(r.of('consent-dialog')).toEqual([]);
      expect(r.steps.every((s) => s.outcome === 'ok')).toBe(true);
    },
    T,
  );
});

describe('deceptive-download (3.1.1–3.1.4)', () => {
  it(
    'fires on 立即开始游戏 that downloads an APK, with the texts as evidence',
    async () => {
      const r = await runModel(
        agent,
        model({
          home: `      - text: 立即开始游戏
        id: btn_play
        on-tap:
          calls:${apk('https://dl.example/xianyu.apk')}`,
        }),
        `${START}  - tap: { text: 立即开始游戏 }\n  - wait: 1s\n`,
      );
      const f = r.of('deceptive-download');
      expect(f).toHaveLength(1);
      expect(f[0]!.scenarios).toEqual(['3.1.2', '3.1.1']);
      expect(f[0]!.title).toContain('"立即开始游戏"');
      expect(f[0]!.detail).toContain('xianyu.apk');
      expect(r.of('install-inducement')).toHaveLength(1);
    },
    T,
  );

  it(
    'stays quiet on a plainly worded download button (install-inducement still reports it)',
    async () => {
      const r = await runModel(
        agent,
        model({
          home: `      - text: 下载《星际》安装包
        id: btn_dl
        on-tap:
          calls:${apk('https://dl.example/star.apk')}`,
        }),
        `${START}  - tap: { text: 下载《星际》安装包 }\n  - wait: 1s\n`,
      );
      expect(r.of('deceptive-download')).toEqual([]);
      expect(r.of('install-inducement')).toHaveLength(1);
    },
    T,
  );
});

describe('reward-for-identity (3.2.1)', () => {
  const home = (offer: string) => `      - { text: "${offer}", id: tv_offer, clickable: false }
      - { text: 立即领取, id: btn_claim, on-tap: { goto: home } }`;
  it(
    'fires when a reward is offered for real-name / ID-card data',
    async () => {
      const r = await runModel(
        agent,
        model({ home: home('完成实名认证，上传身份证即领 10 元现金红包') }),
        `${START}  - tap: { text: 立即领取 }\n`,
      );
      const f = r.of('reward-for-identity');
      expect(f).toHaveLength(1);
      expect(f[0]!.detail).toContain('身份证');
    },
    T,
  );

  it(
    'stays quiet on a required 实名认证 banner next to an unrelated 领取 button',
    async () => {
      const r = await runModel(
        agent,
        model({ home: home('根据国家规定，请完成实名认证') }),
        `${START}  - tap: { text: 立即领取 }\n`,
      );
      expect(r.of('reward-for-identity')).toEqual([]);
    },
    T,
  );

  it(
    'stays quiet on a reward without identity data',
    async () => {
      const r = await runModel(
        agent,
        model({ home: home('每日签到领 10 元红包') }),
        `${START}  - tap: { text: 立即领取 }\n`,
      );
      expect(r.of('reward-for-identity')).toEqual([]);
    },
    T,
  );
});

describe('refusal-exit (2.1.1)', () => {
  const steps = `  - launch: { cold: true, clear-data: true }
  - wait: 1s
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - wait: 5s
`;
  it(
    'fires when the app finishes right after a refusal at first start',
    async () => {
      const r = await runModel(
        agent,
        model({
          permissions: [PHONE],
          requests: `[{ id: phone, permissions: [${PHONE}], at: start, finish-on-deny: true }]`,
        }),
        steps,
      );
      const f = r.of('refusal-exit');
      expect(f).toHaveLength(1);
      expect(f[0]!.title).toMatch(
        /^the app exited [\d.]+ s after READ_PHONE_STATE was refused at first start$/,
      );
    },
    T,
  );

  it(
    'fires when the app loops on the request after a refusal',
    async () => {
      const r = await runModel(
        agent,
        model({
          permissions: [PHONE],
          requests: `[{ id: phone, permissions: [${PHONE}], at: start, retry-after: 1, max-retries: 3 }]`,
        }),
        `${steps}  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }\n  - wait: 5s\n`,
      );
      const f = r.of('refusal-exit');
      expect(f).toHaveLength(1);
      expect(f[0]!.title).toContain('asked 3× more within 10 s');
    },
    T,
  );

  it(
    'stays quiet when the app carries on after the refusal',
    async () => {
      const r = await runModel(
        agent,
        model({ permissions: [PHONE], requests: `[{ id: phone, permissions: [${PHONE}], at: start }]` }),
        steps,
      );
      expect(r.of('refusal-exit')).toEqual([]);
    },
    T,
  );
});

describe('rerequest-next-start (2.1.6)', () => {
  it(
    'fires when the refused permission is asked for again after a relaunch',
    async () => {
      const r = await runModel(
        agent,
        model({ permissions: [PHONE], requests: `[{ id: phone, permissions: [${PHONE}], at: start }]` }),
        `  - launch: { cold: true, clear-data: true }
  - wait: 1s
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - wait: 2s
  - relaunch
  - wait: 1s
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - wait: 1s
`,
      );
      const f = r.of('rerequest-next-start');
      expect(f).toHaveLength(1);
      expect(f[0]!.detail).toContain('launch 2');
      // Within one launch the app never asked twice: the same-launch rule stays out of it.
      expect(r.of('permission-rerequest')).toHaveLength(1);
    },
    T,
  );

  it(
    'stays quiet when the app asks only when the user opens the function',
    async () => {
      const r = await runModel(
        agent,
        model({
          permissions: [PHONE],
          home: '      - { text: 拨号, id: btn_call, on-tap: { request-permissions: phone } }',
          requests: `[{ id: phone, permissions: [${PHONE}] }]`,
        }),
        `${START}  - tap: { text: 拨号 }
  - permission-dialog: { action: deny, permission: READ_PHONE_STATE }
  - relaunch
  - wait: 2s
`,
      );
      expect(r.of('rerequest-next-start')).toEqual([]);
    },
    T,
  );
});

describe('premature-permission (2.1.7)', () => {
  const steps = `  - launch: { cold: true, clear-data: true }
  - wait: 1s
  - permission-dialog: { action: allow, permission: ACCESS_FINE_LOCATION }
  - wait: 70s
`;
  const locate = `
      - api: android.location.LocationManager.getLastKnownLocation
        args: [gps]
        result: { $class: android.location.Location, $methods: { getLatitude: 31.2, getLongitude: 121.5, getProvider: gps } }
        from: app`;
  it(
    'fires when location is granted at first open and not used within 60 s',
    async () => {
      const r = await runModel(
        agent,
        model({ permissions: [FINE], requests: `[{ id: loc, permissions: [${FINE}], at: start }]` }),
        steps,
      );
      const f = r.of('premature-permission');
      expect(f).toHaveLength(1);
      expect(f[0]!.title).toBe('ACCESS_FINE_LOCATION granted at first open but unused for 60 s');
    },
    T,
  );

  it(
    'stays quiet when the grant is followed by the use',
    async () => {
      const r = await runModel(
        agent,
        model({
          permissions: [FINE],
          requests: `
  - id: loc
    permissions: [${FINE}]
    at: start
    on-grant:${locate}`,
        }),
        steps,
      );
      expect(r.of('premature-permission')).toEqual([]);
    },
    T,
  );
});

describe('associated-start (2.2.x)', () => {
  it(
    "fires on an SDK starting another package's service before consent",
    async () => {
      const r = await runModel(
        agent,
        model({
          onStart: `
  - api: android.app.ContextImpl.startService
    args: [${intentTo('com.other.wifi', 'com.other.wifi.KeepAliveService')}]
    from: umeng`,
        }),
        START,
      );
      const f = r.of('associated-start');
      expect(f).toHaveLength(1);
      expect(f[0]!.scenarios).toEqual(['2.2.2']);
      expect(f[0]!.sdk).toBe('umeng-common');
      expect(f[0]!.title).toContain('com.other.wifi');
    },
    T,
  );

  it(
    'fires on a job scheduled to survive reboots, after consent',
    async () => {
      const r = await runModel(
        agent,
        model({
          home: `      - text: 同步
        id: btn_sync
        on-tap:
          calls:
            - api: android.app.JobSchedulerImpl.schedule
              args: [{ $class: android.app.job.JobInfo, $methods: { isPeriodic: true, getIntervalMillis: 900000, isPersisted: true } }]
              result: 1
              from: app`,
        }),
        `${START}  - tap: { text: 同步 }\n`,
      );
      const f = r.of('associated-start');
      expect(f.map((x) => [x.scenarios, x.title])).toEqual([
        [['2.2.1'], 'the app itself scheduled a job that survives reboots (job every 900 s persisted)'],
      ]);
    },
    T,
  );

  it(
    'fires on manifest receivers that start the app at boot or on network changes',
    async () => {
      const r = await runModel(
        agent,
        model({
          receivers: `
  - { name: .BootReceiver, actions: [android.intent.action.BOOT_COMPLETED] }
  - { name: .NetReceiver, actions: [android.net.conn.CONNECTIVITY_CHANGE] }
  - { name: .PushReceiver, actions: [com.example.miit.PUSH] }`,
        }),
        START,
      );
      const f = r.of('associated-start');
      expect(f).toHaveLength(1);
      expect(f[0]!.scenarios).toEqual(['2.2.1']);
      expect(f[0]!.severity).toBe('low');
      expect(f[0]!.detail).toContain(
        `${PKG}.BootReceiver (BOOT_COMPLETED); ${PKG}.NetReceiver (CONNECTIVITY_CHANGE)`,
      );
      expect(f[0]!.detail).not.toContain('PushReceiver');
    },
    T,
  );

  it(
    'stays quiet on starts of its own services and a one-off alarm after consent',
    async () => {
      const r = await runModel(
        agent,
        model({
          consentDialog: `    dialog:
      title: 隐私政策
      buttons:
        - { text: 不同意, finish: true }
        - text: 同意
          consent: true
          goto: home
          calls:
            - api: android.app.ContextImpl.startService
              args: [${intentTo(PKG, `${PKG}.SyncService`)}]
              from: app
            - api: android.app.AlarmManager.set
              overload: [int, long, android.app.PendingIntent]
              args: [0, 1767225630000, { $class: android.app.PendingIntent }]
              from: app`,
        }),
        START,
      );
      expect(r.of('associated-start')).toEqual([]);
    },
    T,
  );
});

describe('periodic-collection (1.2.2, 1.2.4)', () => {
  const androidId = `
      - api: android.provider.Settings$Secure.getString
        args: [{ $class: android.content.ContentResolver }, android_id]
        result: 3f9a1c27d84be605
        from: app`;
  it(
    'fires on the Android ID read every 2 s and says the period',
    async () => {
      const r = await runModel(
        agent,
        model({
          timers: `\n  - every: 2\n    when: post-consent\n    calls:${androidId.replace(/\n {6}/g, '\n      ')}`,
        }),
        `${START}  - wait: 20s\n`,
      );
      const f = r.of('periodic-collection');
      expect(f).toHaveLength(1);
      expect(f[0]!.title).toMatch(/^device-id read every 2\.0 s by the app itself/);
      expect(f[0]!.scenarios).toEqual(['1.2.4']);
    },
    T,
  );

  it(
    'stays quiet on reads at irregular user taps',
    async () => {
      const r = await runModel(
        agent,
        model({
          home: `      - text: 刷新\n        id: btn_refresh\n        on-tap:\n          calls:${androidId.replace(/\n {6}/g, '\n          ')}`,
        }),
        `${START}${[1, 4, 2, 9, 3, 6, 1].map((s) => `  - tap: { text: 刷新 }\n  - wait: ${s}s\n`).join('')}`,
      );
      expect(r.events['device-id']).toBe(7);
      expect(r.of('periodic-collection')).toEqual([]);
    },
    T,
  );
});

describe('undisclosed-personalisation (1.4.1)', () => {
  const settings = {
    home: '      - { text: 设置, id: btn_settings, on-tap: { goto: settings } }',
    screens: `  - id: settings
    activity: .SettingsActivity
    elements:
      - { text: 个性化推荐, id: switch_personalized, checked: true }`,
  };
  const profile = (purposes: string) => `package: ${PKG}
category: online_gaming
privacyPolicy:
  declares:
    - { category: phone-number, purposes: [${purposes}] }
  sdks: []
`;
  const steps = `${START}  - check-setting: { labels: [个性化推荐] }\n`;
  it(
    'fires when the app has 个性化推荐 and the policy declares no such purpose',
    async () => {
      const r = await runModel(agent, model(settings), steps, profile('account'));
      const f = r.of('undisclosed-personalisation');
      expect(f).toHaveLength(1);
      expect(f[0]!.title).toContain('"个性化推荐"');
    },
    T,
  );

  it(
    'stays quiet when the policy declares personalised recommendation',
    async () => {
      const r = await runModel(
        agent,
        model(settings),
        steps,
        profile('account, personalised-recommendation'),
      );
      expect(r.of('undisclosed-personalisation')).toEqual([]);
    },
    T,
  );
});

describe('associated-start on a real manifest', () => {
  it('stores the receivers of a real APK and finds no self-start receiver in ApiDemos', async () => {
    const { readApk } = await import('../harness/apk/read-apk.ts');
    const { openStore } = await import('../harness/store/store.ts');
    const { analyzeRunDetailed } = await import('../harness/analysis/index.ts');
    const apk = readApk(
      new URL('../node_modules/android-apidemos/apks/ApiDemos-debug.apk', import.meta.url).pathname,
    );
    const store = openStore(':memory:');
    const appId = store.upsertApp({
      package: apk.package,
      targetSdk: apk.targetSdk,
      components: apk.components.map((c) => ({ kind: c.kind, name: c.name, actions: c.actions })),
    });
    const runId = store.createRun({
      package: apk.package,
      device: 'd',
      scenario: 's',
      toolVersion: 't',
      appId,
    });
    const receivers = store.db
      .prepare("SELECT name FROM app_components WHERE app_id = ? AND kind = 'receiver' ORDER BY name")
      .pluck()
      .all(appId);
    expect(receivers).toContain('io.appium.android.apis.app.AppUpdateReceiver');
    expect(analyzeRunDetailed(store, runId, { only: ['associated-start'] }).findings).toEqual([]);
    // The same app with a boot receiver added: one low finding naming it.
    store.upsertApp({
      package: apk.package,
      targetSdk: apk.targetSdk,
      components: [{ kind: 'receiver', name: 'x.Boot', actions: ['android.intent.action.BOOT_COMPLETED'] }],
    });
    const f = analyzeRunDetailed(store, runId, { only: ['associated-start'] }).findings;
    expect(f.map((x) => [x.severity, x.scenarios])).toEqual([['low', ['2.2.1']]]);
    store.close();
  });
});
