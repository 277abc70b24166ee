// `cmd appops get <pkg>` (Android 10–15) parsed into AppOpRecords, and the op → DataCategory
// map used to set the platform's own access record against what the hooks saw.
import type { DataCategory } from '../../../agent/protocol/messages.ts';
import { APP_OP_MODES, type AppOpMode, type AppOpRecord } from '../types.ts';

/**
 * android.util.TimeUtils.formatDuration output → ms: "+1d2h3m4s5ms", "+5s12ms", "-3m", "0".
 * Undefined when the text is not a duration.
 */
export function parseAndroidDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  const m = /^([+-])?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(t);
  if (!m || t.replace(/^[+-]/, '') === '') return undefined;
  const [, sign, d, h, min, s, ms] = m;
  const total =
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    Number(s ?? 0) * 1_000 +
    Number(ms ?? 0);
  return sign === '-' ? -total : total;
}

function toMode(word: string): AppOpMode {
  return (APP_OP_MODES as readonly string[]).includes(word) ? (word as AppOpMode) : 'default';
}

interface OpLine {
  op: string;
  mode: AppOpMode;
  lastAccessTime?: number;
  lastRejectTime?: number;
  lastDurationMs?: number;
}

function parseOpLine(line: string, now: number): OpLine | undefined {
  // "CAMERA: allow; time=+1m2s345ms ago; rejectTime=+5s ago; duration=+5s" or "RECORD_AUDIO: allow (running)"
  const m = /^([A-Z][A-Z0-9_]*): (?:mode=)?([a-z]+)(.*)$/.exec(line.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const rec: OpLine = { op: m[1], mode: toMode(m[2]) };
  for (const part of (m[3] ?? '').split(';')) {
    const kv = /^\s*(time|rejectTime|duration)=(\S+)(?: ago)?/.exec(part);
    if (!kv?.[1] || !kv[2]) continue;
    const ms = parseAndroidDuration(kv[2]);
    if (ms === undefined) continue;
    if (kv[1] === 'time') rec.lastAccessTime = now - ms;
    else if (kv[1] === 'rejectTime') rec.lastRejectTime = now - ms;
    else rec.lastDurationMs = ms;
  }
  return rec;
}

/**
 * Parses `cmd appops get <pkg>` as of `now` (ms since epoch; times are printed relative to the
 * device clock, so pass the device's time when it differs from the host's).
 * "Uid mode:" lines give uid-wide modes; the package lines (optionally under "Package <pkg>:")
 * carry the access times. A package line wins over a uid line for the same op, except that a
 * uid mode of ignore/deny is kept, because it is what the platform enforces.
 */
export function parseAppOps(text: string, now: number): AppOpRecord[] {
  const byOp = new Map<string, AppOpRecord>();
  const uidModes = new Map<string, AppOpMode>();
  let inUid = false;
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line === 'No operations.' || line.startsWith('Default mode:')) continue;
    if (/^Package \S+:$/.test(line)) {
      inUid = false;
      continue;
    }
    if (line.startsWith('Uid mode:')) {
      inUid = true;
      line = line.slice('Uid mode:'.length).trim();
    }
    const rec = parseOpLine(line, now);
    if (!rec) continue;
    // An op line without timing after "Uid mode:" still belongs to the uid block (the shell prints
    // the prefix once per block); the first line with times starts the package entries.
    const timed = rec.lastAccessTime !== undefined || rec.lastRejectTime !== undefined;
    if (inUid && !timed && !byOp.has(rec.op)) {
      uidModes.set(rec.op, rec.mode);
      continue;
    }
    inUid = false;
    byOp.set(rec.op, rec);
  }
  for (const [op, mode] of uidModes) {
    const rec = byOp.get(op);
    if (!rec) byOp.set(op, { op, mode });
    else if (mode === 'ignore' || mode === 'deny') rec.mode = mode;
  }
  return [...byOp.values()].sort((a, b) => a.op.localeCompare(b.op));
}

const OP_CATEGORIES: Readonly<Record<string, DataCategory>> = {
  CAMERA: 'camera',
  RECORD_AUDIO: 'microphone',
  RECORD_AUDIO_HOTWORD: 'microphone',
  COARSE_LOCATION: 'location',
  FINE_LOCATION: 'location',
  MONITOR_LOCATION: 'location',
  MONITOR_HIGH_POWER_LOCATION: 'location',
  MOCK_LOCATION: 'location',
  WIFI_SCAN: 'location',
  NEIGHBORING_CELLS: 'location',
  ACCESS_MEDIA_LOCATION: 'location',
  READ_CONTACTS: 'contacts',
  WRITE_CONTACTS: 'contacts',
  READ_CALL_LOG: 'call-log',
  WRITE_CALL_LOG: 'call-log',
  READ_SMS: 'sms',
  RECEIVE_SMS: 'sms',
  RECEIVE_MMS: 'sms',
  RECEIVE_WAP_PUSH: 'sms',
  READ_ICC_SMS: 'sms',
  READ_CELL_BROADCASTS: 'sms',
  READ_CALENDAR: 'calendar',
  WRITE_CALENDAR: 'calendar',
  READ_CLIPBOARD: 'clipboard',
  READ_PHONE_STATE: 'device-id',
  READ_DEVICE_IDENTIFIERS: 'device-id',
  READ_PHONE_NUMBERS: 'phone-number',
  GET_ACCOUNTS: 'accounts',
  PROJECT_MEDIA: 'screen-capture',
  SYSTEM_ALERT_WINDOW: 'overlay',
  POST_NOTIFICATION: 'notification',
  QUERY_ALL_PACKAGES: 'installed-apps',
  GET_USAGE_STATS: 'running-apps',
  BODY_SENSORS: 'sensors',
  ACTIVITY_RECOGNITION: 'sensors',
  READ_EXTERNAL_STORAGE: 'media',
  WRITE_EXTERNAL_STORAGE: 'media',
  READ_MEDIA_AUDIO: 'media',
  READ_MEDIA_VIDEO: 'media',
  READ_MEDIA_IMAGES: 'media',
  READ_MEDIA_VISUAL_USER_SELECTED: 'media',
  REQUEST_INSTALL_PACKAGES: 'install-prompt',
  RUN_IN_BACKGROUND: 'background-activity',
  RUN_ANY_IN_BACKGROUND: 'background-activity',
  START_FOREGROUND: 'background-activity',
};

/** Which data category an AppOps op reveals; undefined for ops without one (WAKE_LOCK, VIBRATE …). */
export function appOpCategory(op: string): DataCategory | undefined {
  const name = op.startsWith('OP_') ? op.slice(3) : op;
  return OP_CATEGORIES[name];
}
