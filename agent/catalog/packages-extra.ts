// More of the package manager: who installed an app, whether it is installed (launch intents),
// which services it exports. Hooked on the hidden concrete ApplicationPackageManager, like
// installed-apps.ts. The user-aware funnels (getPackageInfoAsUser …) are what the public methods
// call internally: hooking them too would report one call twice, so they are left out.
import { intent, list, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const APM = 'android.app.ApplicationPackageManager';
const QUERY_ALL = 'android.permission.QUERY_ALL_PACKAGES';
const apps = { category: 'installed-apps' } as const;

export const PACKAGES_EXTRA_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'packages.get-installer-package-name',
    category: 'installed-apps',
    className: APM,
    method: 'getInstallerPackageName',
    permission: QUERY_ALL,
    summary: 'package-arg',
    hidden: true,
    note: "Another app's installer reveals that app is installed (and where it came from); the app asking about itself is not reported.",
    samples: [
      {
        args: ['com.tencent.mm'],
        result: 'com.android.vending',
        expect: { ...apps, argsIncludes: 'com.tencent.mm' },
      },
      { args: ['com.example.app'], result: 'com.android.vending', expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'packages.get-install-source-info',
    category: 'installed-apps',
    className: APM,
    method: 'getInstallSourceInfo',
    permission: QUERY_ALL,
    summary: 'package-arg',
    hidden: true,
    minApi: 30,
    samples: [
      {
        args: ['com.tencent.mm'],
        result: obj('android.content.pm.InstallSourceInfo'),
        expect: { ...apps, argsIncludes: 'com.tencent.mm' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'packages.get-launch-intent-for-package',
    category: 'installed-apps',
    className: APM,
    method: 'getLaunchIntentForPackage',
    permission: QUERY_ALL,
    summary: 'package-arg',
    hidden: true,
    note: 'A non-null answer proves the package is installed: a classic presence probe.',
    samples: [
      { args: ['com.eg.android.AlipayGphone'], result: intent('android.intent.action.MAIN'), expect: apps },
      { args: ['com.example.app'], result: intent('android.intent.action.MAIN'), expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'packages.query-intent-services',
    category: 'installed-apps',
    className: APM,
    method: 'queryIntentServices',
    permission: QUERY_ALL,
    summary: 'list-size',
    hidden: true,
    samples: [
      {
        overload: ['android.content.Intent', 'int'],
        args: [intent('com.google.android.gms.ads.identifier.service.START'), 0],
        result: list(obj('android.content.pm.ResolveInfo')),
        expect: { ...apps, resultIncludes: 'size=1' },
      },
    ],
  },
];
