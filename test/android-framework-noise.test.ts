// Framework noise: WebView and Play-services checks call getPackageInfo inside the app's process.
// The simulated framework does it (the first WebView loads its provider through WebViewFactory);
// such accesses are attributed to the framework, not to the app or an SDK, and no rule counts them.
import { beforeAll, describe, expect, it } from 'vitest';
import { attributeSdk, FRAMEWORK_SDK } from '../harness/knowledge/sdks.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';
import { analyzeTrace, core, PKG, STACKS, TraceBuilder } from './fixtures/analysis/trace-builder.ts';

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

const pkgInfo = { hook: 'packages.get-package-info', category: 'installed-apps' } as const;

describe('framework noise', () => {
  it("the app's first WebView makes WebViewFactory read the WebView package, attributed to the framework", () => {
    const rt = createSimRuntime({ packageName: PKG });
    rt.loadAgent(agentPath);
    rt.app.call('android.webkit.WebView', '$init', {
      overload: ['android.content.Context'],
      args: [{ $class: `${PKG}.MainActivity` }],
      stack: [
        `${PKG}.MainActivity.onCreate(MainActivity.java:44)`,
        'android.app.Activity.performCreate(Activity.java:8305)',
      ],
    });
    rt.rpc.flush();
    const [batch] = rt.ofType('events');
    const events = batch?.events ?? [];
    expect(events.map((e) => [e.hook, e.args])).toEqual([
      ['packages.get-package-info', expect.stringContaining('com.google.android.webview')],
    ]);
    const frames = batch?.stacks.find((s) => s.id === events[0]?.stack)?.frames ?? [];
    expect(frames[0]).toMatch(/^android\.webkit\.WebViewFactory\./);
    expect(attributeSdk(frames, { appPackage: PKG }).sdk).toBe(FRAMEWORK_SDK);
  });

  it("Play services' availability check reads com.google.android.gms, attributed to the framework", () => {
    const rt = createSimRuntime({ packageName: PKG });
    rt.loadAgent(agentPath);
    const gaa = 'com.google.android.gms.common.GoogleApiAvailability';
    rt.world.defineClass('app', {
      name: gaa,
      superclass: 'java.lang.Object',
      interfaces: [],
      isInterface: false,
      isAbstract: false,
      methods: [
        {
          name: 'isGooglePlayServicesAvailable',
          params: ['android.content.Context'],
          returns: 'number',
          isStatic: false,
        },
      ],
      constructors: [],
    });
    rt.app.call(gaa, 'isGooglePlayServicesAvailable', {
      overload: ['android.content.Context'],
      args: [{ $class: `${PKG}.ShopApp` }],
      result: 0,
      stack: [
        'com.google.firebase.messaging.FirebaseMessaging.<init>(FirebaseMessaging.java:180)',
        `${PKG}.ShopApp.onCreate(ShopApp.java:35)`,
      ],
    });
    rt.rpc.flush();
    const [batch] = rt.ofType('events');
    const events = batch?.events ?? [];
    expect(events.map((e) => e.args)).toEqual([expect.stringContaining('com.google.android.gms')]);
    const frames = batch?.stacks.find((s) => s.id === events[0]?.stack)?.frames ?? [];
    expect(attributeSdk(frames, { appPackage: PKG }).sdk).toBe(FRAMEWORK_SDK);
  });

  it('attributes Play services availability checks to the framework, an SDK or app read to them', () => {
    const at = (frames: readonly string[]) => attributeSdk(frames, { appPackage: PKG }).sdk;
    expect(at(STACKS.gms)).toBe(FRAMEWORK_SDK);
    expect(at(STACKS.webview)).toBe(FRAMEWORK_SDK);
    expect(at(STACKS.umeng)).toBe('umeng-common');
    expect(at(STACKS.app)).toBe('app');
  });

  it('no finding counts framework checks; the same read by the app still fires', async () => {
    const t = new TraceBuilder();
    t.event({ ...pkgInfo, t: 1, by: 'webview', phase: 'pre-consent' });
    t.event({ ...pkgInfo, t: 2, by: 'gms', phase: 'pre-consent' });
    t.event({ ...pkgInfo, t: 3, by: 'gms', phase: 'pre-consent', fg: false });
    const r = await analyzeTrace(t);
    try {
      expect(r.findings.filter((f) => f.category === 'installed-apps')).toEqual([]);
    } finally {
      r.cleanup();
    }
    const t2 = new TraceBuilder();
    const own = t2.event({ ...pkgInfo, t: 1, by: 'app', phase: 'pre-consent' });
    t2.event({ ...pkgInfo, t: 2, by: 'webview', phase: 'pre-consent' });
    const r2 = await analyzeTrace(t2);
    try {
      expect(core(r2.findings, 'access-before-consent')).toEqual([
        { severity: 'high', category: 'installed-apps', sdk: null, evidence: [own], count: 1 },
      ]);
    } finally {
      r2.cleanup();
    }
  });
});
