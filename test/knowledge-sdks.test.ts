import { describe, expect, it } from 'vitest';
import {
  attributeSdk,
  defaultAttributor,
  frameClass,
  loadSdkSignatures,
  SdkAttributor,
  type SdkSignature,
} from '../harness/knowledge/sdks.ts';

const sig = (id: string, prefixes: string[]): SdkSignature => ({
  id,
  name: id,
  vendor: 'v',
  kind: 'other',
  prefixes,
});
const app = { appPackage: 'com.example.shop' };

// Five realistic stacks, innermost frame first, as the agent sends them.
const STACKS: { name: string; frames: string[]; sdk: string; package: string }[] = [
  {
    name: 'Umeng reads the IMEI during UMConfigure.init from Application.onCreate',
    frames: [
      'android.telephony.TelephonyManager.getImei(TelephonyManager.java:2101)',
      'com.umeng.commonsdk.statistics.common.DeviceConfig.getImeiNew(DeviceConfig.java:235)',
      'com.umeng.commonsdk.statistics.common.DeviceConfig.getDeviceId(DeviceConfig.java:190)',
      'com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:412)',
      'com.example.shop.ShopApp.onCreate(ShopApp.java:31)',
      'android.app.Instrumentation.callApplicationOnCreate(Instrumentation.java:1192)',
    ],
    sdk: 'umeng-common',
    package: 'com.umeng.commonsdk.statistics.common',
  },
  {
    name: 'AMap location through its obfuscated com.loc package',
    frames: [
      'android.location.LocationManager.getLastKnownLocation(LocationManager.java:1284)',
      'com.loc.dh.a(Unknown Source:58)',
      'com.loc.g.run(Unknown Source:12)',
      'com.amap.api.location.AMapLocationClient.startLocation(Unknown Source:6)',
      'com.example.shop.map.StoreMapActivity.onResume(StoreMapActivity.kt:88)',
    ],
    sdk: 'amap-location',
    package: 'com.loc',
  },
  {
    name: 'the app reads contacts inside a coroutine',
    frames: [
      'android.content.ContentResolver.query(ContentResolver.java:1105)',
      'com.example.shop.invite.ContactRepo$load$2.invokeSuspend(ContactRepo.kt:41)',
      'kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)',
      'kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:106)',
      'java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1167)',
    ],
    sdk: 'app',
    package: 'com.example.shop.invite',
  },
  {
    name: 'Tencent Bugly (nested under com.tencent) reads ANDROID_ID on a worker thread',
    frames: [
      'android.provider.Settings$Secure.getString(Settings.java:5432)',
      'com.tencent.bugly.crashreport.common.info.b.e(BUGLY:128)',
      'com.tencent.bugly.crashreport.common.info.a.<init>(BUGLY:301)',
      'com.tencent.bugly.proguard.aq.run(BUGLY:49)',
      'java.lang.Thread.run(Thread.java:919)',
    ],
    sdk: 'tencent-bugly',
    package: 'com.tencent.bugly.crashreport.common.info',
  },
  {
    name: 'an unknown SDK reads the Wi-Fi MAC address',
    frames: [
      'android.net.wifi.WifiInfo.getMacAddress(WifiInfo.java:520)',
      'com.foo.bar.sdk.internal.a.b(Unknown Source:14)',
      'com.foo.bar.sdk.FooSdk.init(Unknown Source:3)',
      'com.example.shop.ShopApp.onCreate(ShopApp.java:35)',
    ],
    sdk: 'third-party:com.foo.bar',
    package: 'com.foo.bar.sdk.internal',
  },
];

describe('signature data', () => {
  const sigs = loadSdkSignatures();

  it('has several hundred SDKs with unique ids and unique, well-formed prefixes', () => {
    expect(sigs.length).toBeGreaterThanOrEqual(300);
    expect(new Set(sigs.map((s) => s.id)).size).toBe(sigs.length);
    const prefixes = sigs.flatMap((s) => s.prefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect(p).toMatch(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/);
    expect(defaultAttributor().size).toBe(sigs.length);
  });

  it('covers the SDKs the analysis must name', () => {
    const byPrefix = new Map(sigs.flatMap((s) => s.prefixes.map((p) => [p, s.id] as const)));
    for (const p of [
      'com.umeng.analytics',
      'com.tencent.bugly',
      'com.tencent.smtt',
      'com.tencent.mm.opensdk',
      'cn.jpush.android',
      'com.igexin',
      'com.amap.api.location',
      'com.baidu.location',
      'com.bytedance.sdk.openadsdk',
      'com.kwad.sdk',
      'com.qq.e',
      'com.alipay.sdk',
      'com.bun.miitmdid',
      'com.huawei.hms.push',
      'com.xiaomi.push',
      'com.sensorsdata.analytics.android.sdk',
      'com.growingio.android.sdk',
      'com.tendcloud.tenddata',
      'com.google.firebase.analytics',
      'com.google.android.gms.ads',
      'com.google.android.gms.location',
      'com.facebook.appevents',
      'com.appsflyer',
      'com.adjust.sdk',
      'io.branch',
      'com.google.firebase.crashlytics',
      'io.sentry',
      'com.onesignal',
      'com.applovin',
      'com.unity3d.ads',
      'com.ironsource',
      'com.vungle',
      'com.mapbox.mapboxsdk',
      'com.stripe.android',
      'com.braintreepayments.api',
      'com.twitter.sdk.android',
      'com.mixpanel.android',
      'com.amplitude',
      'com.segment.analytics',
      'com.flurry',
    ]) {
      expect(byPrefix.has(p), p).toBe(true);
    }
  });
});

describe('attributeSdk', () => {
  for (const s of STACKS) {
    it(s.name, () => {
      expect(attributeSdk(s.frames, app)).toEqual({ sdk: s.sdk, package: s.package });
    });
  }

  it('picks the most specific prefix regardless of list order', () => {
    const frames = ['com.tencent.bugly.crashreport.CrashReport.init(CrashReport.java:1)'];
    const a = new SdkAttributor([sig('tencent', ['com.tencent']), sig('bugly', ['com.tencent.bugly'])]);
    const b = new SdkAttributor([sig('bugly', ['com.tencent.bugly']), sig('tencent', ['com.tencent'])]);
    expect(a.attribute(frames, app).sdk).toBe('bugly');
    expect(b.attribute(frames, app).sdk).toBe('bugly');
    expect(a.attribute(['com.tencent.other.X.y(X.java:1)'], app).sdk).toBe('tencent');
  });

  it('matches prefixes on package boundaries only', () => {
    expect(attributeSdk(['com.tencent.mmkv.MMKV.initialize(MMKV.java:10)'], app).sdk).toBe('tencent-mmkv');
    expect(attributeSdk(['com.tencent.mm.opensdk.openapi.WXApiImplV10.registerApp(X.java:1)'], app).sdk).toBe(
      'wechat-opensdk',
    );
    expect(attributeSdk(['com.umengx.tools.Foo.bar(Foo.java:1)'], app).sdk).toBe(
      'third-party:com.umengx.tools',
    );
    expect(attributeSdk(['com.qq.ex.Foo.bar(Foo.java:1)'], app).sdk).toBe('third-party:com.qq.ex');
  });

  it('skips framework frames but not SDKs living under framework-like names', () => {
    const frames = [
      'java.lang.reflect.Method.invoke(Native Method)',
      'androidx.work.impl.WorkerWrapper.runWorker(WorkerWrapper.java:1)',
      'com.android.internal.os.ZygoteInit.main(ZygoteInit.java:1)',
      'com.android.billingclient.api.BillingClientImpl.startConnection(Unknown Source:1)',
    ];
    expect(attributeSdk(frames, app)).toEqual({
      sdk: 'google-play-billing',
      package: 'com.android.billingclient.api',
    });
    expect(attributeSdk(frames.slice(0, 3), app)).toEqual({ sdk: null, package: null });
  });

  it('prefers the app package over a broader vendor prefix, and an SDK nested in it over the app', () => {
    const qqmusic = { appPackage: 'com.tencent.qqmusic' };
    expect(attributeSdk(['com.tencent.qqmusic.player.P.play(P.java:1)'], qqmusic).sdk).toBe('app');
    expect(attributeSdk(['com.tencent.bugly.B.c(B.java:1)'], qqmusic).sdk).toBe('tencent-bugly');
    const wechat = { appPackage: 'com.tencent.mm' };
    expect(attributeSdk(['com.tencent.mm.opensdk.A.b(A.java:1)'], wechat).sdk).toBe('wechat-opensdk');
    expect(attributeSdk(['com.tencent.mm.ui.LauncherUI.onCreate(L.java:1)'], wechat).sdk).toBe('app');
    expect(
      attributeSdk(['com.android.settings.Foo.bar(Foo.java:1)'], { appPackage: 'com.android.settings' }).sdk,
    ).toBe('app');
  });

  it('groups obfuscated default-package code and ignores non-Java frames', () => {
    expect(attributeSdk(['libc.so!open'], app)).toEqual({ sdk: null, package: null });
    expect(attributeSdk(['libc.so!open', 'a.b(SourceFile:1)'], app)).toEqual({
      sdk: 'third-party:(default-package)',
      package: '',
    });
  });

  it('caches per stack', () => {
    const frames = STACKS[0]?.frames ?? [];
    expect(attributeSdk(frames, app)).toBe(attributeSdk([...frames], app));
    expect(attributeSdk(frames, { appPackage: 'com.umeng' })).not.toBe(attributeSdk(frames, app));
  });

  it('extracts class names from frames', () => {
    expect(frameClass('at com.foo.Bar$1.run(Bar.java:12)')).toBe('com.foo.Bar$1');
    expect(frameClass('com.foo.Bar.<init>(Unknown Source)')).toBe('com.foo.Bar');
    expect(frameClass('libc.so!open')).toBeNull();
  });

  it('rejects conflicting signature lists', () => {
    expect(() => new SdkAttributor([sig('a', ['com.x']), sig('b', ['com.x'])])).toThrow(
      /claimed by both a and b/,
    );
    expect(() => new SdkAttributor([sig('a', ['com..x'])])).toThrow(/bad prefix/);
  });
});
