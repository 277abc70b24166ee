// Hand-written declarations for hidden/internal platform classes the hook catalog needs. They are
// absent from the public SDK declarations, so they are written here from AOSP sources (API 21+)
// and merged into the index by load.ts with `hidden: true`. Declare only what the catalog hooks.
import type { ApiClass, ApiMethod, ApiType } from './types.ts';

const S: ApiType = 'java.lang.String';

function m(name: string, params: ApiType[], returns: ApiType, extra: Partial<ApiMethod> = {}): ApiMethod {
  return { name, params, returns, isStatic: false, hidden: true, ...extra };
}
function st(name: string, params: ApiType[], returns: ApiType, extra: Partial<ApiMethod> = {}): ApiMethod {
  return m(name, params, returns, { ...extra, isStatic: true });
}

function hiddenClass(name: string, superclass: string | null, methods: ApiMethod[]): ApiClass {
  return {
    name,
    superclass,
    interfaces: [],
    isInterface: false,
    isAbstract: false,
    methods,
    constructors: [],
    hidden: true,
  };
}

const PM = 'android.content.pm.PackageManager';

export const HIDDEN_CLASSES: readonly ApiClass[] = [
  // The concrete PackageManager every Context hands out; PackageManager's methods are abstract.
  hiddenClass('android.app.ApplicationPackageManager', PM, [
    m('getPackageInfo', [S, 'number'], 'android.content.pm.PackageInfo'),
    m('getPackageInfo', ['android.content.pm.VersionedPackage', 'number'], 'android.content.pm.PackageInfo', {
      since: 26,
    }),
    m('getPackageInfo', [S, `${PM}$PackageInfoFlags`], 'android.content.pm.PackageInfo', { since: 33 }),
    m(
      'getPackageInfo',
      ['android.content.pm.VersionedPackage', `${PM}$PackageInfoFlags`],
      'android.content.pm.PackageInfo',
      { since: 33 },
    ),
    m('getApplicationInfo', [S, 'number'], 'android.content.pm.ApplicationInfo'),
    m('getApplicationInfo', [S, `${PM}$ApplicationInfoFlags`], 'android.content.pm.ApplicationInfo', {
      since: 33,
    }),
    m('getInstalledPackages', ['number'], 'java.util.List'),
    m('getInstalledPackages', [`${PM}$PackageInfoFlags`], 'java.util.List', { since: 33 }),
    // Where both getInstalledPackages overloads end (framework-chains.ts delegates to it).
    m('getInstalledPackagesAsUser', ['number', 'number'], 'java.util.List'),
    m('getInstalledPackagesAsUser', [`${PM}$PackageInfoFlags`, 'number'], 'java.util.List', { since: 33 }),
    m('getInstalledApplications', ['number'], 'java.util.List'),
    m('getInstalledApplications', [`${PM}$ApplicationInfoFlags`], 'java.util.List', { since: 33 }),
    m('queryIntentActivities', ['android.content.Intent', 'number'], 'java.util.List'),
    m('queryIntentActivities', ['android.content.Intent', `${PM}$ResolveInfoFlags`], 'java.util.List', {
      since: 33,
    }),
    // Presence probes and install sources (agent/catalog/packages-extra.ts).
    m('getInstallerPackageName', [S], S),
    m('getInstallSourceInfo', [S], 'android.content.pm.InstallSourceInfo', { since: 30 }),
    m('getLaunchIntentForPackage', [S], 'android.content.Intent'),
    m('queryIntentServices', ['android.content.Intent', 'number'], 'java.util.List'),
    m('queryIntentServices', ['android.content.Intent', `${PM}$ResolveInfoFlags`], 'java.util.List', {
      since: 33,
    }),
  ]),
  // Build.SERIAL and many vendor ids are read through it; static, no permission check.
  hiddenClass('android.os.SystemProperties', 'java.lang.Object', [
    st('get', [S], S),
    st('get', [S, S], S),
    st('getInt', [S, 'number'], 'number'),
    st('getLong', [S, 'number'], 'number'),
    st('getBoolean', [S, 'boolean'], 'boolean'),
  ]),
  // Every WindowManager.addView ends here: the one place to see the window type of an overlay.
  {
    ...hiddenClass('android.view.WindowManagerImpl', 'java.lang.Object', [
      m('addView', ['android.view.View', 'android.view.ViewGroup$LayoutParams'], 'void'),
    ]),
    interfaces: ['android.view.WindowManager'],
  },
  // What Context.getSystemService(JOB_SCHEDULER_SERVICE) returns; JobScheduler itself is abstract.
  hiddenClass('android.app.JobSchedulerImpl', 'android.app.job.JobScheduler', [
    m('schedule', ['android.app.job.JobInfo'], 'number'),
  ]),
  // Context.startActivity from a non-Activity context (services, receivers, the Application).
  hiddenClass('android.app.ContextImpl', 'android.content.Context', [
    m('startActivity', ['android.content.Intent'], 'void'),
    m('startActivity', ['android.content.Intent', 'android.os.Bundle'], 'void'),
    m('checkSelfPermission', [S], 'number', { since: 23 }),
    // Where ContextWrapper delegates every service start, bind and broadcast (MIIT 2.2.x).
    m('startService', ['android.content.Intent'], 'android.content.ComponentName'),
    m('bindService', ['android.content.Intent', 'android.content.ServiceConnection', 'number'], 'boolean'),
    m('sendBroadcast', ['android.content.Intent'], 'void'),
  ]),
  // The platform's HttpURLConnection: AOSP's repackaged OkHttp 2 (external/okhttp); the HTTPS
  // implementation delegates to it.
  hiddenClass('com.android.okhttp.internal.huc.HttpURLConnectionImpl', 'java.net.HttpURLConnection', [
    m('connect', [], 'void'),
    m('getOutputStream', [], 'java.io.OutputStream'),
  ]),
];

/** Hidden (@hide / @UnsupportedAppUsage) methods of public classes, merged into those classes. */
export const HIDDEN_METHODS: readonly { className: string; methods: ApiMethod[] }[] = [
  {
    className: 'android.provider.Settings$Secure',
    methods: [st('getStringForUser', ['android.content.ContentResolver', S, 'number'], S)],
  },
  {
    className: 'android.provider.Settings$System',
    methods: [st('getStringForUser', ['android.content.ContentResolver', S, 'number'], S)],
  },
  // Where the framework delivers permission results: apps override onRequestPermissionsResult
  // without calling super, so the base method is an unreliable hook point (private, API 23+).
  {
    className: 'android.app.Activity',
    methods: [
      m('dispatchRequestPermissionsResult', ['number', 'android.content.Intent'], 'void', { since: 23 }),
    ],
  },
  // Package-private final attach(Context): Application-only caller of attachBaseContext (which
  // is ContextWrapper's, so hooking it would fire for every Activity and Service too).
  { className: 'android.app.Application', methods: [m('attach', ['android.content.Context'], 'void')] },
  {
    className: 'android.app.NotificationManager',
    methods: [m('notifyAsUser', [S, 'number', 'android.app.Notification', 'android.os.UserHandle'], 'void')],
  },
  // The per-subscription forms the public no-argument getters delegate to (@UnsupportedAppUsage).
  {
    className: 'android.telephony.TelephonyManager',
    methods: [
      m('getSubscriberId', ['number'], S),
      m('getSimSerialNumber', ['number'], S),
      m('getLine1Number', ['number'], S),
    ],
  },
];
