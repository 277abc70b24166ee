// Builds the windows the simulated screen shows: the app's activity from its model screen, an
// app dialog, the system permission dialog, the launcher and the browser (after exit-app).
// Resource ids and texts follow what the real UI shows, so Appium locators carry over.
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../apps/model-load.ts';
import type { DialogSpec, ModelElement } from '../apps/model-types.ts';
import type { SimApp } from '../apps/sim-app.ts';
import { type Bounds, type UiNode, type UiWindow, uiNode } from './ui-tree.ts';

const FULL: Bounds = [0, 0, SCREEN_WIDTH, SCREEN_HEIGHT];
const CONTENT: Bounds = [0, 63, SCREEN_WIDTH, SCREEN_HEIGHT];
export const PERMISSION_PACKAGE = 'com.android.permissioncontroller';
export const LAUNCHER_PACKAGE = 'com.android.launcher3';
export const BROWSER_PACKAGE = 'com.android.chrome';

function frame(pkg: string, children: UiNode[], bounds: Bounds = FULL): UiNode {
  const content = uiNode(
    'android.widget.FrameLayout',
    pkg,
    { resourceId: 'android:id/content', bounds: CONTENT },
    children,
  );
  return uiNode('android.widget.FrameLayout', pkg, { bounds }, [content]);
}

function elementNode(app: SimApp, screenId: string, el: ModelElement, index: number): UiNode {
  const key = `${screenId}#${index}`;
  const data = app.data;
  const checked = data.toggles.get(key) ?? el.checked;
  const editable = el.className.endsWith('EditText');
  const onTap = () => {
    if (!el.enabled) return;
    if (el.checkable) {
      data.toggles.set(key, !checked);
      app.runCalls((checked ? el.onUncheck : el.onCheck) ?? [], 'click');
    }
    if (el.onTap) app.perform(el.onTap, 'click');
  };
  return uiNode(el.className, app.model.packageName, {
    text: editable ? (data.fields.get(key) ?? el.text) : el.text,
    resourceId: el.resourceId,
    contentDesc: el.contentDesc,
    clickable: el.clickable,
    longClickable: el.longClickable,
    checkable: el.checkable,
    checked,
    enabled: el.enabled,
    password: el.password,
    bounds: el.bounds,
    ...(el.clickable ? { onTap } : {}),
    ...(el.onLongPress
      ? { onLongPress: () => app.perform(el.onLongPress ?? { calls: [], requestPermissions: [] }, 'click') }
      : {}),
    ...(editable ? { onType: (text: string) => data.fields.set(key, text) } : {}),
  });
}

function dialogNode(pkg: string, dialog: DialogSpec, press: (index: number) => void): UiNode {
  const left = 90;
  const right = SCREEN_WIDTH - 90;
  const top = 760;
  const bottom = 1520;
  const children: UiNode[] = [];
  if (dialog.title) {
    children.push(
      uiNode('android.widget.TextView', pkg, {
        text: dialog.title,
        resourceId: 'android:id/alertTitle',
        bounds: [left + 60, top + 50, right - 60, top + 130],
      }),
    );
  }
  if (dialog.message) {
    children.push(
      uiNode('android.widget.TextView', pkg, {
        text: dialog.message,
        resourceId: 'android:id/message',
        bounds: [left + 60, top + 160, right - 60, bottom - 200],
      }),
    );
  }
  const n = dialog.buttons.length;
  const width = Math.floor((right - left - 60) / n);
  dialog.buttons.forEach((b, i) => {
    const x = left + 30 + i * width;
    children.push(
      uiNode('android.widget.Button', pkg, {
        text: b.text,
        resourceId: b.resourceId,
        clickable: true,
        bounds: [x, bottom - 160, x + width - 20, bottom - 40],
        onTap: () => press(i),
      }),
    );
  });
  return uiNode('android.widget.FrameLayout', pkg, { bounds: [left, top, right, bottom] }, children);
}

/** The app's windows, bottom first: its activity, then each dialog over it. */
export function appWindows(app: SimApp): UiWindow[] {
  const screen = app.screen;
  if (!screen) return [];
  const pkg = app.model.packageName;
  const out: UiWindow[] = [
    {
      packageName: pkg,
      activity: screen.activity,
      root: frame(
        pkg,
        screen.elements.map((el, i) => elementNode(app, screen.id, el, i)),
      ),
    },
  ];
  for (const d of app.dialogs) {
    out.push({
      packageName: pkg,
      activity: screen.activity,
      root: dialogNode(pkg, d, (i) => app.pressDialogButton(i)),
    });
  }
  return out;
}

const PERMISSION_TEXT: Readonly<Record<string, string>> = {
  READ_PHONE_STATE: 'make and manage phone calls',
  ACCESS_FINE_LOCATION: "access this device's location",
  ACCESS_COARSE_LOCATION: "access this device's location",
  READ_CONTACTS: 'access your contacts',
  CAMERA: 'take pictures and record video',
  RECORD_AUDIO: 'record audio',
  POST_NOTIFICATIONS: 'send you notifications',
  READ_EXTERNAL_STORAGE: 'access photos and media on your device',
  READ_MEDIA_IMAGES: 'access photos and videos on this device',
  READ_MEDIA_VIDEO: 'access photos and videos on this device',
  READ_CALL_LOG: 'access your phone call logs',
  READ_SMS: 'send and view SMS messages',
  READ_CALENDAR: 'access your calendar',
};

/** Photo/video permissions: Android 14+ offers partial access in their dialog. */
const VISUAL_MEDIA = new Set(['READ_MEDIA_IMAGES', 'READ_MEDIA_VIDEO']);

/**
 * The system "Allow <app> to …?" dialog (GrantPermissionsActivity). Button ids as in AOSP
 * PermissionController's grant_permissions layout: on API 34+ a photo/video request shows
 * permission_allow_selected_button ("Select photos and videos", partial access: the requested
 * permission stays denied), permission_allow_all_button ("Allow all") and permission_deny_button.
 */
export function permissionWindow(
  label: string,
  permission: string,
  answer: (allow: boolean) => void,
  apiLevel = 34,
): UiWindow {
  const pkg = PERMISSION_PACKAGE;
  const short = permission.split('.').pop() ?? permission;
  const location = short.includes('LOCATION');
  const id = (s: string) => `${pkg}:id/${s}`;
  const button = (text: string, rid: string, y: number, allow: boolean) =>
    uiNode('android.widget.Button', pkg, {
      text,
      resourceId: id(rid),
      clickable: true,
      bounds: [120, y, 960, y + 130],
      onTap: () => answer(allow),
    });
  const buttons =
    VISUAL_MEDIA.has(short) && apiLevel >= 34
      ? [
          button('Select photos and videos', 'permission_allow_selected_button', 1380, false),
          button('Allow all', 'permission_allow_all_button', 1530, true),
          button("Don't allow", 'permission_deny_button', 1680, false),
        ]
      : location
        ? [
            button('While using the app', 'permission_allow_foreground_only_button', 1380, true),
            button('Only this time', 'permission_allow_one_time_button', 1530, true),
            button("Don't allow", 'permission_deny_button', 1680, false),
          ]
        : [
            button('Allow', 'permission_allow_button', 1380, true),
            button("Don't allow", 'permission_deny_button', 1530, false),
          ];
  const message = uiNode('android.widget.TextView', pkg, {
    text: `Allow ${label} to ${PERMISSION_TEXT[short] ?? `use ${short}`}?`,
    resourceId: id('permission_message'),
    bounds: [120, 1100, 960, 1300],
  });
  const root = uiNode('android.widget.FrameLayout', pkg, { bounds: [60, 1000, 1020, 1860] }, [
    uiNode(
      'android.widget.LinearLayout',
      pkg,
      { resourceId: id('grant_dialog'), bounds: [60, 1000, 1020, 1860] },
      [message, ...buttons],
    ),
  ]);
  return {
    packageName: pkg,
    activity: 'com.android.permissioncontroller.permission.ui.GrantPermissionsActivity',
    root,
  };
}

export function launcherWindow(apps: { label: string; open: () => void }[]): UiWindow {
  const pkg = LAUNCHER_PACKAGE;
  const icons = apps.map((a, i) => {
    const x = 40 + (i % 4) * 260;
    const y = 300 + Math.floor(i / 4) * 320;
    return uiNode('android.widget.TextView', pkg, {
      text: a.label,
      contentDesc: a.label,
      clickable: true,
      longClickable: true,
      bounds: [x, y, x + 220, y + 280],
      onTap: a.open,
    });
  });
  const grid = uiNode(
    'android.view.ViewGroup',
    pkg,
    { resourceId: `${pkg}:id/workspace`, bounds: CONTENT, scrollable: true },
    icons,
  );
  return {
    packageName: pkg,
    activity: 'com.android.launcher3.uioverride.QuickstepLauncher',
    root: uiNode('android.widget.FrameLayout', pkg, { bounds: FULL }, [grid]),
  };
}

export function browserWindow(url: string): UiWindow {
  const pkg = BROWSER_PACKAGE;
  const bar = uiNode('android.widget.EditText', pkg, {
    text: url,
    resourceId: `${pkg}:id/url_bar`,
    clickable: true,
    bounds: [160, 80, 920, 200],
  });
  const page = uiNode('android.webkit.WebView', pkg, {
    text: '',
    resourceId: '',
    scrollable: true,
    bounds: [0, 220, SCREEN_WIDTH, SCREEN_HEIGHT],
  });
  return {
    packageName: pkg,
    activity: 'org.chromium.chrome.browser.ChromeTabbedActivity',
    root: frame(pkg, [bar, page]),
  };
}

/** io.appium.settings' Settings activity (an almost empty layout) while it is in front. */
export function settingsHelperWindow(): UiWindow {
  const pkg = 'io.appium.settings';
  return {
    packageName: pkg,
    activity: 'io.appium.settings.Settings',
    root: frame(pkg, [
      uiNode('android.widget.TextView', pkg, { text: 'Appium Settings', bounds: [40, 200, 1040, 320] }),
    ]),
  };
}
