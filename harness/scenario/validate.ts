// Raw scenario (YAML's plain JS value, or the DSL's kebab-case object) → normalised Scenario.
// The one place where scenario input is checked, so YAML and TypeScript agree exactly.
import { DATA_CATEGORIES, type DataCategory } from '../../agent/protocol/messages.ts';
import { describeType, didYouMean, type Path, Reporter, show } from './issues.ts';
import { parseStep, type StepContext } from './steps.ts';
import {
  type AppSpec,
  DEFAULT_CONSENT_LABELS,
  DEFAULT_SETTING_LABELS,
  DEFAULTS,
  type DeviceHints,
  EXPECTATION_KINDS,
  type Expectation,
  type ExpectationKind,
  ON_ERROR,
  POST_CONSENT,
  PRE_CONSENT,
  type Scenario,
  SEVERITIES,
  type Step,
} from './types.ts';
import { Fields, isRaw } from './values.ts';

const TOP_KEYS = [
  'name',
  'description',
  'app',
  'device',
  'on-error',
  'phases',
  'consent-labels',
  'expect',
  'steps',
];
const APP_KEYS = ['package', 'apk', 'profile', 'model'];
const DEVICE_KEYS = ['serial', 'min-api', 'max-api', 'abi', 'emulator'];
const PACKAGE_NAME = /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/;
const PHASE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

/** Validates and normalises; problems go to `r`, and the result is undefined if there were any. */
export function validateScenario(raw: unknown, r: Reporter): Scenario | undefined {
  if (!isRaw(raw)) {
    return r.add([], `expected a scenario mapping with name, app and steps, got ${describeType(raw)}`);
  }
  const top = new Fields(r, [], raw);
  top.only(TOP_KEYS);
  const name = top.str('name', true);
  const description = top.str('description');
  const app = readApp(top);
  const device = readDevice(top);
  const onError = top.oneOf('on-error', ON_ERROR, { fallback: DEFAULTS.onError });
  const { phases: declared, ok: phasesOk } = readPhases(top);
  const phases = phasesOk ? declared : undefined;
  const consentLabels = top.labels('consent-labels', DEFAULT_CONSENT_LABELS);
  const ctx: StepContext = {
    package: app?.package,
    hasApk: app?.apk !== undefined,
    phases: declared,
    consentLabels: consentLabels ?? DEFAULT_CONSENT_LABELS,
    onError: onError ?? DEFAULTS.onError,
  };
  const steps = readSteps(top, ctx);
  const expect = readExpectations(top, ctx.phases);
  if (r.issues.length > 0 || !name || !app || !onError || !phases || !consentLabels || !steps || !expect) {
    return undefined;
  }
  return {
    name,
    ...(description === undefined ? {} : { description }),
    app,
    ...(device === undefined ? {} : { device }),
    onError,
    phases,
    consentLabels,
    expect,
    steps,
  };
}

function readApp(top: Fields): AppSpec | undefined {
  const v = top.obj['app'];
  if (v === undefined || v === null)
    return top.missing('app', 'app (its package name, or a mapping with package)');
  const sub =
    typeof v === 'string'
      ? new Fields(top.r, ['app'], { package: v }, () => ['app'])
      : isRaw(v)
        ? new Fields(top.r, ['app'], v)
        : undefined;
  if (!sub)
    return top.fail('app', `expected a package name or a mapping with package, got ${describeType(v)}`);
  sub.only(APP_KEYS);
  const pkg = sub.str('package', true);
  if (pkg !== undefined && !PACKAGE_NAME.test(pkg)) {
    sub.fail('package', `expected an Android package name like com.example.app, got ${show(pkg)}`);
    return undefined;
  }
  const app: AppSpec = { package: pkg ?? '' };
  for (const k of ['apk', 'profile', 'model'] as const) {
    const path = sub.str(k);
    if (path !== undefined) app[k] = path;
  }
  return pkg === undefined ? undefined : app;
}

function readDevice(top: Fields): DeviceHints | undefined {
  const v = top.obj['device'];
  if (v === undefined || v === null) return undefined;
  if (!isRaw(v))
    return top.fail('device', `expected a mapping of ${DEVICE_KEYS.join(', ')}, got ${describeType(v)}`);
  const f = new Fields(top.r, ['device'], v);
  f.only(DEVICE_KEYS);
  const hints: DeviceHints = {
    serial: f.str('serial'),
    minApi: f.num('min-api', { min: 21, max: 99, int: true }),
    maxApi: f.num('max-api', { min: 21, max: 99, int: true }),
    abi: f.str('abi'),
    emulator: f.has('emulator') ? f.bool('emulator', false) : undefined,
  };
  if (hints.minApi !== undefined && hints.maxApi !== undefined && hints.minApi > hints.maxApi) {
    f.fail('max-api', `expected max-api ≥ min-api (${hints.minApi}), got ${hints.maxApi}`);
  }
  for (const k of Object.keys(hints) as (keyof DeviceHints)[]) if (hints[k] === undefined) delete hints[k];
  return hints;
}

/** The valid phase names (so later checks don't cascade), and whether all were valid. */
function readPhases(top: Fields): { phases: string[]; ok: boolean } {
  const v = top.obj['phases'];
  const phases = [PRE_CONSENT, POST_CONSENT];
  if (v === undefined || v === null) return { phases, ok: true };
  if (!Array.isArray(v)) {
    top.fail('phases', `expected a list of phase names, got ${describeType(v)}`);
    return { phases, ok: false };
  }
  let ok = true;
  v.forEach((p: unknown, i) => {
    const path: Path = ['phases', i];
    if (typeof p !== 'string' || !PHASE_NAME.test(p)) {
      ok = false;
      top.r.add(path, `expected a phase name (letters, digits, ".", "_", "-"), got ${show(p)}`);
    } else if (phases.includes(p)) {
      ok = false;
      const why =
        p === PRE_CONSENT || p === POST_CONSENT ? 'is implicit, do not declare it' : 'is declared twice';
      top.r.add(path, `phase ${show(p)} ${why}`);
    } else phases.push(p);
  });
  return { phases, ok };
}

function readSteps(top: Fields, ctx: StepContext): Step[] | undefined {
  const v = top.obj['steps'];
  if (v === undefined || v === null) return top.missing('steps', 'steps (a list)');
  if (!Array.isArray(v)) return top.fail('steps', `expected a list of steps, got ${describeType(v)}`);
  if (v.length === 0) return top.fail('steps', 'expected at least one step');
  const steps = v.map((item: unknown, i) => parseStep(top.r, item, i, ctx));
  return steps.every((s) => s !== undefined) ? (steps as Step[]) : undefined;
}

function readExpectations(top: Fields, phases: readonly string[]): Expectation[] | undefined {
  const v = top.obj['expect'];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return top.fail('expect', `expected a list of assertions, got ${describeType(v)}`);
  const out = v.map((item: unknown, i) => readExpectation(top.r, item, ['expect', i], phases));
  return out.every((e) => e !== undefined) ? (out as Expectation[]) : undefined;
}

function readExpectation(
  r: Reporter,
  item: unknown,
  base: Path,
  phases: readonly string[],
): Expectation | undefined {
  const kinds = EXPECTATION_KINDS.map((k) => `"${k}"`).join(', ');
  if (!isRaw(item) || Object.keys(item).length !== 1) {
    const got = isRaw(item) ? `${Object.keys(item).length} keys` : describeType(item);
    return r.add(base, `expected one assertion (a mapping with one of ${kinds}), got ${got}`);
  }
  const key = Object.keys(item)[0]!;
  if (!(EXPECTATION_KINDS as readonly string[]).includes(key)) {
    return r.add(base, `unknown assertion ${show(key)}${didYouMean(key, EXPECTATION_KINDS)}`, {
      loc: [...base, key],
      at: 'key',
    });
  }
  const kind = key as ExpectationKind;
  const value = item[key];
  const path: Path = [...base, kind];
  if (kind === 'setting-found') {
    const f = new Fields(r, base, { [kind]: value === true ? null : value });
    const labels = f.labels(kind, DEFAULT_SETTING_LABELS);
    return labels && { kind, labels };
  }
  // `no-access: location` is short for `no-access: { category: location }`
  const obj =
    value === null || value === undefined ? {} : typeof value === 'string' ? { category: value } : value;
  if (!isRaw(obj)) return r.add(path, `expected a mapping, got ${describeType(value)}`);
  const f = new Fields(r, path, obj, typeof value === 'string' ? () => path : (k) => [...path, k]);
  const phase = () => {
    const p = f.str('phase');
    if (p !== undefined && !phases.includes(p))
      return f.fail('phase', `unknown phase ${show(p)}${didYouMean(p, phases)}`);
    return p;
  };
  const opt = <T>(k: string, val: T | undefined) => (val === undefined ? {} : { [k]: val });
  if (kind === 'no-finding') {
    f.only(['rule', 'severity']);
    const rule = f.str('rule');
    const severity = f.oneOf('severity', SEVERITIES);
    if ((f.has('rule') && !rule) || (f.has('severity') && !severity)) return undefined;
    return { kind, ...opt('rule', rule), ...opt('severity', severity) };
  }
  const category = readCategory(f);
  if (kind === 'no-access') {
    f.only(['category', 'phase']);
    const ph = phase();
    if (!category || (f.has('phase') && !ph)) return undefined;
    return { kind, category, ...opt('phase', ph) };
  }
  if (kind === 'max-rate') {
    f.only(['category', 'per-minute', 'phase']);
    const perMinute = f.num('per-minute', { required: true, min: 0 });
    const ph = phase();
    if (!category || perMinute === undefined || (f.has('phase') && !ph)) return undefined;
    return { kind, category, perMinute, ...opt('phase', ph) };
  }
  f.only(['category', 'count', 'phase']);
  const count = f.num('count', { required: true, min: 0, int: true });
  const ph = phase();
  if (!category || count === undefined || (f.has('phase') && !ph)) return undefined;
  return { kind: 'max-count', category, count, ...opt('phase', ph) };
}

function readCategory(f: Fields): DataCategory | undefined {
  const c = f.str('category', true);
  if (c === undefined) return undefined;
  if ((DATA_CATEGORIES as readonly string[]).includes(c)) return c as DataCategory;
  const hint = didYouMean(c, DATA_CATEGORIES);
  return f.fail(
    'category',
    `unknown data category ${show(c)}${hint || ' (see DATA_CATEGORIES in docs/protocol.md)'}`,
  );
}

/** A fresh reporter + validation, for callers that don't locate issues themselves. */
export function checkScenario(raw: unknown): { scenario?: Scenario; reporter: Reporter } {
  const reporter = new Reporter();
  const scenario = validateScenario(raw, reporter);
  return scenario ? { scenario, reporter } : { reporter };
}
