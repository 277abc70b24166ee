// Harassment: notifications, dialogs, toasts, overlays, activities started from the background,
// and induced downloads / installs.
import { intent, obj, uri } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const NM = 'android.app.NotificationManager';
const APK = 'application/vnd.android.package-archive';
// The simulated Bundle answers get/getCharSequence/getString(key) from its $fields
// (harness/simulation/runtime/sample-objects.ts).
const notification = (fullScreen: boolean) =>
  obj(
    'android.app.Notification',
    { getChannelId: 'promo' },
    {
      fullScreenIntent: fullScreen ? obj('android.app.PendingIntent') : null,
      extras: obj('android.os.Bundle', {}, { 'android.title': '限时福利', 'android.text': '点击领取红包' }),
      tickerText: null,
    },
  );
const layoutParams = (type: number) => obj('android.view.WindowManager$LayoutParams', {}, { type });
const bg = { category: 'background-activity' } as const;
const install = { category: 'install-prompt' } as const;
const INTENT_NOTE =
  'Every start is reported with the foreground flag; ACTION_VIEW of an APK or ACTION_INSTALL_PACKAGE becomes install-prompt.';

export const POPUP_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'notification.notify',
    category: 'notification',
    className: NM,
    method: 'notify',
    overloads: [
      ['int', 'android.app.Notification'],
      ['java.lang.String', 'int', 'android.app.Notification'],
    ],
    permission: 'android.permission.POST_NOTIFICATIONS',
    summary: 'notification',
    note: "Restricted: the bare notify() is java.lang.Object's monitor method. POST_NOTIFICATIONS from API 33.",
    samples: [
      {
        overload: ['int', 'android.app.Notification'],
        args: [42, notification(false)],
        expect: {
          category: 'notification',
          argsIncludes: 'id=42 channel=promo title="限时福利" text="点击领取红包"',
        },
      },
      {
        overload: ['java.lang.String', 'int', 'android.app.Notification'],
        args: ['ad', 1, notification(true)],
        expect: { category: 'notification', argsIncludes: 'full-screen-intent' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'notification.notify-as-user',
    category: 'notification',
    className: NM,
    method: 'notifyAsUser',
    summary: 'notification',
    hidden: true,
    samples: [
      {
        args: ['ad', 3, notification(true), obj('android.os.UserHandle')],
        expect: { category: 'notification', argsIncludes: 'tag=ad' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'dialog.show',
    category: 'dialog',
    className: 'android.app.Dialog',
    method: 'show',
    summary: 'dialog-text',
    selfAs: ['android.app.AlertDialog', 'androidx.appcompat.app.AlertDialog'],
    samples: [
      {
        self: obj(
          'android.app.AlertDialog',
          { getClass: obj('java.lang.Class', { getName: 'android.app.AlertDialog' }) },
          {
            mAlert: obj(
              'com.android.internal.app.AlertController',
              {},
              {
                mTitle: '新版本',
                mMessage: '立即开始游戏',
                mButtonPositiveText: '好的',
                mButtonNegativeText: null,
              },
            ),
          },
        ),
        expect: {
          category: 'dialog',
          argsIncludes: 'AlertDialog title="新版本" message="立即开始游戏" positive="好的"',
        },
      },
    ],
  },
  {
    kind: 'java',
    id: 'toast.show',
    category: 'toast',
    className: 'android.widget.Toast',
    method: 'show',
    summary: 'toast-text',
    samples: [
      { expect: { category: 'toast' } },
      {
        self: obj('android.widget.Toast', {}, { mText: '客服电话 400 123 4567' }),
        expect: { category: 'toast', argsIncludes: 'text="客服电话 [redacted]"' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'popup-window.show-at-location',
    category: 'dialog',
    className: 'android.widget.PopupWindow',
    method: 'showAtLocation',
    summary: 'none',
    samples: [{ args: [obj('android.view.View'), 17, 0, 0], expect: { category: 'dialog' } }],
  },
  {
    kind: 'java',
    id: 'popup-window.show-as-drop-down',
    category: 'dialog',
    className: 'android.widget.PopupWindow',
    method: 'showAsDropDown',
    summary: 'none',
    samples: [
      { overload: ['android.view.View'], args: [obj('android.view.View')], expect: { category: 'dialog' } },
    ],
  },
  {
    kind: 'java',
    id: 'window.add-view',
    category: 'overlay',
    className: 'android.view.WindowManagerImpl',
    method: 'addView',
    permission: 'android.permission.SYSTEM_ALERT_WINDOW',
    summary: 'window-type',
    hidden: true,
    note: 'Reported only for overlay window types (2038, 2003, 2005, 2006, 2010).',
    samples: [
      {
        args: [obj('android.view.View'), layoutParams(2038)],
        expect: { category: 'overlay', argsIncludes: 'TYPE_APPLICATION_OVERLAY' },
      },
      {
        args: [obj('android.view.View'), layoutParams(2003)],
        expect: { category: 'overlay', argsIncludes: 'TYPE_SYSTEM_ALERT' },
      },
      { args: [obj('android.view.View'), layoutParams(2)], expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'activity.start-activity',
    category: 'background-activity',
    className: 'android.app.Activity',
    method: 'startActivityForResult',
    overloads: [['android.content.Intent', 'int', 'android.os.Bundle']],
    summary: 'intent',
    note: `Activity.startActivity(…) and startActivityForResult(…) all end in this overload, so each start is reported once. ${INTENT_NOTE}`,
    samples: [
      {
        overload: ['android.content.Intent', 'int', 'android.os.Bundle'],
        args: [intent('android.intent.action.VIEW', { component: 'com.ads.LandingActivity' }), -1, null],
        expect: { ...bg, argsIncludes: 'com.ads.LandingActivity' },
      },
      {
        overload: ['android.content.Intent', 'int', 'android.os.Bundle'],
        args: [intent('android.intent.action.VIEW', { type: APK, data: 'file:///sdcard/x.apk' }), -1, null],
        expect: { ...install, argsIncludes: APK },
      },
    ],
  },
  {
    kind: 'java',
    id: 'activity.start-activities',
    category: 'background-activity',
    className: 'android.app.Activity',
    method: 'startActivities',
    overloads: [['[Landroid.content.Intent;', 'android.os.Bundle']],
    summary: 'intent',
    note: `startActivities(Intent[]) delegates to this overload. ${INTENT_NOTE}`,
    samples: [
      {
        overload: ['[Landroid.content.Intent;', 'android.os.Bundle'],
        args: [{ $array: [intent('android.intent.action.MAIN', { component: 'com.ads.A' })] }, null],
        expect: { ...bg, argsIncludes: 'com.ads.A' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'context.start-activity',
    category: 'background-activity',
    className: 'android.app.ContextImpl',
    method: 'startActivity',
    overloads: [['android.content.Intent', 'android.os.Bundle']],
    summary: 'intent',
    hidden: true,
    note: `Starts from services, receivers and the Application (startActivity(Intent) delegates here). ${INTENT_NOTE}`,
    samples: [
      {
        overload: ['android.content.Intent', 'android.os.Bundle'],
        args: [intent('android.intent.action.INSTALL_PACKAGE', { data: 'content://x/y.apk' }), null],
        expect: install,
      },
      {
        overload: ['android.content.Intent', 'android.os.Bundle'],
        args: [intent(null, { component: 'com.ads.SplashAd' }), null],
        expect: { ...bg, argsIncludes: 'SplashAd' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'download.enqueue',
    category: 'install-prompt',
    className: 'android.app.DownloadManager',
    method: 'enqueue',
    summary: 'download-request',
    note: 'Reported only for APK downloads (.apk URL or the package-archive MIME type).',
    samples: [
      {
        args: [
          obj(
            'android.app.DownloadManager$Request',
            {},
            { mUri: uri('https://cdn.example/game.apk'), mMimeType: null },
          ),
        ],
        result: 17,
        expect: { ...install, argsIncludes: 'game.apk' },
      },
      {
        args: [
          obj(
            'android.app.DownloadManager$Request',
            {},
            { mUri: uri('https://cdn.example/video.mp4'), mMimeType: 'video/mp4' },
          ),
        ],
        result: 18,
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'package-installer.create-session',
    category: 'install-prompt',
    className: 'android.content.pm.PackageInstaller',
    method: 'createSession',
    permission: 'android.permission.REQUEST_INSTALL_PACKAGES',
    summary: 'none',
    samples: [
      { args: [obj('android.content.pm.PackageInstaller$SessionParams')], result: 5, expect: install },
    ],
  },
];
