// Installed and running apps. PackageManager is abstract: every Context hands out the hidden
// concrete android.app.ApplicationPackageManager, so that is the class hooked.
import { intent, list, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const APM = 'android.app.ApplicationPackageManager';
const AM = 'android.app.ActivityManager';
const QUERY_ALL = 'android.permission.QUERY_ALL_PACKAGES';
const OWN = 'com.example.app'; // the simulated runtime's own package
const apps = { category: 'installed-apps' } as const;
const running = { category: 'running-apps' } as const;

export const INSTALLED_APPS_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'packages.get-installed-packages',
    category: 'installed-apps',
    className: APM,
    method: 'getInstalledPackages',
    permission: QUERY_ALL,
    summary: 'list-size',
    hidden: true,
    note: 'QUERY_ALL_PACKAGES (or <queries>) matters from API 30; before that the full list is visible.',
    samples: [
      {
        overload: ['int'],
        args: [0],
        result: list(obj('android.content.pm.PackageInfo'), obj('android.content.pm.PackageInfo')),
        expect: { ...apps, resultIncludes: 'size=2' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'packages.get-installed-applications',
    category: 'installed-apps',
    className: APM,
    method: 'getInstalledApplications',
    permission: QUERY_ALL,
    summary: 'list-size',
    hidden: true,
    samples: [
      {
        overload: ['int'],
        args: [128],
        result: list(obj('android.content.pm.ApplicationInfo')),
        expect: { ...apps, resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'packages.query-intent-activities',
    category: 'installed-apps',
    className: APM,
    method: 'queryIntentActivities',
    permission: QUERY_ALL,
    summary: 'list-size',
    hidden: true,
    note: 'A launcher-intent query enumerates every launchable app.',
    samples: [
      {
        overload: ['android.content.Intent', 'int'],
        args: [intent('android.intent.action.MAIN'), 0],
        result: list(obj('android.content.pm.ResolveInfo')),
        expect: { ...apps, resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'packages.get-package-info',
    category: 'installed-apps',
    className: APM,
    method: 'getPackageInfo',
    permission: QUERY_ALL,
    summary: 'package-arg',
    hidden: true,
    note: 'Not reported when the queried package is the app itself.',
    samples: [
      {
        overload: ['java.lang.String', 'int'],
        args: ['com.tencent.mm', 0],
        result: obj('android.content.pm.PackageInfo'),
        expect: { ...apps, argsIncludes: 'com.tencent.mm' },
      },
      {
        overload: ['java.lang.String', 'int'],
        args: [OWN, 0],
        result: obj('android.content.pm.PackageInfo'),
        expect: null,
      },
      {
        overload: ['android.content.pm.VersionedPackage', 'int'],
        args: [
          obj('android.content.pm.VersionedPackage', { getPackageName: 'com.eg.android.AlipayGphone' }),
          0,
        ],
        result: obj('android.content.pm.PackageInfo'),
        expect: { ...apps, argsIncludes: 'AlipayGphone' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'packages.get-application-info',
    category: 'installed-apps',
    className: APM,
    method: 'getApplicationInfo',
    permission: QUERY_ALL,
    summary: 'package-arg',
    hidden: true,
    note: 'Not reported when the queried package is the app itself.',
    samples: [
      {
        overload: ['java.lang.String', 'int'],
        args: ['com.taobao.taobao', 0],
        result: obj('android.content.pm.ApplicationInfo'),
        expect: { ...apps, argsIncludes: 'com.taobao.taobao' },
      },
      {
        overload: ['java.lang.String', 'int'],
        args: [OWN, 128],
        result: obj('android.content.pm.ApplicationInfo'),
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'activity-manager.get-running-app-processes',
    category: 'running-apps',
    className: AM,
    method: 'getRunningAppProcesses',
    summary: 'list-size',
    note: "Only the caller's own processes from API 22, but the call is still evidence of intent.",
    samples: [
      {
        result: list(obj('android.app.ActivityManager$RunningAppProcessInfo')),
        expect: { ...running, resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'activity-manager.get-running-tasks',
    category: 'running-apps',
    className: AM,
    method: 'getRunningTasks',
    permission: 'android.permission.GET_TASKS',
    summary: 'list-size',
    samples: [{ args: [10], result: list(), expect: { ...running, resultIncludes: 'size=0' } }],
  },
  {
    kind: 'java',
    id: 'activity-manager.get-running-services',
    category: 'running-apps',
    className: AM,
    method: 'getRunningServices',
    summary: 'list-size',
    note: "No permission: from API 26 only the caller's own services are returned; the call is still evidence of intent.",
    samples: [
      {
        args: [100],
        result: list(obj('android.app.ActivityManager$RunningServiceInfo')),
        expect: { ...running, resultIncludes: 'size=1' },
      },
    ],
  },
];
