// What is worth reporting: the filter tables the summarisers (agent/hooks/summarizers.ts) apply.
// Data, like the rest of the catalog: extend these to watch more keys, paths or authorities.
import type { DataCategory } from '../protocol/messages.ts';

// ── Content URIs ──────────────────────────────────────────────────────────────────────────────
export const AUTHORITY_CATEGORY: Record<string, DataCategory> = {
  'com.android.contacts': 'contacts',
  contacts: 'contacts',
  icc: 'contacts',
  call_log: 'call-log',
  sms: 'sms',
  mms: 'sms',
  'mms-sms': 'sms',
  'com.android.calendar': 'calendar',
  calendar: 'calendar',
  media: 'media',
  browser: 'browser-history',
  'com.android.browser': 'browser-history',
  // vivo's OAID/VAID/AAID provider (content://com.vivo.vms.IdProvider/IdentifierId/OAID).
  'com.vivo.vms.IdProvider': 'device-id',
  // Meizu's OAID provider.
  'com.meizu.flyme.openidsdk': 'device-id',
};

/** content://authority/path → [authority, category] (category undefined = not watched). */
export function classifyContentUri(uri: string): [string, DataCategory | undefined] {
  const m = /^content:\/\/([^/?#]*)/.exec(uri);
  const authority = (m?.[1] ?? '').replace(/^[^@]*@/, ''); // drop a "userId@" prefix
  return [authority, AUTHORITY_CATEGORY[authority]];
}

// ── Keys worth reporting ──────────────────────────────────────────────────────────────────────
export const SETTINGS_KEYS: Record<string, DataCategory> = {
  android_id: 'device-id',
  bluetooth_address: 'network-id',
  bluetooth_name: 'device-id',
};

/** System properties carrying a serial number, IMEI/MEID or SIM identity. */
export const ID_PROPERTY_RE =
  /^(ro\.serialno|ro\.boot\.serialno|ro\.boot\.ap_serial|ro\.boot\.em\.did|ril\.serialnumber|sys\.serialnumber|gsm\..*|persist\..*(imei|meid|serial).*|ro\..*(imei|meid).*|ril\..*(imei|meid).*)$/i;

export const OVERLAY_TYPES: Record<number, string> = {
  2038: 'TYPE_APPLICATION_OVERLAY',
  2003: 'TYPE_SYSTEM_ALERT',
  2005: 'TYPE_TOAST',
  2006: 'TYPE_SYSTEM_OVERLAY',
  2010: 'TYPE_SYSTEM_ERROR',
};

export const SENSOR_TYPES: Record<number, string> = {
  [-1]: 'all',
  1: 'accelerometer',
  2: 'magnetic-field',
  4: 'gyroscope',
  5: 'light',
  8: 'proximity',
  9: 'gravity',
  10: 'linear-acceleration',
  11: 'rotation-vector',
  18: 'step-detector',
  19: 'step-counter',
  21: 'heart-rate',
};

/** Native files that leak identifiers; everything else (/proc/self/maps …) is noise. */
export const NATIVE_PATHS: [RegExp, DataCategory][] = [
  [/^\/proc\/net\/arp$/, 'network-id'],
  [/^\/sys\/class\/net\/[^/]+\/address$/, 'network-id'],
  [/^\/sys\/devices\/soc0\/serial_number$/, 'device-id'],
  [/^\/sys\/block\/mmcblk\d+\/device\/(cid|serial)$/, 'device-id'],
];

export const SIOCGIFHWADDR = 0x8927;
export const APK_MIME = 'application/vnd.android.package-archive';
export const INSTALL_ACTIONS = new Set(['android.intent.action.INSTALL_PACKAGE']);
