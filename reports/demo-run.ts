// A small, realistic demo run for report screenshots, docs and tests: a shopping app whose
// SDKs read identifiers before consent, location in the background, the clipboard … Written
// as a protocol v1 JSONL trace and loaded through the real ingest path (ingestFile →
// TraceWriter). `hostile: true` puts markup and script into every app-controlled string.
import { writeFileSync } from 'node:fs';
import type { AgentMessage, EventRecord } from '../agent/protocol/messages.ts';
import { attributeSdk } from '../harness/knowledge/sdks.ts';
import { ingestFile } from '../harness/store/ingest.ts';
import type { Store } from '../harness/store/store.ts';
import { DEMO_PACKAGE, DEMO_RAW_IMEI, DEMO_T0, HOSTILE, h } from './demo-constants.ts';
import { insertDemoFindings } from './demo-findings.ts';

export { DEMO_PACKAGE, DEMO_RAW_IMEI, DEMO_T0, HOSTILE };

export interface DemoOptions {
  hostile?: boolean;
  /** Variant 2 drops contacts and Bugly, adds the clipboard and Pangle (for diff tests). */
  variant?: 1 | 2;
  /** Where to write the JSONL trace (a temp file). */
  tracePath: string;
  /** Insert findings rows for the run (as the analysis would). Default true. */
  findings?: boolean;
}

interface Spec {
  at: number;
  hook: string;
  category: EventRecord['category'];
  api: string;
  stack: number;
  phase: string;
  fg?: boolean;
  args?: string;
  result?: string;
  n?: number;
  every?: number;
}

function stacks(hostile: boolean): string[][] {
  const tail = [
    'android.app.Activity.performCreate(Activity.java:8051)',
    'android.os.Handler.dispatchMessage(Handler.java:106)',
  ];
  return [
    [
      `com.umeng.commonsdk.statistics.idtracking.ImeiTracker.a(ImeiTracker.java:41)`,
      'com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:212)',
      `${DEMO_PACKAGE}.App.onCreate(App.java:27)${h(1, hostile)}`,
      ...tail,
    ],
    [
      `${DEMO_PACKAGE}.util.DeviceInfo.androidId(DeviceInfo.java:18)${h(0, hostile)}`,
      `${DEMO_PACKAGE}.ui.MainActivity.onCreate(MainActivity.java:55)`,
      ...tail,
    ],
    [
      'com.amap.api.location.AMapLocationClient.startLocation(AMapLocationClient.java:301)',
      `${DEMO_PACKAGE}.store.StoreFinder.locate(StoreFinder.java:44)`,
      ...tail,
    ],
    [
      'com.tencent.bugly.crashreport.common.info.AppInfo.getInstalledApps(AppInfo.java:90)',
      'com.tencent.bugly.CrashModule.init(CrashModule.java:12)',
      ...tail,
    ],
    [`${DEMO_PACKAGE}.ui.SearchActivity.onResume(SearchActivity.java:73)${h(3, hostile)}`, ...tail],
    ['com.bytedance.sdk.openadsdk.core.AdManager.collect(AdManager.java:210)', ...tail],
  ];
}

function specs(variant: 1 | 2): Spec[] {
  const list: Spec[] = [
    {
      at: 400,
      hook: 'telephony.get-imei',
      category: 'device-id',
      api: 'android.telephony.TelephonyManager.getImei(int)',
      stack: 0,
      phase: 'pre-consent',
      args: '{"slot":0}',
      result: 'string(15)',
      n: 3,
      every: 150,
    },
    {
      at: 650,
      hook: 'settings.secure-get-string',
      category: 'device-id',
      api: 'android.provider.Settings$Secure.getString(android.content.ContentResolver,java.lang.String)',
      stack: 1,
      phase: 'pre-consent',
      args: '{"key":"android_id"}',
      result: 'string(16)',
      n: 2,
      every: 200,
    },
    {
      at: 5200,
      hook: 'permission.request',
      category: 'permission-request',
      api: 'android.app.Activity.requestPermissions(java.lang.String[],int)',
      stack: 1,
      phase: 'post-consent',
      args: '["android.permission.ACCESS_FINE_LOCATION"]',
    },
    {
      at: 6000,
      hook: 'location.request-updates',
      category: 'location',
      api: 'android.location.LocationManager.requestLocationUpdates(java.lang.String,long,float,android.location.LocationListener)',
      stack: 2,
      phase: 'post-consent',
      args: '{"provider":"gps","minTime":1000}',
      result: 'Location',
      n: 40,
      every: 250,
    },
    {
      at: 19000,
      hook: 'location.get-last-known',
      category: 'location',
      api: 'android.location.LocationManager.getLastKnownLocation(java.lang.String)',
      stack: 2,
      phase: 'background',
      fg: false,
      args: '{"provider":"network"}',
      result: 'Location',
      n: 25,
      every: 300,
    },
  ];
  if (variant === 1) {
    list.push({
      at: 900,
      hook: 'package.get-installed',
      category: 'installed-apps',
      api: 'android.content.pm.PackageManager.getInstalledPackages(int)',
      stack: 3,
      phase: 'pre-consent',
      args: '{"flags":0}',
      result: 'list(187)',
    });
    list.push({
      at: 12000,
      hook: 'contacts.query',
      category: 'contacts',
      api: 'android.content.ContentResolver.query(android.net.Uri,java.lang.String[],android.os.Bundle,android.os.CancellationSignal)',
      stack: 4,
      phase: 'post-consent',
      args: '{"uri":"content://com.android.contacts/data","projection":3}',
      result: 'cursor(42 rows)',
      n: 2,
      every: 400,
    });
  } else {
    list.push({
      at: 12500,
      hook: 'clipboard.get-primary',
      category: 'clipboard',
      api: 'android.content.ClipboardManager.getPrimaryClip()',
      stack: 4,
      phase: 'post-consent',
      result: 'ClipData(1)',
      n: 4,
      every: 900,
    });
    list.push({
      at: 14000,
      hook: 'wifi.get-connection-info',
      category: 'network-id',
      api: 'android.net.wifi.WifiManager.getConnectionInfo()',
      stack: 5,
      phase: 'post-consent',
      result: 'WifiInfo',
      n: 6,
      every: 500,
    });
  }
  return list;
}

function messages(hostile: boolean, variant: 1 | 2): AgentMessage[] {
  const pid = 4242;
  const process = `${DEMO_PACKAGE}${hostile ? `:${HOSTILE[1]}` : ''}`;
  const base = { v: 1 as const, pid, process };
  const st = stacks(hostile);
  const events: EventRecord[] = [];
  specs(variant).forEach((s, k) => {
    for (let i = 0; i < (s.n ?? 1); i++) {
      const e: EventRecord = {
        time: DEMO_T0 + s.at + i * (s.every ?? 100),
        hook: s.hook,
        category: s.category,
        api: s.api,
        thread: (k % 2 === 0 ? 'main' : 'pool-2-thread-1') + h(k + 2, hostile),
        foreground: s.fg ?? true,
        phase: s.phase + (hostile && s.phase === 'post-consent' ? h(4, true) : ''),
        stack: s.stack,
      };
      if (s.args !== undefined) e.args = s.args + h(k, hostile);
      if (s.result !== undefined) e.result = s.result + h(k + 1, hostile);
      // As if raw values were switched on for the IMEI: reports must show it only with --raw.
      if (s.hook === 'telephony.get-imei') e.raw = DEMO_RAW_IMEI;
      if (s.category === 'device-id' || s.category === 'location')
        e.valueHash = `${(0xa1b2c3 + k).toString(16)}d4e5f60718`.slice(0, 16);
      events.push(e);
    }
  });
  events.sort((a, b) => a.time - b.time);
  const used = [...new Set(events.map((e) => e.stack!))];
  return [
    { ...base, type: 'hello', time: DEMO_T0 + 100, agentVersion: '0.1.0', apiLevel: 33 },
    {
      ...base,
      type: 'hook-status',
      time: DEMO_T0 + 120,
      statuses: [
        ...[...new Set(events.map((e) => e.hook))].map((hook) => ({
          hook,
          state: 'installed' as const,
          overloads: 1,
        })),
        {
          hook: 'camera.open',
          state: 'class-missing' as const,
          detail: `android.hardware.Camera not loaded${h(0, hostile)}`,
        },
        {
          hook: 'media-projection.create',
          state: 'failed' as const,
          detail: `TypeError: overload not found${h(2, hostile)}`,
        },
      ],
    },
    { ...base, type: 'lifecycle', time: DEMO_T0 + 150, kind: 'app-start' },
    {
      ...base,
      type: 'agent-error',
      time: DEMO_T0 + 7000,
      hook: 'location.request-updates',
      message: `listener wrapper threw${h(5, hostile)}`,
    },
    {
      ...base,
      type: 'events',
      seq: 1,
      stacks: used.map((id) => ({ id, frames: st[id]! })),
      events,
      dropped: hostile ? 7 : 0,
    },
  ];
}

const STEPS = [
  { kind: 'launch', label: 'Launch the app', phase: 'pre-consent', start: 0, end: 4000 },
  { kind: 'tap', label: 'Agree to the privacy policy', phase: 'consent', start: 4000, end: 5000 },
  { kind: 'tap', label: 'Open the store finder', phase: 'post-consent', start: 5000, end: 11000 },
  { kind: 'type', label: 'Search "shoes"', phase: 'post-consent', start: 11000, end: 18000 },
  {
    kind: 'background',
    label: 'Send the app to the background',
    phase: 'background',
    start: 18000,
    end: 28000,
  },
];

/** Creates the demo run in `store` (ingesting its trace); returns the run id. */
export async function createDemoRun(store: Store, opts: DemoOptions): Promise<number> {
  const hostile = opts.hostile === true;
  const variant = opts.variant ?? 1;
  const appId = store.upsertApp({
    package: DEMO_PACKAGE,
    label: hostile ? `Shop ${HOSTILE[0]} ${HOSTILE[3]}` : 'Example Shop',
    versionCode: variant === 1 ? 321 : 330,
    versionName: variant === 1 ? '3.2.1' : '3.3.0',
    apkSha256: `demo-${variant}-${hostile ? 'h' : 'n'}`,
    permissions: [
      { name: 'android.permission.INTERNET' },
      { name: 'android.permission.ACCESS_FINE_LOCATION' },
      { name: 'android.permission.READ_PHONE_STATE' },
      { name: 'android.permission.CAMERA' },
    ],
  });
  const runId = store.createRun({
    package: DEMO_PACKAGE,
    device: hostile ? `emulator-5554${HOSTILE[2]}` : 'emulator-5554',
    scenario: hostile ? `first-launch ${HOSTILE[4]}` : 'first-launch',
    toolVersion: '0.1.0',
    appId,
    startedAt: DEMO_T0,
  });
  writeFileSync(
    opts.tracePath,
    `${messages(hostile, variant)
      .map((m) => JSON.stringify(m))
      .join('\n')}\n`,
  );
  const writer = store.traceWriter(runId, {
    attributeSdk: (frames) => attributeSdk(frames, { appPackage: DEMO_PACKAGE }).sdk,
  });
  STEPS.forEach((s, i) => {
    const id = writer.beginStep({
      kind: s.kind,
      label: s.label + h(i, hostile),
      phase: s.phase,
      time: DEMO_T0 + s.start,
    });
    writer.endStep(
      id,
      i === 3 && hostile ? 'failed' : 'ok',
      i === 3 && hostile ? `element not found${h(1, true)}` : undefined,
      DEMO_T0 + s.end,
    );
  });
  await ingestFile(opts.tracePath, writer);
  const ins = store.db.prepare(
    'INSERT INTO appops (run_id, "when", op, mode, last_access, raw_line) VALUES (?, ?, ?, ?, ?, ?)',
  );
  ins.run(runId, 'before', 'COARSE_LOCATION', 'allow', null, 'COARSE_LOCATION: allow');
  ins.run(
    runId,
    'after',
    'COARSE_LOCATION',
    'allow',
    '+12s ago',
    `COARSE_LOCATION: allow; time=+12s ago${h(0, hostile)}`,
  );
  ins.run(runId, 'after', `READ_CLIPBOARD${h(1, hostile)}`, 'allow', '+3s ago', 'READ_CLIPBOARD: allow');
  store.endRun(runId, 'completed', undefined, DEMO_T0 + 28_500);
  if (opts.findings !== false) insertDemoFindings(store, runId, hostile);
  return runId;
}
