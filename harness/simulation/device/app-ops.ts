// The platform's own access record (AppOpsManager, `adb shell appops get <pkg>`) as the
// simulated device keeps it: derived from the calls the model makes, plus `hidden-ops` the
// model declares on purpose (accesses no hook sees) so coverage-gap analysis can be tested.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { AppOpRecord } from '../../device/types.ts';
import type { ModelCall } from '../apps/model-types.ts';

/** The permission an op is checked against; ops without one are always allowed (see below). */
export const OP_PERMISSIONS: Readonly<Record<string, string>> = {
  READ_PHONE_STATE: 'android.permission.READ_PHONE_STATE',
  READ_PHONE_NUMBERS: 'android.permission.READ_PHONE_NUMBERS',
  FINE_LOCATION: 'android.permission.ACCESS_FINE_LOCATION',
  COARSE_LOCATION: 'android.permission.ACCESS_COARSE_LOCATION',
  READ_CONTACTS: 'android.permission.READ_CONTACTS',
  READ_CALL_LOG: 'android.permission.READ_CALL_LOG',
  READ_SMS: 'android.permission.READ_SMS',
  READ_CALENDAR: 'android.permission.READ_CALENDAR',
  CAMERA: 'android.permission.CAMERA',
  RECORD_AUDIO: 'android.permission.RECORD_AUDIO',
  POST_NOTIFICATION: 'android.permission.POST_NOTIFICATIONS',
  GET_ACCOUNTS: 'android.permission.GET_ACCOUNTS',
};

const METHOD_OPS: Readonly<Record<string, string>> = {
  'android.telephony.TelephonyManager.getDeviceId': 'READ_PHONE_STATE',
  'android.telephony.TelephonyManager.getImei': 'READ_PHONE_STATE',
  'android.telephony.TelephonyManager.getMeid': 'READ_PHONE_STATE',
  'android.telephony.TelephonyManager.getSubscriberId': 'READ_PHONE_STATE',
  'android.telephony.TelephonyManager.getSimSerialNumber': 'READ_PHONE_STATE',
  'android.telephony.TelephonyManager.getLine1Number': 'READ_PHONE_NUMBERS',
  'android.telephony.TelephonyManager.getAllCellInfo': 'FINE_LOCATION',
  'android.telephony.TelephonyManager.getCellLocation': 'FINE_LOCATION',
  'android.location.LocationManager.getLastKnownLocation': 'FINE_LOCATION',
  'android.location.LocationManager.requestLocationUpdates': 'FINE_LOCATION',
  'android.location.LocationManager.requestSingleUpdate': 'FINE_LOCATION',
  'android.location.LocationManager.getCurrentLocation': 'FINE_LOCATION',
  'android.net.wifi.WifiManager.getScanResults': 'WIFI_SCAN',
  'android.content.ClipboardManager.getPrimaryClip': 'READ_CLIPBOARD',
  'android.content.ClipboardManager.getText': 'READ_CLIPBOARD',
  'android.content.ClipboardManager.setPrimaryClip': 'WRITE_CLIPBOARD',
  'android.app.NotificationManager.notify': 'POST_NOTIFICATION',
  'android.app.NotificationManager.notifyAsUser': 'POST_NOTIFICATION',
  'android.hardware.Camera.open': 'CAMERA',
  'android.hardware.camera2.CameraManager.openCamera': 'CAMERA',
  'android.media.AudioRecord.startRecording': 'RECORD_AUDIO',
  'android.media.MediaRecorder.start': 'RECORD_AUDIO',
  'android.accounts.AccountManager.getAccounts': 'GET_ACCOUNTS',
  'android.accounts.AccountManager.getAccountsByType': 'GET_ACCOUNTS',
  'android.view.WindowManagerImpl.addView': 'SYSTEM_ALERT_WINDOW',
};

const AUTHORITY_OPS: readonly [string, string][] = [
  ['com.android.contacts', 'READ_CONTACTS'],
  ['contacts', 'READ_CONTACTS'],
  ['call_log', 'READ_CALL_LOG'],
  ['sms', 'READ_SMS'],
  ['mms', 'READ_SMS'],
  ['mms-sms', 'READ_SMS'],
  ['com.android.calendar', 'READ_CALENDAR'],
];

function uriText(v: SampleValue | undefined): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '$class' in v) {
    const s = v.$methods?.['toString'] ?? v.$methods?.['getAuthority'];
    return typeof s === 'string' ? s : '';
  }
  return '';
}

/** The op the platform records for a model call, if any. */
export function opForCall(call: ModelCall): string | undefined {
  if (call.op) return call.op;
  if (call.kind !== 'java') return undefined; // native reads bypass AppOps: that is the point
  const key = `${call.className}.${call.method}`;
  const direct = METHOD_OPS[key];
  if (direct) return direct;
  if (call.method === 'query' && call.className.endsWith('ContentResolver')) {
    const uri = uriText(call.args[0]);
    const authority = uri.replace(/^content:\/\//, '').split('/')[0] ?? '';
    return AUTHORITY_OPS.find(([a]) => a === authority)?.[1];
  }
  return undefined;
}

/** Whether the platform allows the op now (mirrors AppOpsService's permission-derived modes). */
export function opAllowed(op: string, granted: ReadonlySet<string>, foreground: boolean): boolean {
  if (op === 'READ_CLIPBOARD') return foreground; // Android 10+: no clipboard reads from the background
  const perm = OP_PERMISSIONS[op];
  return perm === undefined || granted.has(perm);
}

export class AppOpsLog {
  private readonly records = new Map<string, AppOpRecord>();

  note(op: string, time: number, allowed: boolean, process: string): void {
    const r = this.records.get(op) ?? { op, mode: 'allow', count: 0, rejectCount: 0 };
    r.mode = allowed ? 'allow' : 'ignore';
    r.lastProcess = process;
    if (allowed) {
      r.count = (r.count ?? 0) + 1;
      r.lastAccessTime = time;
    } else {
      r.rejectCount = (r.rejectCount ?? 0) + 1;
      r.lastRejectTime = time;
    }
    this.records.set(op, r);
  }

  list(): AppOpRecord[] {
    return [...this.records.values()].map((r) => ({ ...r })).sort((a, b) => a.op.localeCompare(b.op));
  }

  clear(): void {
    this.records.clear();
  }
}
