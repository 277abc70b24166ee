// How the simulated framework's public overloads call each other, as Android's do: the original
// of the first method calls the next one as an ordinary Java call, so a hook on the next one fires
// too (on ART a replaced method runs its replacement for every caller, the framework included).
// Read from AOSP: TelephonyManager.getImei() { return getImei(getSlotIndex()); } and likewise
// getMeid/getSubscriberId/getSimSerialNumber/getLine1Number; ContentResolver.query 5 → 6 args →
// the Bundle form (API 26+); NotificationManager.notify(id, n) → notify(null, id, n) →
// notifyAsUser(tag, id, n, mContext.getUser()); SensorManager.registerListener(l, s, us) →
// registerListener(l, s, us, null); LocationManager.requestLocationUpdates(p, t, d, l) →
// (p, t, d, l, null looper) → (p, LocationRequest, Executor, l) from API 31;
// ApplicationPackageManager.getInstalledPackages(int) → getInstalledPackages(PackageInfoFlags)
// (API 33+) → getInstalledPackagesAsUser(…, getUserId()).
import type { ApiType } from '../../android-api/types.ts';
import { javaObject } from './sample-objects.ts';

export interface Delegation {
  /** Method the original calls next (same receiver). */
  method: string;
  params: ApiType[];
  /** Lowest API level where the original delegates this way. */
  since?: number;
  /** The arguments it passes on. */
  args: (args: unknown[]) => unknown[];
  /** Source line of the call, for the frame the callee sees below it. */
  line: number;
}

const S = 'java.lang.String';
const URI = 'android.net.Uri';
const NOTIFICATION = 'android.app.Notification';
const LISTENER = 'android.location.LocationListener';
const FLAGS = 'android.content.pm.PackageManager$PackageInfoFlags';
const USER = javaObject('android.os.UserHandle', { toString: () => 'UserHandle{0}' });

const slot = (method: string, line: number): Delegation => ({
  method,
  params: ['number'],
  args: () => [0],
  line,
});

/** "declaring.Class.method(params)" (index types) → what its original calls next. */
export const DELEGATIONS: ReadonlyMap<string, readonly Delegation[]> = new Map<string, Delegation[]>([
  ['android.telephony.TelephonyManager.getImei()', [slot('getImei', 2170)]],
  ['android.telephony.TelephonyManager.getMeid()', [slot('getMeid', 2247)]],
  ['android.telephony.TelephonyManager.getSubscriberId()', [slot('getSubscriberId', 4302)]],
  ['android.telephony.TelephonyManager.getSimSerialNumber()', [slot('getSimSerialNumber', 3946)]],
  ['android.telephony.TelephonyManager.getLine1Number()', [slot('getLine1Number', 5118)]],
  [
    `android.content.ContentResolver.query(${URI},[${S},${S},[${S},${S})`,
    [
      {
        method: 'query',
        params: [URI, `[${S}`, S, `[${S}`, S, 'android.os.CancellationSignal'],
        args: (a) => [...a, null],
        line: 1146,
      },
    ],
  ],
  [
    `android.content.ContentResolver.query(${URI},[${S},${S},[${S},${S},android.os.CancellationSignal)`,
    [
      {
        method: 'query',
        params: [URI, `[${S}`, 'android.os.Bundle', 'android.os.CancellationSignal'],
        since: 26,
        args: (a) => [a[0], a[1], javaObject('android.os.Bundle'), a[5]],
        line: 1189,
      },
    ],
  ],
  [
    `android.app.NotificationManager.notify(number,${NOTIFICATION})`,
    [{ method: 'notify', params: [S, 'number', NOTIFICATION], args: (a) => [null, a[0], a[1]], line: 586 }],
  ],
  [
    `android.app.NotificationManager.notify(${S},number,${NOTIFICATION})`,
    [
      {
        method: 'notifyAsUser',
        params: [S, 'number', NOTIFICATION, 'android.os.UserHandle'],
        args: (a) => [...a, USER],
        line: 626,
      },
    ],
  ],
  [
    'android.hardware.SensorManager.registerListener(android.hardware.SensorEventListener,android.hardware.Sensor,number)',
    [
      {
        method: 'registerListener',
        params: [
          'android.hardware.SensorEventListener',
          'android.hardware.Sensor',
          'number',
          'android.os.Handler',
        ],
        args: (a) => [...a, null],
        line: 687,
      },
    ],
  ],
  [
    `android.location.LocationManager.requestLocationUpdates(${S},number,number,${LISTENER})`,
    [
      {
        method: 'requestLocationUpdates',
        params: [S, 'number', 'number', LISTENER, 'android.os.Looper'],
        args: (a) => [...a, null],
        line: 1045,
      },
    ],
  ],
  [
    `android.location.LocationManager.requestLocationUpdates(${S},number,number,${LISTENER},android.os.Looper)`,
    [
      {
        method: 'requestLocationUpdates',
        params: [S, 'android.location.LocationRequest', 'java.util.concurrent.Executor', LISTENER],
        since: 31,
        args: (a) => [
          a[0],
          javaObject('android.location.LocationRequest'),
          javaObject('java.util.concurrent.Executor'),
          a[3],
        ],
        line: 1118,
      },
    ],
  ],
  [
    'android.app.ApplicationPackageManager.getInstalledPackages(number)',
    [
      // API 33+ first: the int form wraps its flags (the list is tried in order).
      {
        method: 'getInstalledPackages',
        params: [FLAGS],
        since: 33,
        args: () => [javaObject(FLAGS)],
        line: 1112,
      },
      {
        method: 'getInstalledPackagesAsUser',
        params: ['number', 'number'],
        args: (a) => [a[0], 0],
        line: 1112,
      },
    ],
  ],
  [
    `android.app.ApplicationPackageManager.getInstalledPackages(${FLAGS})`,
    [
      {
        method: 'getInstalledPackagesAsUser',
        params: [FLAGS, 'number'],
        since: 33,
        args: (a) => [a[0], 0],
        line: 1117,
      },
    ],
  ],
]);

/** The frame a delegated call sees below itself: the delegating method at its source line. */
export function delegationFrame(declaring: string, method: string, line: number): string {
  const simple = declaring.slice(declaring.lastIndexOf('.') + 1).split('$')[0] ?? declaring;
  return `${declaring}.${method}(${simple}.java:${line})`;
}

/** A call the framework makes on its own inside an app call (not a delegation: its result is its own). */
export interface SideCall {
  className: string;
  method: string;
  params: ApiType[];
  args: unknown[];
  result: unknown;
  /** Framework frames between the app's call and the side call, innermost first. */
  frames: string[];
}

const BASEMENT = 'com.google.android.gms:play-services-basement@@18.3.0';

/**
 * Framework checks inside the app's process: the first WebView loads its provider, and
 * WebViewFactory asks the PackageManager for the WebView package (AOSP WebViewFactory.java
 * getWebViewContextAndSetProvider → getPackageInfo(…, GET_SHARED_LIBRARY_FILES | …)); Play
 * services' availability check (bundled play-services-basement, called by Firebase and most
 * Google SDKs) reads com.google.android.gms's PackageInfo with its signatures.
 */
export const SIDE_CALLS: ReadonlyMap<string, readonly SideCall[]> = new Map<string, SideCall[]>([
  [
    'android.webkit.WebView.$init(android.content.Context)',
    [
      {
        className: 'android.app.ApplicationPackageManager',
        method: 'getPackageInfo',
        params: [S, 'number'],
        args: ['com.google.android.webview', 0x10_0400],
        result: javaObject('android.content.pm.PackageInfo'),
        frames: [
          'android.webkit.WebViewFactory.getWebViewContextAndSetProvider(WebViewFactory.java:421)',
          'android.webkit.WebViewFactory.getProviderClass(WebViewFactory.java:487)',
          'android.webkit.WebViewFactory.getProvider(WebViewFactory.java:276)',
          'android.webkit.WebView.getFactory(WebView.java:2643)',
          'android.webkit.WebView.ensureProviderCreated(WebView.java:2637)',
          'android.webkit.WebView.<init>(WebView.java:406)',
        ],
      },
    ],
  ],
  [
    'com.google.android.gms.common.GoogleApiAvailability.isGooglePlayServicesAvailable(android.content.Context)',
    [
      {
        className: 'android.app.ApplicationPackageManager',
        method: 'getPackageInfo',
        params: [S, 'number'],
        args: ['com.google.android.gms', 64],
        result: javaObject('android.content.pm.PackageInfo'),
        frames: [
          `com.google.android.gms.common.GooglePlayServicesUtilLight.isGooglePlayServicesAvailable(${BASEMENT}:15)`,
          `com.google.android.gms.common.GoogleApiAvailabilityLight.isGooglePlayServicesAvailable(${BASEMENT}:1)`,
          `com.google.android.gms.common.GoogleApiAvailability.isGooglePlayServicesAvailable(${BASEMENT}:1)`,
        ],
      },
    ],
  ],
]);

/** A libc call the framework's native code makes for a Java call (JNI → libc). */
export interface NativeSideCall {
  symbol: string;
  args: (args: unknown[]) => (string | number)[];
  /** The native frame that makes it. */
  frame: string;
}

const propertyRead = (a: unknown[]): (string | number)[] => [String(a[0]), 0, 0];

/**
 * SystemProperties.get is native: android_os_SystemProperties.cpp finds the property and reads it
 * with __system_property_read_callback (API 26+), so a Java hook on get() and a libc hook on the
 * read both see one app call.
 */
export const NATIVE_SIDE_CALLS: ReadonlyMap<string, readonly NativeSideCall[]> = new Map([
  [
    `android.os.SystemProperties.get(${S})`,
    [
      {
        symbol: '__system_property_read_callback',
        args: propertyRead,
        frame: 'libandroid_runtime.so!SystemProperties_getSS+0x5c',
      },
    ],
  ],
  [
    `android.os.SystemProperties.get(${S},${S})`,
    [
      {
        symbol: '__system_property_read_callback',
        args: propertyRead,
        frame: 'libandroid_runtime.so!SystemProperties_getSS+0x5c',
      },
    ],
  ],
]);
