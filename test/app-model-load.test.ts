import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../harness/errors.ts';
import { loadAppModel, parseAppModel } from '../harness/simulation/apps/model-load.ts';

const DEMO = join(import.meta.dirname, '..', 'scenarios', 'models', 'demo-game.yaml');

const BASE = `package: com.example.app
sdks: { ads: com.ads.sdk }
permissions: [android.permission.READ_PHONE_STATE]
screens:
  - id: home
    activity: .MainActivity
`;

function errorOf(text: string): string {
  try {
    parseAppModel(text, '/tmp/m.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('app model loading', () => {
  it('loads the demo game model with its processes, SDK callers and timers', () => {
    const m = loadAppModel(DEMO);
    expect(m.packageName).toBe('com.starfall.puzzle');
    expect(m.processes).toEqual(['com.starfall.puzzle', 'com.starfall.puzzle:push']);
    const imei = m.onStart.find((c) => c.kind === 'java' && c.method === 'getImei');
    expect(imei?.from).toBe('com.bytedance.sdk.openadsdk');
    expect(imei?.where).toMatch(/^demo-game\.yaml:\d+:\d+$/);
    const native = m.onStart.find((c) => c.kind === 'native');
    expect(native && native.kind === 'native' ? [native.module, native.symbol, native.args] : null).toEqual([
      'libc.so',
      'open',
      ['/proc/net/arp', 0],
    ]);
    expect(m.timers[0]?.everyMs).toBe(20_000);
    expect(m.timers[0]?.action.calls[0]?.process).toBe('com.starfall.puzzle:push');
    expect(m.screens.find((s) => s.id === 'splash')?.activity).toBe('com.starfall.puzzle.SplashActivity');
    expect(m.startRequests).toEqual(['phone']);
    const settings = m.screens.find((s) => s.id === 'settings');
    expect(settings?.elements[0]).toMatchObject({
      className: 'android.widget.Switch',
      checked: true,
      resourceId: 'com.starfall.puzzle:id/switch_personalized',
    });
  });

  it('rejects a method the Android API does not have, at the api value', () => {
    const msg = errorOf(
      `${BASE}on-start:\n  - api: android.telephony.TelephonyManager.getImeiNumber\n    from: ads\n`,
    );
    expect(msg).toBe(
      "m.yaml:8:10: on-start[0].api: 'android.telephony.TelephonyManager' has no method 'getImeiNumber'",
    );
  });

  it('rejects an unknown platform class but accepts classes under a declared SDK', () => {
    expect(errorOf(`${BASE}on-start:\n  - api: android.telephony.TelephoneManager.getImei\n`)).toMatch(
      /^m\.yaml:8:10: on-start\[0\]\.api: unknown class 'android\.telephony\.TelephoneManager'/,
    );
    const m = parseAppModel(`${BASE}on-start:\n  - api: com.ads.sdk.Tracker.collect\n`, 'm.yaml');
    expect(m.onStart[0]).toMatchObject({ kind: 'java', className: 'com.ads.sdk.Tracker', method: 'collect' });
  });

  it('checks the argument count and explicit overloads', () => {
    expect(
      errorOf(`${BASE}on-start:\n  - api: android.app.NotificationManager.notify\n    args: [1]\n`),
    ).toMatch(
      /on-start\[0\]\.api: 'android\.app\.NotificationManager\.notify' takes \d( or \d)* argument\(s\), the call gives 1/,
    );
    expect(
      errorOf(`${BASE}on-start:\n  - api: android.app.NotificationManager.notify\n    overload: [boolean]\n`),
    ).toMatch(/no overload notify\(boolean\)/);
  });

  it('reports YAML syntax errors with their line and column', () => {
    expect(errorOf('package: com.example.app\nscreens: [\n  { id: a\n')).toMatch(/^m\.yaml:\d+:\d+: /);
    expect(
      errorOf('package: com.example.app\nscreens:\n  - id: a\n    activity: .A\n      bad: indent\n'),
    ).toMatch(/^m\.yaml:4:15: Nested mappings/);
  });

  it('names unknown keys, unknown screens, callers, processes and undeclared permissions', () => {
    expect(errorOf(`${BASE}    elemnts: []\n`)).toBe(
      'm.yaml:7:5: screens[0].elemnts: unknown key (expected one of: id, activity, start, elements, on-enter, request-permissions, dialog, dialog-when)',
    );
    expect(errorOf(`${BASE}    elements:\n      - text: Go\n        on-tap: { goto: hom }\n`)).toBe(
      "m.yaml:9:25: screens[0].elements[0].on-tap.goto: unknown screen 'hom' (screens: home)",
    );
    expect(
      errorOf(`${BASE}on-start:\n  - api: android.telephony.TelephonyManager.getImei\n    from: umeng\n`),
    ).toMatch(/^m\.yaml:9:11: on-start\[0\]\.from: unknown caller 'umeng'/);
    expect(
      errorOf(
        `${BASE}on-start:\n  - api: android.telephony.TelephonyManager.getImei\n    process: ':remote'\n`,
      ),
    ).toMatch(/on-start\[0\]\.process: unknown process ':remote'/);
    expect(
      errorOf(`${BASE}permission-requests:\n  - id: cam\n    permissions: [android.permission.CAMERA]\n`),
    ).toBe(
      "m.yaml:9:19: permission-requests[0].permissions[0]: 'android.permission.CAMERA' is not in the model's 'permissions' (the manifest)",
    );
  });

  it('checks the permission request API too', () => {
    expect(
      errorOf(
        `${BASE}permission-requests:\n  - id: p\n    permissions: [android.permission.READ_PHONE_STATE]\n    api: android.app.Activity.askPermissions\n`,
      ),
    ).toBe("m.yaml:10:10: permission-requests[0].api: 'android.app.Activity' has no method 'askPermissions'");
  });

  it('validates sample values and timers', () => {
    expect(errorOf(`${BASE}on-start:\n  - api: com.ads.sdk.A.b\n    result: { packageName: x }\n`)).toMatch(
      /on-start\[0\]\.result: an object value needs \$class/,
    );
    expect(errorOf(`${BASE}timers:\n  - calls: []\n`)).toMatch(
      /timers\[0\]: a timer needs exactly one of 'every' or 'after'/,
    );
    const m = parseAppModel(
      `${BASE}on-start:\n  - api: com.ads.sdk.A.b\n    result: { $list: [1, { $class: x.Y, $fields: { f: true } }] }\n`,
      'm.yaml',
    );
    expect(m.onStart[0]).toMatchObject({ result: { $list: [1, { $class: 'x.Y', $fields: { f: true } }] } });
  });

  it('skips API checks when asked to', () => {
    const m = parseAppModel(`${BASE}on-start:\n  - api: android.Nope.nope\n`, 'm.yaml', { api: false });
    expect(m.onStart[0]).toMatchObject({ className: 'android.Nope', method: 'nope' });
  });
});
