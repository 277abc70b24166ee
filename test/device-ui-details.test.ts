// UI details of real devices (issue 10, behaviour 10): Android 14's partial media access buttons
// in the permission dialog (AOSP PermissionController ids permission_allow_selected_button,
// permission_allow_all_button, permission_deny_button), and consent detection from ONE page
// source per poll: on Appium every found element costs a find plus ~9 attribute requests.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { centreOf, parseBounds, parsePageSource } from '../harness/device/page-source.ts';
import type { UiDriver } from '../harness/device/types.ts';
import type { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, 'fixtures', 'device', 'media-app.yaml');
const PKG = 'com.example.gallery';
const HEAD = `app: { package: ${PKG}, model: ${MODEL} }\n`;

/** Counts the UI driver's calls by method, per step label. */
function countUiCalls(device: SimDevice): { counts: Map<string, number>; step: { label: string } } {
  const counts = new Map<string, number>();
  const step = { label: '' };
  const open = device.ui.bind(device);
  device.ui = async () => {
    const ui = await open();
    return new Proxy(ui, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const key = `${step.label}|${String(prop)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as UiDriver as typeof ui;
  };
  return { counts, step };
}

describe('Android 14 partial media access in the permission dialog', () => {
  it('allow taps "Allow all" and the permission is granted', async () => {
    const { result, device } = await runOnSim(
      `name: media-allow\n${HEAD}steps:\n  - launch\n  - permission-dialog: { action: allow, permission: READ_MEDIA_IMAGES }\n`,
    );
    expect(result.steps.map((s) => s.outcome)).toEqual(['ok', 'ok']);
    expect(result.steps[1]?.detail).toMatch(/^Allow all/);
    expect(await device.grantedPermissions(PKG)).toContain('android.permission.READ_MEDIA_IMAGES');
  });

  it('deny taps "Don\'t allow", never "Select photos and videos"', async () => {
    const { result, device } = await runOnSim(
      `name: media-deny\n${HEAD}steps:\n  - launch\n  - permission-dialog: { action: deny }\n`,
    );
    expect(result.steps[1]).toMatchObject({ outcome: 'ok' });
    expect(result.steps[1]?.detail).toMatch(/^Don't allow/);
    expect(await device.grantedPermissions(PKG)).toEqual([]);
  });
});

describe('consent detection', () => {
  it('reads one page source per poll and taps the button found there', async () => {
    const device = await simDevice();
    const { counts, step } = countUiCalls(device);
    const { result } = await runOnSim(
      `name: consent-cost\n${HEAD}steps:\n  - launch\n  - permission-dialog: { action: deny }\n  - consent: { labels: [Nope], timeout: 2s }\n    on-error: continue\n  - consent: { labels: [I consent, Agree] }\n`,
      {
        device,
        onProgress: (p) => {
          if (!p.nested) step.label = p.type === 'step-start' ? `${p.index}` : '';
        },
      },
    );
    expect(result.steps.map((s) => s.outcome)).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(result.steps[3]?.detail).toBe('tapped "Agree and continue"');
    const of = (label: string) =>
      Object.fromEntries(
        [...counts].filter(([k]) => k.startsWith(`${label}|`)).map(([k, n]) => [k.slice(2), n]),
      );
    // 2 s of polling every 250 ms: 9 polls, each ONE page source, nothing else (the run may add
    // one more: its best-effort snapshot of the dialog the app showed after the refusal).
    expect(Object.keys(of('3'))).toEqual(['pageSource']);
    expect(of('3').pageSource).toBeGreaterThanOrEqual(9);
    expect(of('3').pageSource).toBeLessThanOrEqual(10);
    // The poll that finds the button, then the evidence snapshots of the consent dialog and of
    // the tap (issue 16/7's UI evidence; at most one more for a dialog the app shows meanwhile).
    expect(of('4').tap).toBe(1);
    expect(Object.keys(of('4')).sort()).toEqual(['pageSource', 'tap']);
    expect(of('4').pageSource).toBeGreaterThanOrEqual(1);
    expect(of('4').pageSource).toBeLessThanOrEqual(4);
  });
});

describe('parsePageSource', () => {
  // UiAutomator2 server's format (AccessibilityNodeInfoDumper): class-named tags, every attribute.
  const XML = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<hierarchy index="0" class="hierarchy" rotation="0" width="1080" height="2400">
  <android.widget.FrameLayout index="0" package="com.android.permissioncontroller" class="android.widget.FrameLayout" text="" resource-id="" checkable="false" checked="false" clickable="false" enabled="true" bounds="[0,0][1080,2400]" displayed="true">
    <android.widget.TextView index="0" package="com.android.permissioncontroller" class="android.widget.TextView" text="Allow &lt;b&gt;Gallery&lt;/b&gt; to access photos &amp; videos on this device?" resource-id="com.android.permissioncontroller:id/permission_message" clickable="false" enabled="true" bounds="[120,1100][960,1300]" />
    <android.widget.Button index="1" package="com.android.permissioncontroller" class="android.widget.Button" text="Select photos and videos" resource-id="com.android.permissioncontroller:id/permission_allow_selected_button" clickable="true" enabled="true" bounds="[120,1380][960,1510]" />
    <android.widget.Button index="2" package="com.android.permissioncontroller" class="android.widget.Button" text="Don&apos;t allow &quot;x&quot; > y" resource-id="com.android.permissioncontroller:id/permission_deny_button" clickable="true" enabled="false" bounds="[120,1680][960,1810]" />
  </android.widget.FrameLayout>
</hierarchy>`;

  it('reads every element with decoded text, ids, flags and bounds', () => {
    const nodes = parsePageSource(XML).map((n) => n.element);
    expect(nodes).toHaveLength(4);
    expect(nodes[1]?.text).toBe('Allow <b>Gallery</b> to access photos & videos on this device?');
    expect(nodes[2]).toMatchObject({
      className: 'android.widget.Button',
      resourceId: 'com.android.permissioncontroller:id/permission_allow_selected_button',
      clickable: true,
      enabled: true,
      bounds: [120, 1380, 960, 1510],
    });
    expect(nodes[3]).toMatchObject({ text: 'Don\'t allow "x" > y', enabled: false });
    expect(centreOf(nodes[3]!)).toEqual({ x: 540, y: 1745 });
  });

  it('is total on junk', () => {
    expect(parsePageSource('not xml <<< at all')).toEqual([]);
    expect(parseBounds('[1,2][3]')).toEqual([0, 0, 0, 0]);
  });
});
