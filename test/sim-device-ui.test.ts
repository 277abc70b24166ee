import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../harness/errors.ts';
import { loadAppModel, parseAppModel } from '../harness/simulation/apps/model-load.ts';
import type { SimEvent } from '../harness/simulation/apps/sim-app.ts';
import type { VirtualClock } from '../harness/simulation/device/clock.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { type RecordedCall, recordingRuntime } from '../harness/simulation/runtime/process-runtime.ts';

const DEMO = loadAppModel(join(import.meta.dirname, '..', 'scenarios', 'models', 'demo-game.yaml'));
const PKG = DEMO.packageName;

async function start(grant: string[] = []) {
  const calls: RecordedCall[] = [];
  // A provisioned device (Appium helpers installed): these tests are about the UI itself.
  const device = new SimDevice({ clock: 'virtual', runtime: recordingRuntime(calls), appiumHelpers: true });
  const events: SimEvent[] = [];
  device.onEvent((e) => events.push(e));
  await device.install(DEMO);
  for (const p of grant) await device.grant(PKG, p);
  const detached: string[] = [];
  const session = await device.spawn(PKG, {
    agentSource: '',
    onMessage: () => undefined,
    onDetach: (reason, proc) => detached.push(`${proc.name}:${reason}`),
  });
  await session.resume();
  const clock = device.clock as VirtualClock;
  return { device, calls, events, session, clock, detached, ui: await device.ui() };
}

type JavaRecord = Extract<RecordedCall, { kind: 'java' }>;
const javaCalls = (calls: RecordedCall[], method: string) =>
  calls.filter((c): c is JavaRecord => c.kind === 'java' && c.method === method);

describe('simulated device UI', () => {
  it('shows the phone permission dialog, then the consent dialog, and tapping 同意 consents and goes to main', async () => {
    const { device, ui, events } = await start();
    // The start-up phone request comes first (before consent: what the demo must flag).
    expect(await ui.currentPackage()).toBe('com.android.permissioncontroller');
    const deny = await ui.find({
      by: 'id',
      value: 'com.android.permissioncontroller:id/permission_deny_button',
    });
    expect(deny?.text).toBe("Don't allow");
    await ui.tap({ by: 'text', value: "Don't allow" });
    expect(await device.grantedPermissions(PKG)).toEqual([]);

    const src = await ui.pageSource();
    expect(src).toContain('<hierarchy index="0" class="hierarchy" rotation="0" width="1080" height="2340">');
    expect(src).toMatch(
      /<android\.widget\.Button index="4" package="com\.starfall\.puzzle" class="android\.widget\.Button" text="同意" resource-id="com\.starfall\.puzzle:id\/btn_agree"[^>]* clickable="true"[^>]* bounds="\[\d+,\d+\]\[\d+,\d+\]"/,
    );
    const agree = await ui.find({
      by: 'xpath',
      value: "//*[contains(@text,'同意') and @clickable='true'][2]",
    });
    expect(agree?.resourceId).toBe('com.starfall.puzzle:id/btn_agree');

    const consents: boolean[] = [];
    device.onEvent((e) => {
      if (e.type === 'consent') consents.push(e.consent);
    });
    if (!agree) throw new Error('no agree button');
    await ui.tap(agree);
    expect(consents).toEqual([true]);
    expect(await ui.currentActivity()).toBe(
      'com.android.permissioncontroller.permission.ui.GrantPermissionsActivity',
    );
    await ui.tap({
      by: 'id',
      value: 'com.android.permissioncontroller:id/permission_allow_foreground_only_button',
    });
    expect(await device.grantedPermissions(PKG)).toEqual(['android.permission.ACCESS_FINE_LOCATION']);
    expect(await device.foregroundActivity()).toEqual({
      packageName: PKG,
      activity: 'com.starfall.puzzle.MainActivity',
    });
    expect(
      events.filter((e) => e.type === 'screen').map((e) => (e.type === 'screen' ? e.screen : '')),
    ).toEqual(['splash', 'main']);
    // The old element reference is stale once the screen changed.
    await expect(ui.tap(agree)).rejects.toThrow(/stale element/);
  });

  it('navigates with goto and back, opens dialogs, leaves the app for the browser and comes back', async () => {
    const { device, ui } = await start([
      'android.permission.READ_PHONE_STATE',
      'android.permission.ACCESS_FINE_LOCATION',
    ]);
    await ui.tap({ by: 'id', value: 'btn_agree' });
    await ui.tap({
      by: 'xpath',
      value: "//android.widget.Button[@resource-id='com.starfall.puzzle:id/btn_start']",
    });
    expect(await ui.currentActivity()).toBe('com.starfall.puzzle.GameActivity');
    await ui.tap({ by: 'text', value: '暂停' });
    expect((await ui.find({ by: 'id', value: 'android:id/alertTitle' }))?.text).toBe('游戏暂停');
    await ui.back(); // cancels the dialog
    expect(await ui.find({ by: 'id', value: 'android:id/alertTitle' })).toBeNull();
    await ui.back();
    expect(await ui.currentActivity()).toBe('com.starfall.puzzle.MainActivity');
    await ui.tap({ by: 'accessibility-id', value: '广告' });
    expect(await ui.currentPackage()).toBe('com.android.chrome');
    expect((await ui.find({ by: 'id', value: 'com.android.chrome:id/url_bar' }))?.text).toBe(
      'https://ad.starfall.example/landing?slot=banner',
    );
    expect(device.running(PKG)?.foreground).toBe(false);
    await ui.back();
    expect(await ui.currentActivity()).toBe('com.starfall.puzzle.MainActivity');
    expect(device.running(PKG)?.foreground).toBe(true);
    // The settings toggle flips and runs its on-uncheck call.
    await ui.tap({ by: 'text', value: '设置' });
    await ui.tap({ by: 'text', value: '个性化推荐' });
    expect((await ui.find({ by: 'text', value: '个性化推荐' }))?.checked).toBe(false);
  });

  it('fires the 20 s notification timer 6 times in 2 minutes of virtual time, in the :push process', async () => {
    const { calls, clock, session } = await start();
    const t0 = clock.now();
    await clock.sleep(120_000);
    const notes = javaCalls(calls, 'notify');
    expect(notes).toHaveLength(6);
    expect(notes.map((n) => n.time - t0)).toEqual([20_000, 40_000, 60_000, 80_000, 100_000, 120_000]);
    expect(new Set(notes.map((n) => n.process))).toEqual(new Set([`${PKG}:push`]));
    expect(session.processes().map((p) => p.name)).toEqual([PKG, `${PKG}:push`]);
    expect(session.processes()[1]?.pid).toBe(session.pid + 1);
  });

  it('builds realistic SDK stacks for start-up calls', async () => {
    const { calls } = await start();
    const imei = javaCalls(calls, 'getImei')[0];
    const frames = imei && imei.kind === 'java' ? imei.stack : [];
    expect(frames[0]).toMatch(/^com\.bytedance\.sdk\.openadsdk\.[\w.]+Tracker\.[a-f]\(Unknown Source:\d+\)$/);
    // A worker thread the SDK started: the stack ends in the thread pool.
    expect(frames.at(-1)).toBe('java.lang.Thread.run(Thread.java:1012)');
    expect(imei?.kind === 'java' ? imei.thread : '').toBe('pool-3-thread-1');
    // The bundled MSA SDK class is defined on its SDK's class loader once per process that uses it.
    expect(calls.filter((c) => c.kind === 'load-class')).toMatchObject([
      { className: 'com.bun.miitmdid.core.MdidSdkHelper', loader: 'com.bun.miitmdid', process: PKG },
    ]);
    // A main-thread call in Application.onCreate ends in the app's onCreate and the zygote.
    const androidId = javaCalls(calls, 'getString')[0];
    const main = androidId?.kind === 'java' ? androidId.stack : [];
    expect(main[0]).toMatch(/^com\.umeng\.commonsdk\./);
    expect(main).toContain('com.starfall.puzzle.App.onCreate(App.java:27)');
    expect(main.at(-1)).toBe('com.android.internal.os.ZygoteInit.main(ZygoteInit.java:936)');
    // Without READ_PHONE_STATE the SDK's attempt is made with a null result (if-denied: call).
    expect(imei?.kind === 'java' ? imei.result : 'x').toBeNull();
  });

  it('runs background/foreground lifecycle calls on home and return', async () => {
    const { device, ui, calls, events } = await start([
      'android.permission.READ_PHONE_STATE',
      'android.permission.ACCESS_FINE_LOCATION',
    ]);
    await ui.tap({ by: 'text', value: '同意' });
    await ui.home();
    expect(await ui.currentPackage()).toBe('com.android.launcher3');
    expect(calls.filter((c) => c.kind === 'pause').at(-1)).toMatchObject({
      activity: 'com.starfall.puzzle.MainActivity',
    });
    expect(javaCalls(calls, 'getRunningAppProcesses')).toHaveLength(1);
    await (device.clock as VirtualClock).sleep(60_000);
    expect(javaCalls(calls, 'getLastKnownLocation').length).toBeGreaterThanOrEqual(2); // on-grant + background timer
    const clipsBefore = javaCalls(calls, 'getPrimaryClip').length;
    const resumes = calls.filter((c) => c.kind === 'resume').length;
    await ui.tap({ by: 'accessibility-id', value: '星际消除' }); // launcher icon
    const resumed = calls.filter((c) => c.kind === 'resume');
    expect(resumed).toHaveLength(resumes + 1);
    expect(resumed.at(-1)).toMatchObject({ activity: 'com.starfall.puzzle.MainActivity' });
    expect(javaCalls(calls, 'getPrimaryClip').length).toBe(clipsBefore + 1);
    expect(
      events.filter((e) => e.type === 'background' || e.type === 'foreground').map((e) => e.type),
    ).toEqual(['foreground', 'background', 'foreground']);
  });

  it('re-requests a denied permission after 30 s and stops asking after two denials', async () => {
    const { device, ui, clock, calls } = await start(['android.permission.READ_PHONE_STATE']);
    await ui.tap({ by: 'text', value: '同意' });
    await ui.tap({ by: 'text', value: "Don't allow" });
    expect(await ui.currentPackage()).toBe(PKG);
    await clock.sleep(30_000);
    expect(await ui.currentPackage()).toBe('com.android.permissioncontroller');
    await ui.tap({ by: 'text', value: "Don't allow" });
    await clock.sleep(30_000);
    // Third request: Android answers "denied" without showing a dialog.
    expect(await ui.currentPackage()).toBe(PKG);
    expect(javaCalls(calls, 'requestPermissions')).toHaveLength(3);
    const results = javaCalls(calls, 'onRequestPermissionsResult');
    expect(results).toHaveLength(3);
    expect(results.at(-1)?.args[2]).toEqual({ $array: [-1] });
    expect(await device.grantedPermissions(PKG)).toEqual(['android.permission.READ_PHONE_STATE']);
  });

  it('keeps an AppOps record from the calls, with rejected ops and declared hidden ops', async () => {
    const { device, clock } = await start();
    await clock.sleep(90_000);
    const ops = await device.appOps(PKG);
    const byName = new Map(ops.map((o) => [o.op, o]));
    expect(byName.get('READ_PHONE_STATE')).toMatchObject({ mode: 'ignore', count: 0, rejectCount: 1 });
    expect(byName.get('POST_NOTIFICATION')).toMatchObject({
      count: 0,
      rejectCount: 4,
      lastProcess: `${PKG}:push`,
    });
    expect(byName.get('COARSE_LOCATION')).toMatchObject({ rejectCount: 1 });
    await device.clearData(PKG);
    expect(await device.appOps(PKG)).toEqual([]);
  });

  it('takes a real PNG screenshot of the element boxes', async () => {
    const { ui } = await start();
    const png = await ui.screenshot();
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(270);
    expect(png.readUInt32BE(20)).toBe(585);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(raw.length).toBe((270 * 3 + 1) * 585);
    // The permission dialog's blue Allow button (at y≈1380–1510 → row ~360) is painted.
    const row = 361 * (270 * 3 + 1) + 1;
    expect([raw[row + 100 * 3], raw[row + 100 * 3 + 1], raw[row + 100 * 3 + 2]]).toEqual([26, 115, 232]);
  });

  it('reports crashes and a lost device as detach reasons, once per process', async () => {
    const { device, detached } = await start();
    const watch = await device.watchCrashes();
    device.crash(PKG, 'crash', 'java.lang.IllegalStateException: boom');
    expect(detached).toEqual([`${PKG}:process-terminated`, `${PKG}:push:process-terminated`]);
    expect(watch.events()).toMatchObject([
      { kind: 'crash', process: PKG, detail: 'java.lang.IllegalStateException: boom' },
    ]);
    expect(device.running(PKG)).toBeUndefined();
    const reasons: string[] = [];
    const s2 = await device.spawn(PKG, {
      agentSource: '',
      onMessage: () => undefined,
      onDetach: (r) => reasons.push(r),
    });
    await s2.resume();
    device.loseDevice();
    expect(reasons).toEqual(['device-lost', 'device-lost']);
    expect(s2.detachReason).toBe('device-lost');
    await expect(device.grantedPermissions(PKG)).rejects.toBeInstanceOf(DeviceError);
  });

  it('kills the app when a granted permission is revoked and refuses undeclared grants', async () => {
    const { device, session } = await start(['android.permission.READ_PHONE_STATE']);
    await expect(device.grant(PKG, 'android.permission.CAMERA')).rejects.toThrow(
      /has not requested permission android\.permission\.CAMERA/,
    );
    await device.revoke(PKG, 'android.permission.READ_PHONE_STATE');
    expect(session.detachReason).toBe('process-terminated');
  });
});

describe('simulated device location', () => {
  it('returns the mock location set on the device to location reads', async () => {
    const { device, ui, calls } = await start([
      'android.permission.READ_PHONE_STATE',
      'android.permission.ACCESS_FINE_LOCATION',
    ]);
    await device.setLocation(48.8566, 2.3522);
    await ui.tap({ by: 'text', value: '同意' }); // main screen: location already granted → on-grant read
    const read = javaCalls(calls, 'getLastKnownLocation').at(-1);
    expect(read?.result).toEqual({
      $class: 'android.location.Location',
      $methods: { getLatitude: 48.8566, getLongitude: 2.3522, getProvider: 'network' },
    });
  });
});

const NOTES = `package: com.example.notes
label: Notes
permissions: [android.permission.READ_CONTACTS]
screens:
  - id: login
    activity: .LoginActivity
    elements:
      - class: android.widget.EditText
        id: user
      - text: Share
        id: share
        bounds: [0, 600, 500, 700]
        on-long-press:
          calls:
            - api: android.content.ContentResolver.query
              args: [content://com.android.contacts/contacts, null, null, null, null]
              result: null
              requires: android.permission.READ_CONTACTS
              if-denied: call
timers:
  - after: 5
    when: foreground
    dialog: { title: Rate us, buttons: [Later] }
`;

describe('simulated device input', () => {
  it('types, long-presses, waits for a timed dialog on the virtual clock and dismisses it', async () => {
    const calls: RecordedCall[] = [];
    const device = new SimDevice({ clock: 'virtual', runtime: recordingRuntime(calls), appiumHelpers: true });
    const pkg = await device.install(parseAppModel(NOTES, 'notes.yaml'));
    const session = await device.spawn(pkg);
    await session.resume();
    const ui = await device.ui();
    await ui.type({ by: 'id', value: 'user' }, 'alice');
    await ui.type({ by: 'id', value: 'user' }, '@example.org', false);
    expect((await ui.find({ by: 'class', value: 'android.widget.EditText' }))?.text).toBe(
      'alice@example.org',
    );
    await expect(ui.type({ by: 'text', value: 'Share' }, 'x')).rejects.toThrow(/does not accept text/);
    await ui.tap({ x: 250, y: 650 }); // not clickable: nothing happens
    expect(javaCalls(calls, 'query')).toHaveLength(0);
    await ui.longPress({ x: 250, y: 650 });
    expect(javaCalls(calls, 'query')).toMatchObject([
      { args: ['content://com.android.contacts/contacts', null, null, null, null], result: null },
    ]);
    expect(await device.appOps(pkg)).toMatchObject([{ op: 'READ_CONTACTS', mode: 'ignore', rejectCount: 1 }]);
    const t0 = device.clock.now();
    const title = await ui.waitFor({ by: 'text', value: 'Rate us' }, 10_000);
    expect(title?.resourceId).toBe('android:id/alertTitle');
    expect(device.clock.now() - t0).toBe(5_000);
    expect(await ui.waitFor({ by: 'text', value: 'Never there' }, 1_000)).toBeNull();
    await ui.tap({ by: 'text', value: 'Later' });
    expect(await ui.find({ by: 'text', value: 'Rate us' })).toBeNull();
    await ui.close();
    await expect(ui.pageSource()).rejects.toThrow(/closed/);
  });
});
