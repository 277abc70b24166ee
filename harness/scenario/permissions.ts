// Permissions grant/revoke/permission-dialog accept. `pm grant` only works on runtime
// ("dangerous") permissions and a few development ones, so an android.permission name outside
// this list is almost certainly a typo. Names from other packages (an app's own) pass through.
import { closest } from './issues.ts';

export const RUNTIME_PERMISSIONS = [
  'ACCEPT_HANDOVER',
  'ACCESS_BACKGROUND_LOCATION',
  'ACCESS_COARSE_LOCATION',
  'ACCESS_FINE_LOCATION',
  'ACCESS_MEDIA_LOCATION',
  'ACTIVITY_RECOGNITION',
  'ANSWER_PHONE_CALLS',
  'BLUETOOTH_ADVERTISE',
  'BLUETOOTH_CONNECT',
  'BLUETOOTH_SCAN',
  'BODY_SENSORS',
  'BODY_SENSORS_BACKGROUND',
  'CALL_PHONE',
  'CAMERA',
  'GET_ACCOUNTS',
  'NEARBY_WIFI_DEVICES',
  'POST_NOTIFICATIONS',
  'PROCESS_OUTGOING_CALLS',
  'READ_CALENDAR',
  'READ_CALL_LOG',
  'READ_CONTACTS',
  'READ_EXTERNAL_STORAGE',
  'READ_MEDIA_AUDIO',
  'READ_MEDIA_IMAGES',
  'READ_MEDIA_VIDEO',
  'READ_MEDIA_VISUAL_USER_SELECTED',
  'READ_PHONE_NUMBERS',
  'READ_PHONE_STATE',
  'READ_SMS',
  'RECEIVE_MMS',
  'RECEIVE_SMS',
  'RECEIVE_WAP_PUSH',
  'RECORD_AUDIO',
  'SEND_SMS',
  'USE_SIP',
  'UWB_RANGING',
  'WRITE_CALENDAR',
  'WRITE_CALL_LOG',
  'WRITE_CONTACTS',
  'WRITE_EXTERNAL_STORAGE',
  // development permissions `pm grant` also accepts
  'DUMP',
  'READ_LOGS',
  'SET_ANIMATION_SCALE',
  'WRITE_SECURE_SETTINGS',
  'CHANGE_CONFIGURATION',
  'PACKAGE_USAGE_STATS',
] as const;
export type RuntimePermission = (typeof RUNTIME_PERMISSIONS)[number];

const ANDROID_PREFIX = 'android.permission.';
const KNOWN: ReadonlySet<string> = new Set(RUNTIME_PERMISSIONS);

/** Full name, or an error message. `camera`, `CAMERA`, `android.permission.CAMERA` → the latter. */
export function normalisePermission(input: string): { ok: string } | { error: string } {
  const s = input.trim();
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(s) || s.startsWith(ANDROID_PREFIX)) {
    const short = (s.startsWith(ANDROID_PREFIX) ? s.slice(ANDROID_PREFIX.length) : s).toUpperCase();
    if (KNOWN.has(short)) return { ok: ANDROID_PREFIX + short };
    const near = nearest(short);
    return {
      error:
        `unknown runtime permission ${JSON.stringify(input)}` +
        (near ? ` (did you mean "${near}"?)` : ' (expected one like CAMERA or ACCESS_FINE_LOCATION)'),
    };
  }
  // an app-defined permission: com.example.permission.C2D_MESSAGE
  if (/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(s)) return { ok: s };
  return {
    error: `expected a permission like CAMERA or android.permission.CAMERA, got ${JSON.stringify(input)}`,
  };
}

function nearest(short: string): string | undefined {
  // prefix/suffix matches first (FINE_LOCATION → ACCESS_FINE_LOCATION), then small edit distance
  const partial = RUNTIME_PERMISSIONS.find(
    (p) => short.length >= 4 && (p.endsWith(short) || p.startsWith(short)),
  );
  if (partial) return partial;
  return closest(short, RUNTIME_PERMISSIONS);
}
