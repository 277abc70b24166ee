// The calibration plan: one call per Java catalog target and overload, generated from the catalog
// and the Android API declarations. The smali generator (smali.ts) turns it into the calibration
// APK; model.ts into an app model of the same app for the simulator; results.ts reads a run of
// either back into per-entry verdicts. Each call lives in its own method Calls.c<N>() (so the
// event's stack names the call) and is preceded by a marker (Log.i with "<N> <hook>").
import { CATALOG } from '../../agent/catalog/index.ts';
import type { HookSample, JavaHookEntry, SampleValue } from '../../agent/catalog/types.ts';
import { fridaToApiType, loadAndroidApi, typeMatches } from '../android-api/load.ts';
import type { AndroidApi, ApiMethod } from '../android-api/types.ts';
import { NUMBER_ARRAY_PARAMS, NUMBER_PARAMS, NUMBER_RETURNS } from './exact-types.ts';
import { type Expr, receiverFor } from './receivers.ts';

export const CAL_PACKAGE = 'com.overreach.calibration';
export const CALLS_CLASS = `${CAL_PACKAGE}.Calls`;
export const ACTIVITY_CLASS = `${CAL_PACKAGE}.MainActivity`;
export const MARKER_TAG = 'overreach-calibration';

export interface CalibrationArg {
  /** Frida type name: 'int', 'java.lang.String', '[B', 'android.net.Uri'. */
  type: string;
  value: SampleValue;
}

export interface CalibrationCall {
  index: number;
  hook: string;
  className: string;
  method: string;
  params: string[];
  /** Frida type name of the result ('void' for none). */
  returns: string;
  isStatic: boolean;
  minApi: number;
  maxApi: number | null;
  /** A class bundled in the calibration APK as a stub (lazy SDK entries). */
  stub: boolean;
  /** How the smali obtains the receiver; null for static calls. */
  receiver: Expr | null;
  /** The receiver in the simulator (sample self or an object of the class). */
  self: SampleValue | null;
  args: CalibrationArg[];
  /** What the simulated original returns. */
  result: SampleValue | undefined;
  /** Why the call cannot reach the hook from app code, when it cannot. */
  notApplicable?: string;
  /** Only the framework may call it (protected/private lifecycle methods): no call site is emitted. */
  frameworkOnly?: boolean;
}

const BASE_API = 21;

/** Entries the framework drives, not app code: calibrated by launching the app, not listed here. */
const FRAMEWORK_ONLY: Readonly<Record<string, string>> = {
  'permissions.dispatch-result': 'private framework method (the platform calls it with a result)',
};

/**
 * Entries the calibration app cannot exercise with a stub: the hook reads a live object the app
 * would build through the library (OkHttp's request inside its RealCall), so a bundled stub
 * calls the hook with nothing to report. Calibrated on a device by an app that uses OkHttp.
 */
const NEEDS_LIBRARY: Readonly<Record<string, string>> = {
  'okhttp4.real-call-execute': "needs a live OkHttp call (the hook reads the call's request)",
  'okhttp4.real-call-enqueue': "needs a live OkHttp call (the hook reads the call's request)",
  'okhttp3.real-call-execute': "needs a live OkHttp call (the hook reads the call's request)",
  'okhttp3.real-call-enqueue': "needs a live OkHttp call (the hook reads the call's request)",
};

function apiToFrida(t: string, exactNumber: string | undefined, exactArray: string | undefined): string {
  if (t === 'number') return exactNumber ?? 'int';
  if (t === '[number') return exactArray ?? '[I';
  if (t === 'java.lang.Object') return 'java.lang.Object';
  if (t.startsWith('[')) return `[L${t.slice(1)};`;
  return t;
}

function methodKey(e: JavaHookEntry, m: ApiMethod): string {
  return `${e.className}.${e.method}(${m.params.join(',')})`;
}

/**
 * Exact Frida parameter types of a declared overload: the catalog entry's own overload when it
 * names one that matches (it spells int/long/double), else the hand-written table.
 */
export function exactParams(e: JavaHookEntry, m: ApiMethod): string[] {
  const own = e.overloads?.find(
    (o) => o.length === m.params.length && o.every((t, i) => typeMatches(t, m.params[i] ?? '')),
  );
  if (own) return [...own];
  const nums = [...(NUMBER_PARAMS[methodKey(e, m)] ?? [])];
  const arrays = [...(NUMBER_ARRAY_PARAMS[methodKey(e, m)] ?? [])];
  return m.params.map((t) =>
    apiToFrida(t, t === 'number' ? nums.shift() : undefined, t === '[number' ? arrays.shift() : undefined),
  );
}

function exactReturn(e: JavaHookEntry, m: ApiMethod): string {
  if (m.returns === 'number') return NUMBER_RETURNS[`${e.className}.${e.method}`] ?? 'int';
  if (m.returns === 'string') return 'char';
  return apiToFrida(m.returns, undefined, undefined);
}

function declared(api: AndroidApi, e: JavaHookEntry): ApiMethod[] {
  const all =
    e.method === '$init'
      ? (api.get(e.className)?.constructors ?? [])
      : api.findMethods(e.className, e.method);
  // Nearest declaration first: drop inherited duplicates of the same parameter list.
  const seen = new Set<string>();
  const out: ApiMethod[] = [];
  for (const m of all) {
    const k = m.params.join(',');
    if (seen.has(k)) continue;
    seen.add(k);
    if (
      e.overloads &&
      !e.overloads.some(
        (o) => o.length === m.params.length && o.every((t, i) => typeMatches(t, m.params[i] ?? '')),
      )
    )
      continue;
    out.push(m);
  }
  return out;
}

const sameTypes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t, i) => t === b[i]);

/** The positive sample for an overload: same types, else the default (first declared) one. */
function sampleFor(e: JavaHookEntry, params: string[], first: boolean): HookSample | undefined {
  const positive = e.samples.filter((s) => s.expect !== null);
  return (
    positive.find((s) => s.overload && sameTypes(s.overload, params)) ??
    (first ? positive.find((s) => !s.overload && (s.args?.length ?? 0) === params.length) : undefined)
  );
}

/** A value for a parameter of `type`: the sample's, else any sample arg of that type, else a default. */
function argFor(e: JavaHookEntry, type: string, i: number, sample: HookSample | undefined): SampleValue {
  if (sample?.args && i < sample.args.length) return sample.args[i] ?? null;
  for (const s of e.samples) {
    if (s.expect === null || !s.overload || !s.args) continue;
    const at = s.overload.indexOf(type);
    if (at >= 0 && at < s.args.length) return s.args[at] ?? null;
  }
  if (['int', 'long', 'short', 'byte', 'float', 'double', 'char'].includes(type)) return 0;
  if (type === 'boolean') return false;
  return null;
}

/**
 * Calls that would act on the world get an argument the platform rejects before acting: an SMS
 * to "" throws IllegalArgumentException inside SmsManager (after the hook has fired), so a
 * calibration on a phone with SEND_SMS granted never sends a message.
 */
function safeArg(hook: string, i: number, v: SampleValue): SampleValue {
  if (hook.startsWith('sms.send') && i === 0 && (typeof v === 'string' || v === null)) return '';
  return v;
}

function lazyReturn(sample: HookSample | undefined): string {
  const r = sample?.result;
  if (r === undefined) return 'void';
  if (typeof r === 'string') return 'java.lang.String';
  if (typeof r === 'number') return 'int';
  if (typeof r === 'boolean') return 'boolean';
  if (r !== null && typeof r === 'object' && '$class' in r) return r.$class;
  if (r !== null && typeof r === 'object' && '$list' in r) return 'java.util.List';
  return 'java.lang.Object';
}

export function buildPlan(api: AndroidApi = loadAndroidApi(), catalog = CATALOG): CalibrationCall[] {
  const calls: CalibrationCall[] = [];
  for (const e of catalog) {
    if (e.kind !== 'java') continue;
    const frameworkOnly =
      e.category === 'lifecycle' && e.id.startsWith('lifecycle.')
        ? 'driven by the framework (app start and activity lifecycle)'
        : FRAMEWORK_ONLY[e.id];
    const needsLibrary = NEEDS_LIBRARY[e.id];
    if (e.lazy && !api.get(e.className)) {
      // Bundled SDK classes: the calibration APK carries a stub of the class (static methods).
      const overloads = new Map<string, HookSample>();
      for (const s of e.samples) if (s.expect !== null && s.overload) overloads.set(s.overload.join(','), s);
      for (const s of overloads.values()) {
        const params = s.overload ?? [];
        calls.push({
          index: calls.length,
          hook: e.id,
          className: e.className,
          method: e.method,
          params,
          returns: e.method === '$init' ? 'void' : lazyReturn(s),
          isStatic: e.method !== '$init',
          minApi: BASE_API,
          maxApi: null,
          stub: true,
          receiver: null,
          self: null,
          args: params.map((type, i) => ({ type, value: argFor(e, type, i, s) })),
          result: s.result,
          ...(frameworkOnly ? { notApplicable: frameworkOnly, frameworkOnly: true } : {}),
          ...(needsLibrary && !frameworkOnly ? { notApplicable: needsLibrary } : {}),
        });
      }
      continue;
    }
    const cls = api.get(e.className);
    declared(api, e).forEach((m, k) => {
      const params = exactParams(e, m);
      const sample = sampleFor(
        e,
        params.map((p) => p),
        k === 0,
      );
      const since = Math.max(m.since ?? BASE_API, cls?.since ?? BASE_API);
      // Library classes the app bundles (androidx): the APK carries a stub with static methods.
      const stub = e.lazy === true;
      const isStatic = m.isStatic || e.method === '$init' || stub;
      const recv = isStatic ? null : receiverFor(e.className, api, sample);
      const call: CalibrationCall = {
        index: calls.length,
        hook: e.id,
        className: e.className,
        method: e.method,
        params,
        returns: e.method === '$init' ? 'void' : exactReturn(e, m),
        isStatic: m.isStatic || (stub && e.method !== '$init'),
        minApi: stub ? BASE_API : since,
        maxApi: stub || m.removedIn === undefined ? null : m.removedIn - 1,
        stub,
        receiver: recv && 'expr' in recv ? recv.expr : null,
        self: isStatic ? null : (sample?.self ?? { $class: e.className }),
        args: params.map((type, i) => ({ type, value: safeArg(e.id, i, argFor(e, type, i, sample)) })),
        result: sample?.result,
      };
      const why = frameworkOnly ?? (recv && 'none' in recv ? recv.none : undefined);
      if (why) call.notApplicable = why;
      if (frameworkOnly) call.frameworkOnly = true;
      calls.push(call);
    });
  }
  return calls;
}

/** Whether the call exists at `apiLevel`. */
export function existsAt(c: CalibrationCall, apiLevel: number): boolean {
  return c.minApi <= apiLevel && (c.maxApi === null || apiLevel <= c.maxApi);
}

export { fridaToApiType };
