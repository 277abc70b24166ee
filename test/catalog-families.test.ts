// The privacy families a lab checks (issue 13): each has entries with a permission or a note on
// why none guards it, a category and a summariser, and each entry fires exactly one event per
// call when the calibration app's model calls every overload (simulated device, real agent).
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_BY_ID } from '../agent/catalog/index.ts';
import type { JavaHookEntry } from '../agent/catalog/types.ts';
import { buildPlan } from '../harness/calibration/plan.ts';
import { type CalibrationReport, calibrationVerdicts } from '../harness/calibration/results.ts';
import { simulateCalibration } from '../harness/calibration/simulate.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const FAMILIES: Record<string, string[]> = {
  'SIM and subscription identity': [
    'subscription.get-active-subscription-info-list',
    'subscription.get-active-subscription-info',
    'subscription.get-phone-number',
    'telephony.get-sim-country-iso',
    'telephony.get-sim-operator-name',
    'telephony.get-network-country-iso',
    'telephony.get-uicc-cards-info',
  ],
  'cell identity and location': [
    'gsm-cell-location.get-cid',
    'gsm-cell-location.get-lac',
    'cdma-cell-location.get-base-station-id',
    'cdma-cell-location.get-base-station-latitude',
    'telephony.get-all-cell-info',
    'telephony.listen',
    'telephony.register-telephony-callback',
  ],
  'location objects': [
    'location-object.get-latitude',
    'location-object.get-longitude',
    'location-object.get-altitude',
    'location-object.get-accuracy',
    'location-object.get-time',
    'location-result.get-last-location',
    'location-result.get-locations',
  ],
  'usage and processes': [
    'usage-stats.query-usage-stats',
    'usage-stats.query-events',
    'activity-manager.get-running-services',
    'process.start',
  ],
  'ad and device ids': [
    'ad-id.bind-service',
    'ad-id.huawei-get-advertising-id-info',
    'ad-id.honor-get-advertising-id-info',
    'ad-id.app-set-get-client',
    'ad-id.google-info-get-id',
    'oaid.xiaomi-oaid',
  ],
  packages: [
    'packages.get-installer-package-name',
    'packages.get-launch-intent-for-package',
    'packages.query-intent-services',
  ],
  webview: ['webview.geolocation-prompt', 'webview.geolocation-allow', 'webview.add-javascript-interface'],
  'bluetooth and wi-fi': [
    'bluetooth-adapter.get-bonded-devices',
    'bluetooth-adapter.start-discovery',
    'bluetooth-le-scanner.start-scan',
    'bluetooth-device.get-name',
    'wifi-manager.get-scan-results',
    'wifi-info.get-ssid',
    'wifi-info.get-bssid',
    'connectivity.get-active-network-info',
    'network-interface.get-inet-addresses',
  ],
  'content, media, clipboard, screen, accessibility': [
    'sms.send-text-message',
    'content.resolver-query',
    'content.register-content-observer',
    'content.open-input-stream',
    'camerax.take-picture',
    'clipboard.add-primary-clip-changed-listener',
    'media-projection.create-screen-capture-intent',
    'accessibility.get-enabled-service-list',
  ],
  'build serial': ['build.get-serial'],
};

let report: CalibrationReport;
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
  const plan = buildPlan();
  report = calibrationVerdicts(plan, simulateCalibration(plan, { agentPath, apiLevel: 34 }), 34, 'sim');
}, 120_000);

describe.each(Object.entries(FAMILIES))('%s', (_family, ids) => {
  it('has its entries, each with a category, a summariser and a permission or a note', () => {
    for (const id of ids) {
      const e = CATALOG_BY_ID.get(id) as JavaHookEntry | undefined;
      expect(e, id).toBeDefined();
      if (!e) continue;
      expect(e.summary, id).toBeDefined();
      expect(e.permission ?? e.permissionByCategory ?? e.note, `${id}: permission or a note`).toBeDefined();
    }
  });

  it('one call = one event for every overload the calibration app calls', () => {
    for (const id of ids) {
      const entry = report.entries.find((x) => x.hook === id);
      expect(entry?.verdict, `${id}: ${JSON.stringify(entry?.calls)}`).toBe('fired-once');
    }
  });
});

describe('Build.SERIAL', () => {
  it('the note says what cannot be seen, and where the serial is seen instead', () => {
    const note = (CATALOG_BY_ID.get('build.get-serial') as JavaHookEntry).note ?? '';
    expect(note).toMatch(/static final field/);
    expect(note).toMatch(/zygote/);
    expect(note).not.toMatch(/cannot be hooked: see system-properties\.get/);
    expect(note).toMatch(/system-properties\.get/);
  });
});

describe('Runtime.exec', () => {
  function execEvents(apiLevel: number, command: string | string[]) {
    const rt = createSimRuntime({ packageName: 'com.example.app', apiLevel });
    rt.loadAgent(agentPath);
    rt.rpc.configure({ hashSalt: 'exec' });
    rt.app.call('java.lang.Runtime', 'exec', {
      overload: [typeof command === 'string' ? 'java.lang.String' : '[Ljava.lang.String;'],
      args: [typeof command === 'string' ? command : { $array: command }],
      self: { $class: 'java.lang.Runtime' },
      result: { $class: 'java.lang.Process' },
      stack: ['com.example.sdk.Probe.run(Probe.java:3)'],
    });
    rt.rpc.flush();
    const frames = new Map<number, string[]>();
    const events = rt.messages.flatMap((m) => {
      if (m.type !== 'events') return [];
      for (const st of m.stacks) frames.set(st.id, st.frames);
      return m.events;
    });
    return events.map((e) => ({ ...e, frames: e.stack === undefined ? [] : (frames.get(e.stack) ?? []) }));
  }

  it('is one process.start event (API 24+: exec builds a ProcessBuilder), with exec in the stack', () => {
    for (const command of ['getprop ro.serialno', ['sh', '-c', 'pm list packages']]) {
      const events = execEvents(34, command);
      expect(events.map((e) => e.hook)).toEqual(['process.start']);
      expect(events[0]?.frames.some((f) => f.startsWith('java.lang.Runtime.exec('))).toBe(true);
    }
    expect(execEvents(34, 'getprop ro.serialno')[0]?.category).toBe('device-id');
    expect(execEvents(34, ['sh', '-c', 'pm list packages'])[0]?.category).toBe('installed-apps');
  });

  it('is not seen before API 24, where exec bypassed ProcessBuilder (as the entry notes)', () => {
    expect(execEvents(23, 'getprop ro.serialno')).toEqual([]);
    expect((CATALOG_BY_ID.get('process.start') as JavaHookEntry).note).toMatch(/Runtime\.exec.*API 24/);
    // Hooking Runtime.exec as well would report one exec twice.
    expect(
      [...CATALOG_BY_ID.values()].some((e) => e.kind === 'java' && e.className === 'java.lang.Runtime'),
    ).toBe(false);
  });
});
