// Summarisers turn one hooked call into a short summary, or null = "do not report this call".
// They run inside the app's process on frida-java-bridge values: Java Strings are JS strings,
// objects expose their methods (`uri.toString()`), fields read as `obj.field.value`, arrays are
// array-likes, native args are NativePointer-likes (readUtf8String(), toInt32()).
// Contract with the installer: `category` overrides the entry's category; `value` is the
// personal value to hash (or send raw when raw values are on) — only set when it is personal;
// `args`/`result` are shown as they are. A summariser never throws: each is wrapped below.

import {
  APK_MIME,
  classifyContentUri,
  ID_PROPERTY_RE,
  INSTALL_ACTIONS,
  NATIVE_PATHS,
  OVERLAY_TYPES,
  SENSOR_TYPES,
  SETTINGS_KEYS,
  SIOCGIFHWADDR,
} from '../catalog/filters.ts';
import { reflectionTargets } from '../catalog/reflection-targets.ts';
import type { SummarizerId } from '../catalog/types.ts';
import type { DataCategory, Destination } from '../protocol/messages.ts';
import { call, call1, cap, cInt, cString, field, items, sizeOf, str } from './java-values.ts';
import { NET_SUMMARIZERS } from './net-summarizers.ts';
import { POPUP_SUMMARIZERS } from './popup-summarizers.ts';
import { FAMILY_SUMMARIZERS } from './summarizers-families.ts';

export interface SummaryInput {
  args: unknown[];
  result: unknown;
  self: unknown;
  ownPackage: string;
}

export interface Summary {
  args?: string;
  result?: string;
  value?: string;
  category?: DataCategory;
  /** network-send: the outgoing bytes (as text) searched for kept values, and where they went. */
  payload?: string;
  net?: Destination;
  /** Report the call only when `payload` carried a kept value (chatty plaintext sockets). */
  onlyIfCarried?: boolean;
}

export type Summarizer = (call: SummaryInput) => Summary | null;

/** AlarmManager type constants (RTC_WAKEUP = 0 … ELAPSED_REALTIME = 3). */
const ALARM_TYPES: Record<number, string> = {
  0: 'RTC_WAKEUP',
  1: 'RTC',
  2: 'ELAPSED_REALTIME_WAKEUP',
  3: 'ELAPSED_REALTIME',
};

/** "string(n)" per length, built once: most results are short strings of a few lengths. */
const STRING_SUMMARIES: string[] = [];

function resultSummary(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    const n = value.length;
    if (n >= 256) return `string(${n})`;
    let text = STRING_SUMMARIES[n];
    if (text === undefined) {
      text = `string(${n})`;
      STRING_SUMMARIES[n] = text;
    }
    return text;
  }
  if (typeof value === 'boolean') return String(value);
  return typeof value === 'number' ? 'number' : 'object';
}

/** Bytes (signed Java bytes) → "aa:bb:cc". */
function hexBytes(list: unknown[]): string {
  return list.map((b) => ((Number(b) + 256) % 256).toString(16).padStart(2, '0')).join(':');
}

function personalValue(result: unknown): string | undefined {
  const arr = typeof result === 'string' ? null : items(result);
  if (arr?.every((b) => typeof b === 'number')) return hexBytes(arr);
  return str(result);
}

function pathSummary(path: string | undefined): Summary | null {
  if (path === undefined) return null;
  const hit = NATIVE_PATHS.find(([re]) => re.test(path));
  return hit ? { args: cap(path), category: hit[1] } : null;
}

function propertySummary(key: string | undefined, value: string | undefined): Summary | null {
  if (key === undefined || !ID_PROPERTY_RE.test(key)) return null;
  const out: Summary = { args: cap(key), result: resultSummary(value) };
  if (value !== undefined && value !== '') out.value = cap(value);
  return out;
}

function intentSummary(intent: unknown): Summary | null {
  const action = str(call(intent, 'getAction'));
  const type = str(call(intent, 'getType'));
  const data = str(call(intent, 'getDataString'));
  const component = str(call(call(intent, 'getComponent'), 'getClassName'));
  const parts: string[] = [];
  if (action) parts.push(`action=${action}`);
  if (type) parts.push(`type=${type}`);
  if (data) parts.push(`data=${data}`);
  if (component) parts.push(`component=${component}`);
  const out: Summary = { args: cap(parts.join(' ') || 'intent') };
  const isApk = type === APK_MIME || (data !== undefined && /\.apk([?#]|$)/i.test(data));
  if ((action === 'android.intent.action.VIEW' && isApk) || (action && INSTALL_ACTIONS.has(action))) {
    out.category = 'install-prompt';
  }
  return out;
}

function permissionNames(value: unknown): string[] | null {
  if (typeof value === 'string') return value.includes('permission') ? [value] : null;
  const arr = items(value);
  if (!arr || arr.length === 0 || !arr.every((p) => typeof p === 'string')) return null;
  return arr as string[];
}

const SUMMARIZERS_RAW: Record<SummarizerId, Summarizer> = {
  ...NET_SUMMARIZERS,
  none: () => ({}),
  'result-value': ({ result }) => {
    const v = personalValue(result);
    const out: Summary = { result: resultSummary(result) };
    if (v !== undefined) out.value = cap(v);
    return out;
  },
  text: ({ args, result }) => {
    const arg = args.find((a) => typeof a === 'string');
    const out: Summary = {};
    if (typeof arg === 'string') out.args = cap(arg);
    const r = str(result);
    if (r !== undefined) out.result = cap(r);
    return out;
  },
  'settings-key': ({ args, result }) => {
    const key = args[1];
    if (typeof key !== 'string') return null;
    const category = SETTINGS_KEYS[key];
    if (!category) return null;
    const out: Summary = { args: key, category, result: resultSummary(result) };
    const v = str(result);
    if (v !== undefined) out.value = cap(v);
    return out;
  },
  'content-uri': ({ args, result }) => {
    for (const a of args.slice(0, 2)) {
      const uri = str(a);
      if (!uri?.startsWith('content://')) continue;
      const [, category] = classifyContentUri(uri);
      if (!category) return null;
      const count = call(result, 'getCount');
      const out: Summary = { args: cap(uri), category };
      if (typeof count === 'number') out.result = `rows=${count}`;
      else if (result === null) out.result = 'null';
      return out;
    }
    return null;
  },
  permissions: ({ args, result }) => {
    for (const a of args) {
      const names = permissionNames(a);
      if (!names) continue;
      const out: Summary = { args: cap(names.join(',')) };
      if (typeof result === 'number') out.result = result === 0 ? 'granted' : 'denied';
      return out;
    }
    return null;
  },
  'permission-result': ({ args }) => {
    const names = items(args[1]);
    const grants = items(args[2]);
    if (!names || !grants) return null;
    const pairs = names.map((n, i) => `${String(n)}=${grants[i] === 0 ? 'granted' : 'denied'}`);
    return { args: cap(pairs.join(',')), result: `request=${String(args[0])}` };
  },
  'permission-result-intent': ({ args }) => {
    const data = args[1];
    const names = items(
      call1(data, 'getStringArrayExtra', 'android.content.pm.extra.REQUEST_PERMISSIONS_NAMES'),
    );
    const grants = items(
      call1(data, 'getIntArrayExtra', 'android.content.pm.extra.REQUEST_PERMISSIONS_RESULTS'),
    );
    if (!names) return { result: `request=${String(args[0])}` };
    const pairs = names.map((n, i) => `${String(n)}=${grants?.[i] === 0 ? 'granted' : 'denied'}`);
    return { args: cap(pairs.join(',')), result: `request=${String(args[0])}` };
  },
  'sms-send': ({ args }) => {
    const to = args[0];
    const text = args.find((a, i) => i > 1 && typeof a === 'string');
    const out: Summary = {};
    if (typeof text === 'string') out.args = `text(${text.length})`;
    if (typeof to === 'string') out.value = cap(to); // the recipient number is personal
    return out;
  },
  'package-arg': ({ args, ownPackage }) => {
    const a = args[0];
    const pkg = typeof a === 'string' ? a : str(call(a, 'getPackageName'));
    if (pkg === undefined || pkg === ownPackage) return null;
    return { args: cap(pkg) };
  },
  intent: ({ args }) => {
    const first = args[0];
    const list = typeof first === 'object' && first !== null && 'length' in first ? items(first) : null;
    if (!list) return intentSummary(first);
    const all = list.map(intentSummary).filter((s): s is Summary => s !== null);
    const install = all.find((s) => s.category === 'install-prompt');
    return { ...(install ?? all[0] ?? {}), args: cap(all.map((s) => s.args).join(' | ')) };
  },
  location: ({ args, result }) => {
    const lat = call(result, 'getLatitude');
    const lon = call(result, 'getLongitude');
    if (typeof lat === 'number' && typeof lon === 'number') {
      const provider = str(call(result, 'getProvider'));
      return { result: `location${provider ? ` (${provider})` : ''}`, value: `${lat},${lon}` };
    }
    if (typeof args[0] === 'number' && typeof args[1] === 'number') {
      // Geocoder.getFromLocation(lat, lon, max): the coordinates are the personal value.
      const n = sizeOf(result);
      const out: Summary = { value: `${args[0]},${args[1]}` };
      if (n !== undefined) out.result = `addresses=${n}`;
      return out;
    }
    const provider = typeof args[0] === 'string' ? args[0] : undefined;
    const out: Summary = { result: resultSummary(result) };
    if (provider) out.args = `provider=${provider}`;
    return out;
  },
  provider: ({ args }) => {
    const provider = args.find((a) => typeof a === 'string');
    return typeof provider === 'string' ? { args: `provider=${cap(provider)}` } : {};
  },
  'list-size': ({ args, result }) => {
    const n = sizeOf(result);
    const out: Summary = { result: n === undefined ? resultSummary(result) : `size=${n}` };
    const arg = args.find((a) => typeof a === 'string');
    if (typeof arg === 'string') out.args = cap(arg);
    return out;
  },
  'window-type': ({ args }) => {
    const type = field(args[1], 'type');
    const name = typeof type === 'number' ? OVERLAY_TYPES[type] : undefined;
    return name ? { args: `type=${type} ${name}` } : null;
  },
  'reflection-target': ({ self, result }) => {
    const cls = str(call(call(self, 'getDeclaringClass'), 'getName'));
    const name = str(call(self, 'getName'));
    if (!cls || !name) return null;
    const target = reflectionTargets().get(`${cls}.${name}`);
    if (!target) return null;
    const out: Summary = { args: cap(`target=${cls}.${name} (${target.id})`), category: target.category };
    out.result = resultSummary(result);
    const v = target.personal ? personalValue(result) : undefined;
    if (v !== undefined) out.value = cap(v);
    return out;
  },
  'foreign-intent': ({ args, ownPackage }) => {
    // startService / bindService / sendBroadcast aimed at another package (explicit component or
    // setPackage); the app's own components and implicit broadcasts are not associated starts.
    const intent = args[0];
    const component = call(intent, 'getComponent');
    const pkg = str(call(component, 'getPackageName')) ?? str(call(intent, 'getPackage'));
    if (pkg === undefined || pkg === ownPackage) return null;
    const cls = str(call(component, 'getClassName'));
    const action = str(call(intent, 'getAction'));
    return {
      args: cap(
        [`package=${pkg}`, cls && `component=${cls}`, action && `action=${action}`].filter(Boolean).join(' '),
      ),
    };
  },
  'job-info': ({ args }) => {
    const job = args[0];
    const parts = ['job'];
    if (call(job, 'isPeriodic') === true) {
      const every = call(job, 'getIntervalMillis');
      parts.push(typeof every === 'number' ? `every ${every / 1000} s` : 'periodic');
    }
    // Persisted: the system runs it again after a reboot (self-start at boot).
    if (call(job, 'isPersisted') === true) parts.push('persisted');
    return { args: parts.join(' ') };
  },
  alarm: ({ args }) => {
    const type = typeof args[0] === 'number' ? args[0] : cInt(args[0]);
    const name = type === undefined ? '?' : (ALARM_TYPES[type] ?? String(type));
    const interval = args.length >= 4 && typeof args[2] === 'number' ? ` every ${args[2] / 1000} s` : '';
    return { args: `alarm ${name}${interval}` };
  },
  'download-request': ({ args }) => {
    const req = args[0];
    const uri = str(field(req, 'mUri'));
    const mime = str(field(req, 'mMimeType'));
    const isApk = mime === APK_MIME || (uri !== undefined && /\.apk([?#]|$)/i.test(uri));
    if (!isApk) return null;
    return { args: cap(`${uri ?? '?'}${mime ? ` type=${mime}` : ''}`) };
  },
  'native-path': ({ args }) => pathSummary(cString(args[0])),
  'native-path-at': ({ args }) => pathSummary(cString(args[1])),
  'native-ioctl': ({ args }) => {
    if (cInt(args[1]) !== SIOCGIFHWADDR) return null;
    const ifName = cString(args[2]); // struct ifreq starts with ifr_name[16]
    return { args: cap(`SIOCGIFHWADDR${ifName ? ` ${ifName}` : ''}`) };
  },
  'native-ifaddrs': ({ result }) => ({ result: cInt(result) === 0 ? 'ok' : 'failed' }),
  'native-property': ({ args }) => propertySummary(cString(args[0]), cString(args[1])),
  'native-property-info': ({ args }) => {
    // bionic prop_info: { uint32 serial; char value[92]; char name[]; } — the name is at +96.
    const pi = args[0];
    const hasAdd = typeof (pi as { add?: unknown } | null)?.add === 'function';
    const viaOffset = hasAdd ? cString(offset(pi, 96)) : undefined;
    const name = viaOffset && /^[\w.@:-]+$/.test(viaOffset) ? viaOffset : cString(pi);
    return propertySummary(name, undefined);
  },
  'property-key': ({ args, result }) =>
    propertySummary(typeof args[0] === 'string' ? args[0] : undefined, str(result)),
  sensor: ({ args }) => {
    const sensor = args[1];
    const type = typeof sensor === 'number' ? sensor : call(sensor, 'getType');
    const typeNum = typeof type === 'number' ? type : typeof args[0] === 'number' ? args[0] : undefined;
    if (typeNum === undefined) return {};
    return { args: `type=${SENSOR_TYPES[typeNum] ?? typeNum}` };
  },
  'clip-data': ({ result }) => {
    if (result === null || result === undefined) return { result: 'empty' };
    // getText's result is declared CharSequence: on a device a wrapper (never unboxed to a JS
    // string), whose toString() is the text; getPrimaryClip's is a ClipData.
    const isClip = typeof (result as { getItemAt?: unknown }).getItemAt === 'function';
    const item = !isClip || call(result, 'getItemCount') === 0 ? undefined : safeItem(result);
    const text = isClip ? str(call(item, 'getText')) : str(result);
    const out: Summary = { result: text === undefined ? 'non-text' : `text(${text.length})` };
    if (text !== undefined) out.value = cap(text);
    return out;
  },
  'self-class': ({ self }) => {
    const own = (self as { $className?: unknown } | null)?.$className;
    const name = typeof own === 'string' ? own : str(call(call(self, 'getClass'), 'getName'));
    return name ? { args: cap(name) } : {};
  },
  'advertising-id': ({ result }) => {
    const id = str(call(result, 'getId'));
    const out: Summary = { result: resultSummary(id) };
    if (id !== undefined) out.value = id;
    return out;
  },
  ...FAMILY_SUMMARIZERS,
  ...POPUP_SUMMARIZERS,
};

function offset(ptr: unknown, by: number): unknown {
  try {
    return (ptr as { add(n: number): unknown }).add(by);
  } catch {
    return undefined;
  }
}

function safeItem(clip: unknown): unknown {
  try {
    return (clip as { getItemAt(i: number): unknown }).getItemAt(0);
  } catch {
    return undefined;
  }
}

/** Guards a summariser: a throw becomes a degraded summary instead of breaking the app's call. */
function guard(id: SummarizerId, fn: Summarizer): Summarizer {
  return (input) => {
    try {
      return fn(input);
    } catch (err) {
      return { args: cap(`summary '${id}' failed: ${err instanceof Error ? err.message : String(err)}`) };
    }
  };
}

export const SUMMARIZERS: Record<SummarizerId, Summarizer> = Object.fromEntries(
  Object.entries(SUMMARIZERS_RAW).map(([id, fn]) => [id, guard(id as SummarizerId, fn)]),
) as Record<SummarizerId, Summarizer>;
