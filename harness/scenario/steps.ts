// One parser per step kind. A step is a bare name (`- back`), a name with a shorthand scalar
// (`- wait: 5s`, `- tap: text=OK`) or a name with an options mapping; `label` and `on-error`
// may sit inside the options or beside the name.
import { describeType, didYouMean, type Path, type Reporter, show } from './issues.ts';
import {
  DEFAULT_SETTING_LABELS,
  DEFAULTS,
  DIALOG_ACTIONS,
  DIRECTIONS,
  EXPLORE_STRATEGIES,
  ON_ERROR,
  type OnError,
  STEP_KINDS,
  type Step,
  type StepKind,
  type StepOf,
  TARGET_KINDS,
  type Target,
} from './types.ts';
import { Fields, isRaw } from './values.ts';

export interface StepContext {
  package: string | undefined;
  hasApk: boolean;
  phases: readonly string[];
  consentLabels: readonly string[];
  onError: OnError;
}

type Body<K extends StepKind> = Omit<StepOf<K>, 'kind' | 'label' | 'onError'>;

interface Spec<K extends StepKind> {
  keys: readonly string[];
  /** The option a scalar (or list) value stands for: `wait: 5s` is `wait: { duration: 5s }`. */
  shorthand?: string;
  parse(f: Fields, ctx: StepContext): Body<K> | undefined;
}

const TARGET_KEYS = ['target', ...TARGET_KINDS] as const;
const NOT_TEXT = ['id', 'accessibility-id', 'xpath'] as const;
const SCREENSHOT_NAME = /^[\p{L}\p{N}_.-]{1,100}$/u;

/** Drops fields that failed (undefined) — returns undefined if any required one did. */
type Checked<T, R extends keyof T> = { [K in R]-?: Exclude<T[K], undefined> } & {
  [K in Exclude<keyof T, R>]?: Exclude<T[K], undefined>;
};
function all<T extends object, R extends keyof T>(
  body: T,
  required: readonly R[],
): Checked<T, R> | undefined {
  for (const k of required) if (body[k] === undefined) return undefined;
  for (const k of Object.keys(body) as (keyof T)[]) if (body[k] === undefined) delete body[k];
  return body as Checked<T, R>;
}

/** `id=ok` is short for the app's own `<package>:id/ok`. */
function qualify(t: Target | undefined, ctx: StepContext): Target | undefined {
  if (t?.by === 'id' && !t.value.includes(':') && ctx.package)
    return { by: 'id', value: `${ctx.package}:id/${t.value}` };
  return t;
}

const none = { keys: [], parse: () => ({}) };

const SPECS: { [K in StepKind]: Spec<K> } = {
  install: {
    keys: ['apk'],
    shorthand: 'apk',
    parse(f, ctx) {
      const apk = f.str('apk');
      if (apk === undefined && !f.has('apk') && !ctx.hasApk)
        return f.missing('apk', 'apk (give one here or app.apk)');
      return all({ apk }, []);
    },
  },
  launch: {
    keys: ['cold', 'clear-data'],
    parse: (f) =>
      all(
        {
          cold: f.bool('cold', DEFAULTS.launchCold),
          clearData: f.bool('clear-data', DEFAULTS.launchClearData),
        },
        ['cold', 'clearData'],
      ),
  },
  wait: {
    keys: ['duration'],
    shorthand: 'duration',
    parse: (f) => all({ durationMs: f.duration('duration', { required: true }) }, ['durationMs']),
  },
  'wait-for': {
    keys: [...TARGET_KEYS, 'timeout'],
    shorthand: 'target',
    parse: (f, ctx) =>
      all(
        {
          target: qualify(f.target('target', TARGET_KINDS, true), ctx),
          timeoutMs: f.duration('timeout', { fallback: DEFAULTS.waitForTimeoutMs }),
        },
        ['target', 'timeoutMs'],
      ),
  },
  tap: {
    keys: TARGET_KEYS,
    shorthand: 'target',
    parse: (f, ctx) => all({ target: qualify(f.target('target', TARGET_KINDS, true), ctx) }, ['target']),
  },
  'long-press': {
    keys: [...TARGET_KEYS, 'duration'],
    shorthand: 'target',
    parse: (f, ctx) =>
      all(
        {
          target: qualify(f.target('target', TARGET_KINDS, true), ctx),
          durationMs: f.duration('duration', { fallback: DEFAULTS.longPressMs }),
        },
        ['target', 'durationMs'],
      ),
  },
  type: {
    keys: ['target', ...NOT_TEXT, 'text', 'clear'],
    parse(f, ctx) {
      const text = f.obj['text'];
      // typed text may legitimately be empty or a number-looking PIN written without quotes
      const value = typeof text === 'number' ? String(text) : text;
      if (value === undefined || value === null) f.missing('text', 'text (what to type)');
      else if (typeof value !== 'string') f.fail('text', `expected string, got ${describeType(value)}`);
      return all(
        {
          target: qualify(f.target('target', NOT_TEXT, true), ctx),
          text: typeof value === 'string' ? value : undefined,
          clear: f.bool('clear', DEFAULTS.typeClear),
        },
        ['target', 'text', 'clear'],
      );
    },
  },
  swipe: {
    keys: ['direction', 'from', 'to', 'until', 'max-swipes'],
    shorthand: 'direction',
    parse(f, ctx) {
      const direction = f.oneOf('direction', DIRECTIONS);
      const from = f.point('from');
      const to = f.point('to');
      const until = qualify(f.target('until', [], false), ctx);
      const maxSwipes = f.num('max-swipes', { min: 1, max: 1000, int: true });
      const byDirection = f.has('direction');
      const byPoints = f.has('from') || f.has('to');
      if (!byDirection && !byPoints) return f.missing('', 'direction (or from and to)');
      if (byDirection && byPoints) return f.fail('from', 'give either direction or from and to, not both');
      if (byPoints && !(f.has('from') && f.has('to'))) return f.missing(f.has('from') ? 'to' : 'from');
      if (byPoints && f.has('until')) return f.fail('until', '"until" needs a direction, not from/to');
      if (f.has('max-swipes') && !f.has('until'))
        return f.fail('max-swipes', '"max-swipes" only applies with "until"');
      if (byDirection) {
        const body = {
          direction,
          until,
          maxSwipes: f.has('until') ? (maxSwipes ?? DEFAULTS.maxSwipes) : undefined,
        };
        return f.has('until') ? all(body, ['direction', 'until', 'maxSwipes']) : all(body, ['direction']);
      }
      return all({ from, to }, ['from', 'to']);
    },
  },
  back: none,
  home: none,
  relaunch: none,
  background: {
    keys: ['duration'],
    shorthand: 'duration',
    parse: (f) => all({ durationMs: f.duration('duration', { required: true }) }, ['durationMs']),
  },
  screenshot: {
    keys: ['name'],
    shorthand: 'name',
    parse(f) {
      const name = f.str('name', true);
      if (name !== undefined && !SCREENSHOT_NAME.test(name)) {
        return f.fail(
          'name',
          `expected a file-safe name (letters, digits, "_", "-", "."), got ${show(name)}`,
        );
      }
      return all({ name }, ['name']);
    },
  },
  grant: {
    keys: ['permission'],
    shorthand: 'permission',
    parse: (f) => all({ permission: f.permission('permission', true) }, ['permission']),
  },
  revoke: {
    keys: ['permission'],
    shorthand: 'permission',
    parse: (f) => all({ permission: f.permission('permission', true) }, ['permission']),
  },
  'permission-dialog': {
    keys: ['action', 'permission', 'timeout'],
    shorthand: 'action',
    parse: (f) =>
      all(
        {
          action: f.oneOf('action', DIALOG_ACTIONS, { required: true }),
          permission: f.permission('permission', false),
          timeoutMs: f.duration('timeout', { fallback: DEFAULTS.permissionDialogTimeoutMs }),
        },
        f.has('permission') ? ['action', 'permission', 'timeoutMs'] : ['action', 'timeoutMs'],
      ),
  },
  'set-location': {
    keys: ['lat', 'lon'],
    parse: (f) =>
      all(
        {
          lat: f.num('lat', { required: true, min: -90, max: 90, what: 'a latitude' }),
          lon: f.num('lon', { required: true, min: -180, max: 180, what: 'a longitude' }),
        },
        ['lat', 'lon'],
      ),
  },
  'set-phase': {
    keys: ['name'],
    shorthand: 'name',
    parse(f, ctx) {
      const name = f.str('name', true);
      if (name !== undefined && !ctx.phases.includes(name)) {
        const hint = didYouMean(name, ctx.phases);
        return f.fail('name', `unknown phase ${show(name)}${hint}; declare it under "phases"`);
      }
      return all({ name }, ['name']);
    },
  },
  consent: {
    keys: ['labels', 'timeout'],
    shorthand: 'labels',
    parse: (f, ctx) =>
      all(
        {
          labels: f.labels('labels', ctx.consentLabels),
          timeoutMs: f.duration('timeout', { fallback: DEFAULTS.consentTimeoutMs }),
        },
        ['labels', 'timeoutMs'],
      ),
  },
  explore: {
    keys: ['duration', 'seed', 'max-actions', 'strategy', 'stay-in-app'],
    shorthand: 'duration',
    parse: (f) =>
      all(
        {
          durationMs: f.duration('duration', { fallback: DEFAULTS.exploreDurationMs }),
          seed:
            f.num('seed', { min: 0, max: 2 ** 31 - 1, int: true }) ??
            (f.has('seed') ? undefined : DEFAULTS.exploreSeed),
          maxActions: f.num('max-actions', { min: 1, int: true }),
          strategy: f.oneOf('strategy', EXPLORE_STRATEGIES, { fallback: DEFAULTS.exploreStrategy }),
          stayInApp: f.bool('stay-in-app', DEFAULTS.exploreStayInApp),
        },
        f.has('max-actions')
          ? ['durationMs', 'seed', 'maxActions', 'strategy', 'stayInApp']
          : ['durationMs', 'seed', 'strategy', 'stayInApp'],
      ),
  },
  'check-setting': {
    keys: ['labels', 'max-depth'],
    shorthand: 'labels',
    parse: (f) =>
      all(
        {
          labels: f.labels('labels', DEFAULT_SETTING_LABELS),
          maxDepth:
            f.num('max-depth', { min: 1, max: 10, int: true }) ??
            (f.has('max-depth') ? undefined : DEFAULTS.checkSettingMaxDepth),
        },
        ['labels', 'maxDepth'],
      ),
  },
};

const COMMON = ['label', 'on-error'] as const;

function isKind(k: string): k is StepKind {
  return (STEP_KINDS as readonly string[]).includes(k);
}

/** Parses `steps[i]`; reports problems and returns undefined for a step that is wrong. */
export function parseStep(r: Reporter, item: unknown, i: number, ctx: StepContext): Step | undefined {
  const base: Path = ['steps', i];
  let kind: string;
  let value: unknown;
  const siblings: Record<string, unknown> = {};
  if (typeof item === 'string') {
    kind = item;
  } else if (isRaw(item)) {
    const keys = Object.keys(item);
    const kinds = keys.filter(isKind);
    if (kinds.length > 1) {
      return r.add(base, `one step per list item, got ${kinds.map((k) => `"${k}"`).join(' and ')}`, {
        loc: [...base, kinds[1]!],
        at: 'key',
      });
    }
    kind = kinds[0] ?? keys.find((k) => !(COMMON as readonly string[]).includes(k)) ?? keys[0] ?? '';
    value = item[kind];
    for (const k of keys) if (k !== kind) siblings[k] = item[k];
    if (isKind(kind)) {
      const stray = Object.keys(siblings).filter((k) => !(COMMON as readonly string[]).includes(k));
      for (const k of stray) {
        const why = SPECS[kind].keys.includes(k)
          ? ` (indent the step's options under "${kind}:")`
          : didYouMean(k, COMMON);
        r.add(base, `unknown key "${k}" beside step "${kind}"${why}`, { loc: [...base, k], at: 'key' });
      }
      if (stray.length > 0) return undefined;
    }
  } else {
    return r.add(
      base,
      `expected a step (a name like "back" or a mapping like "tap: text=OK"), got ${describeType(item)}`,
    );
  }
  if (!isKind(kind)) {
    const msg = kind === '' ? 'empty step' : `unknown step ${show(kind)}${didYouMean(kind, STEP_KINDS)}`;
    return r.add(base, msg, { loc: typeof item === 'string' ? base : [...base, kind], at: 'key' });
  }
  return parseKind(r, kind, value, siblings, base, ctx);
}

function parseKind<K extends StepKind>(
  r: Reporter,
  kind: K,
  value: unknown,
  siblings: Record<string, unknown>,
  base: Path,
  ctx: StepContext,
): Step | undefined {
  const spec: Spec<K> = SPECS[kind];
  const path: Path = [...base, kind];
  let f: Fields;
  if (value === undefined || value === null) f = new Fields(r, path, {});
  else if (isRaw(value)) f = new Fields(r, path, value);
  else if (spec.shorthand) f = new Fields(r, path, { [spec.shorthand]: value }, () => path);
  else {
    const opts = spec.keys.length > 0 ? `options (${spec.keys.join(', ')})` : 'label or on-error';
    return r.add(path, `expected a mapping of ${opts}, got ${show(value)}`);
  }
  f.only([...spec.keys, ...COMMON]);
  const common = new Fields(r, base, siblings);
  for (const k of COMMON) {
    if (common.has(k) && f.has(k))
      r.add(path, `"${k}" is given twice (beside and under "${kind}")`, { loc: [...base, k], at: 'key' });
  }
  const from = (k: string) => (common.has(k) ? common : f);
  const label = from('label').str('label');
  const onError = from('on-error').oneOf('on-error', ON_ERROR, { fallback: ctx.onError });
  const body = spec.parse(f, ctx);
  if (body === undefined || onError === undefined) return undefined;
  const step = { kind, ...(label === undefined ? {} : { label }), onError, ...body };
  return step as unknown as Step;
}
