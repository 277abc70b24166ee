// How the calibration app obtains the object a hooked instance method is called on. Expressions
// are compiled to smali by smali.ts; `activity` is the running MainActivity. A class the app
// cannot obtain an instance of (a SubscriptionInfo without a SIM, another app's accessibility
// service) gets `none` with the reason, and its calls are "not applicable" on every device.
import type { HookSample } from '../../agent/catalog/types.ts';
import type { AndroidApi } from '../android-api/types.ts';

export type Expr =
  | { op: 'activity' }
  | { op: 'null' }
  | { op: 'string'; value: string }
  | { op: 'number'; type: string; value: number }
  | { op: 'class'; cls: string }
  | { op: 'string-array'; values: string[] }
  | {
      op: 'invoke';
      kind: 'static' | 'virtual' | 'interface';
      cls: string;
      method: string;
      params: string[];
      returns: string;
      target?: Expr;
      args: Expr[];
    }
  | { op: 'new'; cls: string; params: string[]; args: Expr[] };

const A: Expr = { op: 'activity' };
const str = (value: string): Expr => ({ op: 'string', value });
const S = 'java.lang.String';

function virt(
  target: Expr,
  cls: string,
  method: string,
  returns: string,
  params: string[] = [],
  args: Expr[] = [],
): Expr {
  return { op: 'invoke', kind: 'virtual', cls, method, params, returns, target, args };
}
function stat(cls: string, method: string, returns: string, params: string[] = [], args: Expr[] = []): Expr {
  return { op: 'invoke', kind: 'static', cls, method, params, returns, args };
}
const ctxService = (cls: string): Expr =>
  virt(
    A,
    'android.content.Context',
    'getSystemService',
    'java.lang.Object',
    ['java.lang.Class'],
    [{ op: 'class', cls }],
  );
const adapter = stat(
  'android.bluetooth.BluetoothAdapter',
  'getDefaultAdapter',
  'android.bluetooth.BluetoothAdapter',
);
const packageManager = virt(
  A,
  'android.content.Context',
  'getPackageManager',
  'android.content.pm.PackageManager',
);

/** Receivers the generic rules below cannot derive. */
const RECIPES: Readonly<Record<string, Expr | { none: string }>> = {
  'android.app.ApplicationPackageManager': packageManager,
  'android.app.ContextImpl': virt(
    virt(A, 'android.content.Context', 'getApplicationContext', 'android.content.Context'),
    'android.content.ContextWrapper',
    'getBaseContext',
    'android.content.Context',
  ),
  'android.view.WindowManagerImpl': ctxService('android.view.WindowManager'),
  'android.app.Activity': A,
  'android.content.ContextWrapper': A,
  'android.content.ContentResolver': virt(
    A,
    'android.content.Context',
    'getContentResolver',
    'android.content.ContentResolver',
  ),
  'android.content.ContentProviderClient': virt(
    virt(A, 'android.content.Context', 'getContentResolver', 'android.content.ContentResolver'),
    'android.content.ContentResolver',
    'acquireContentProviderClient',
    'android.content.ContentProviderClient',
    [S],
    [str('com.android.contacts')],
  ),
  'android.content.pm.PackageInstaller': virt(
    packageManager,
    'android.content.pm.PackageManager',
    'getPackageInstaller',
    'android.content.pm.PackageInstaller',
  ),
  'android.telephony.SmsManager': stat(
    'android.telephony.SmsManager',
    'getDefault',
    'android.telephony.SmsManager',
  ),
  'android.bluetooth.BluetoothAdapter': adapter,
  'android.bluetooth.le.BluetoothLeScanner': virt(
    adapter,
    'android.bluetooth.BluetoothAdapter',
    'getBluetoothLeScanner',
    'android.bluetooth.le.BluetoothLeScanner',
  ),
  'android.bluetooth.BluetoothDevice': virt(
    adapter,
    'android.bluetooth.BluetoothAdapter',
    'getRemoteDevice',
    'android.bluetooth.BluetoothDevice',
    [S],
    [str('00:11:22:33:44:55')],
  ),
  'android.net.wifi.WifiInfo': virt(
    ctxService('android.net.wifi.WifiManager'),
    'android.net.wifi.WifiManager',
    'getConnectionInfo',
    'android.net.wifi.WifiInfo',
  ),
  'android.location.Location': {
    op: 'new',
    cls: 'android.location.Location',
    params: [S],
    args: [str('gps')],
  },
  'android.location.Geocoder': {
    op: 'new',
    cls: 'android.location.Geocoder',
    params: ['android.content.Context'],
    args: [A],
  },
  'android.telephony.gsm.GsmCellLocation': {
    op: 'new',
    cls: 'android.telephony.gsm.GsmCellLocation',
    params: [],
    args: [],
  },
  'android.telephony.cdma.CdmaCellLocation': {
    op: 'new',
    cls: 'android.telephony.cdma.CdmaCellLocation',
    params: [],
    args: [],
  },
  'java.net.NetworkInterface': stat(
    'java.net.NetworkInterface',
    'getByName',
    'java.net.NetworkInterface',
    [S],
    [str('lo')],
  ),
  'android.webkit.WebView': {
    op: 'new',
    cls: 'android.webkit.WebView',
    params: ['android.content.Context'],
    args: [A],
  },
  'android.webkit.WebChromeClient': {
    op: 'new',
    cls: 'android.webkit.WebChromeClient',
    params: [],
    args: [],
  },
  'android.webkit.GeolocationPermissions': stat(
    'android.webkit.GeolocationPermissions',
    'getInstance',
    'android.webkit.GeolocationPermissions',
  ),
  'android.app.Dialog': {
    op: 'new',
    cls: 'android.app.Dialog',
    params: ['android.content.Context'],
    args: [A],
  },
  'android.widget.Toast': stat(
    'android.widget.Toast',
    'makeText',
    'android.widget.Toast',
    ['android.content.Context', 'java.lang.CharSequence', 'int'],
    [A, str('calibration'), { op: 'number', type: 'int', value: 0 }],
  ),
  'android.widget.PopupWindow': {
    op: 'new',
    cls: 'android.widget.PopupWindow',
    params: ['android.content.Context'],
    args: [A],
  },
  'android.media.MediaRecorder': { op: 'new', cls: 'android.media.MediaRecorder', params: [], args: [] },
  'android.media.AudioRecord': {
    op: 'new',
    cls: 'android.media.AudioRecord',
    params: ['int', 'int', 'int', 'int', 'int'],
    args: [1, 8000, 16, 2, 4096].map((value): Expr => ({ op: 'number', type: 'int', value })),
  },
  'android.speech.SpeechRecognizer': stat(
    'android.speech.SpeechRecognizer',
    'createSpeechRecognizer',
    'android.speech.SpeechRecognizer',
    ['android.content.Context'],
    [A],
  ),
  'java.lang.reflect.Method': virt(
    stat('java.lang.Class', 'forName', 'java.lang.Class', [S], [str('android.telephony.TelephonyManager')]),
    'java.lang.Class',
    'getMethod',
    'java.lang.reflect.Method',
    [S, '[Ljava.lang.Class;'],
    [str('getDeviceId'), { op: 'null' }],
  ),
  'android.media.projection.MediaProjection': {
    none: 'a MediaProjection exists only after the user consents in a system dialog',
  },
  'android.accessibilityservice.AccessibilityService': {
    none: 'only an accessibility service the user enabled has an instance',
  },
  'android.telephony.SubscriptionInfo': { none: 'instances come from the SIM (no public constructor)' },
  'android.telephony.UiccCardInfo': { none: 'instances come from the SIM (no public constructor)' },
};

/** The receiver expression for an instance method of `cls`, or why there is none. */
export function receiverFor(
  cls: string,
  api: AndroidApi,
  sample: HookSample | undefined,
): { expr: Expr } | { none: string } {
  if (cls === 'java.lang.ProcessBuilder') {
    // The command is what the summariser reports: take it from the sample's receiver.
    const self = sample?.self;
    const command =
      self && typeof self === 'object' && '$methods' in self ? self.$methods?.['command'] : undefined;
    const values =
      command && typeof command === 'object' && '$list' in command
        ? command.$list.filter((v): v is string => typeof v === 'string')
        : ['getprop', 'ro.serialno'];
    return {
      expr: { op: 'new', cls, params: ['[Ljava.lang.String;'], args: [{ op: 'string-array', values }] },
    };
  }
  const recipe = RECIPES[cls];
  if (recipe) return 'none' in recipe ? { none: recipe.none } : { expr: recipe };
  if (cls.startsWith('android.telephony.CellIdentity'))
    return { none: 'cell identities come from the modem (getAllCellInfo), not from app code' };
  const info = api.get(cls);
  const simple = cls.slice(cls.lastIndexOf('.') + 1);
  if (info && cls.startsWith('android.') && simple.endsWith('Manager')) return { expr: ctxService(cls) };
  const noArg = info?.constructors.find((c) => c.params.length === 0 && !c.hidden);
  if (info && !info.isAbstract && !info.isInterface && noArg)
    return { expr: { op: 'new', cls, params: [], args: [] } };
  return { none: `no recipe to obtain a ${cls}` };
}
