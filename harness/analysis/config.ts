// Rule configuration: thresholds with defaults, overridable from a YAML file (`--rules f.yaml`).
// Validation errors name `file:line:col` (YamlSource). docs/findings.md documents every key.
import { DATA_CATEGORIES, type DataCategory } from '../../agent/protocol/messages.ts';
import {
  describe,
  expectList,
  expectMap,
  expectOneOf,
  expectString,
  type YamlPath,
  YamlSource,
} from '../profile/yaml-source.ts';
import { PRE_CONSENT, SEVERITIES, type Severity } from '../scenario/types.ts';
import { readInputFile } from '../util/read-input.ts';
import { RULE_IDS, type RuleId } from './types.ts';

export interface RuleSwitch {
  enabled?: boolean;
  severity?: Severity;
}

export interface RuleLimits {
  /** Event ids kept as evidence per finding (the total count is always kept). */
  evidence: number;
  /** Phases in which the user has not consented yet. */
  preConsentPhases: string[];
  /** excessive-rate: more than `max` accesses per `windowMs`, sustained over `sustainMs`. */
  rate: { max: number; windowMs: number; sustainMs: number; mediumFactor: number };
  /** popup-harassment: more than `max` of one kind within any sliding `windowMs`. */
  popups: { max: number; windowMs: number; kinds: DataCategory[] };
  /** permission-rerequest: a request within `windowMs` after a refusal; repeats within `dedupeMs` are one request. */
  rerequest: { windowMs: number; dedupeMs: number };
  /** beyond-necessary: `strict` drops conditional categories; `highCategories` make it high. */
  necessity: { strict: boolean; highCategories: DataCategory[] };
  /** coverage-gap: an AppOps access counts when within the run ± `slackMs`. */
  appops: { slackMs: number };
  /** periodic-collection: ≥ `minRepeats` intervals within ±`tolerance` of their mean; reads closer than `minPeriodMs` are one; ≤ `fastMs` is 1.2.4. */
  periodic: { minRepeats: number; tolerance: number; minPeriodMs: number; fastMs: number };
  /** refusal-exit: the app ends or asks `loopRequests` more times within `windowMs` of a refusal at first start. */
  refusal: { windowMs: number; loopRequests: number };
  /** premature-permission: a granted permission's categories unused for `windowMs` after the grant. */
  permissionUse: { windowMs: number };
  /** associated-start: more than `max` starts of other packages' components / alarms per `windowMs`. */
  autoStart: { max: number; windowMs: number };
  /** Per rule: switch off, or force a severity. */
  rules: Partial<Record<RuleId, RuleSwitch>>;
}

export const DEFAULT_LIMITS: Readonly<RuleLimits> = {
  evidence: 20,
  preConsentPhases: [PRE_CONSENT],
  rate: { max: 1, windowMs: 10_000, sustainMs: 60_000, mediumFactor: 10 },
  popups: { max: 3, windowMs: 60_000, kinds: ['notification', 'dialog', 'toast', 'overlay'] },
  rerequest: { windowMs: 48 * 3_600_000, dedupeMs: 2_000 },
  necessity: {
    strict: false,
    highCategories: [
      'device-id',
      'phone-number',
      'location',
      'contacts',
      'call-log',
      'sms',
      'calendar',
      'accounts',
      'installed-apps',
      'clipboard',
      'camera',
      'microphone',
      'screen-capture',
      'browser-history',
    ],
  },
  appops: { slackMs: 5_000 },
  periodic: { minRepeats: 5, tolerance: 0.2, minPeriodMs: 500, fastMs: 5_000 },
  refusal: { windowMs: 10_000, loopRequests: 2 },
  permissionUse: { windowMs: 60_000 },
  autoStart: { max: 3, windowMs: 60_000 },
  rules: {},
};

/** Defaults overlaid with `over` (nested objects merged one level deep). */
export function resolveLimits(over: Partial<RuleLimits> = {}): RuleLimits {
  const d = DEFAULT_LIMITS;
  return {
    evidence: over.evidence ?? d.evidence,
    preConsentPhases: [...(over.preConsentPhases ?? d.preConsentPhases)],
    rate: { ...d.rate, ...over.rate },
    popups: { ...d.popups, ...over.popups },
    rerequest: { ...d.rerequest, ...over.rerequest },
    necessity: { ...d.necessity, ...over.necessity },
    appops: { ...d.appops, ...over.appops },
    periodic: { ...d.periodic, ...over.periodic },
    refusal: { ...d.refusal, ...over.refusal },
    permissionUse: { ...d.permissionUse, ...over.permissionUse },
    autoStart: { ...d.autoStart, ...over.autoStart },
    rules: { ...d.rules, ...over.rules },
  };
}

/** Rule-specific YAML keys (besides `enabled` and `severity`). */
const RULE_KEYS: Partial<Record<RuleId, readonly string[]>> = {
  'access-before-consent': ['phases'],
  'beyond-necessary': ['strict', 'highCategories'],
  'excessive-rate': ['max', 'windowSeconds', 'sustainSeconds', 'mediumFactor'],
  'popup-harassment': ['max', 'windowSeconds', 'kinds'],
  'permission-rerequest': ['windowHours', 'dedupeSeconds'],
  'coverage-gap': ['slackSeconds'],
  'periodic-collection': ['minRepeats', 'tolerance'],
  'refusal-exit': ['windowSeconds'],
  'premature-permission': ['windowSeconds'],
  'associated-start': ['max', 'windowSeconds'],
};

function num(src: YamlSource, path: YamlPath, value: unknown, min: number, integer = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  )
    src.fail(path, `expected ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${describe(value)}`);
  return value;
}

function bool(src: YamlSource, path: YamlPath, value: unknown): boolean {
  if (typeof value !== 'boolean') src.fail(path, `expected true or false, got ${describe(value)}`);
  return value;
}

function categories(src: YamlSource, path: YamlPath, value: unknown): DataCategory[] {
  return expectList(src, path, value).map((v, i) => expectOneOf(src, [...path, i], v, DATA_CATEGORIES));
}

/** Parses a rules file into limits over the defaults. */
export function parseRulesConfig(text: string, file: string): RuleLimits {
  const src = new YamlSource(text, file);
  const limits = resolveLimits();
  if (src.value === null || src.value === undefined) return limits;
  const top = expectMap(src, [], src.value, ['evidence', 'rules']);
  if (top['evidence'] !== undefined) limits.evidence = num(src, ['evidence'], top['evidence'], 1, true);
  if (top['rules'] === undefined) return limits;
  const rules = expectMap(src, ['rules'], top['rules'], RULE_IDS);
  for (const [id, raw] of Object.entries(rules) as [RuleId, unknown][]) {
    const p = (k: string): YamlPath => ['rules', id, k];
    const r = expectMap(src, ['rules', id], raw ?? {}, ['enabled', 'severity', ...(RULE_KEYS[id] ?? [])]);
    const sw: RuleSwitch = {};
    if (r['enabled'] !== undefined) sw.enabled = bool(src, p('enabled'), r['enabled']);
    if (r['severity'] !== undefined) sw.severity = expectOneOf(src, p('severity'), r['severity'], SEVERITIES);
    limits.rules[id] = sw;
    const v = (k: string) => r[k];
    switch (id) {
      case 'access-before-consent':
        if (v('phases') !== undefined)
          limits.preConsentPhases = expectList(src, p('phases'), v('phases')).map((x, i) =>
            expectString(src, [...p('phases'), i], x),
          );
        break;
      case 'beyond-necessary':
        if (v('strict') !== undefined) limits.necessity.strict = bool(src, p('strict'), v('strict'));
        if (v('highCategories') !== undefined)
          limits.necessity.highCategories = categories(src, p('highCategories'), v('highCategories'));
        break;
      case 'excessive-rate':
        if (v('max') !== undefined) limits.rate.max = num(src, p('max'), v('max'), 0, true);
        if (v('windowSeconds') !== undefined)
          limits.rate.windowMs = num(src, p('windowSeconds'), v('windowSeconds'), 0.001) * 1000;
        if (v('sustainSeconds') !== undefined)
          limits.rate.sustainMs = num(src, p('sustainSeconds'), v('sustainSeconds'), 0.001) * 1000;
        if (v('mediumFactor') !== undefined)
          limits.rate.mediumFactor = num(src, p('mediumFactor'), v('mediumFactor'), 1);
        if (limits.rate.sustainMs < limits.rate.windowMs)
          src.fail(['rules', id], 'sustainSeconds must be ≥ windowSeconds');
        break;
      case 'popup-harassment':
        if (v('max') !== undefined) limits.popups.max = num(src, p('max'), v('max'), 0, true);
        if (v('windowSeconds') !== undefined)
          limits.popups.windowMs = num(src, p('windowSeconds'), v('windowSeconds'), 0.001) * 1000;
        if (v('kinds') !== undefined) limits.popups.kinds = categories(src, p('kinds'), v('kinds'));
        break;
      case 'permission-rerequest':
        if (v('windowHours') !== undefined)
          limits.rerequest.windowMs = num(src, p('windowHours'), v('windowHours'), 0) * 3_600_000;
        if (v('dedupeSeconds') !== undefined)
          limits.rerequest.dedupeMs = num(src, p('dedupeSeconds'), v('dedupeSeconds'), 0) * 1000;
        break;
      case 'coverage-gap':
        if (v('slackSeconds') !== undefined)
          limits.appops.slackMs = num(src, p('slackSeconds'), v('slackSeconds'), 0) * 1000;
        break;
      case 'periodic-collection':
        if (v('minRepeats') !== undefined)
          limits.periodic.minRepeats = num(src, p('minRepeats'), v('minRepeats'), 2, true);
        if (v('tolerance') !== undefined)
          limits.periodic.tolerance = num(src, p('tolerance'), v('tolerance'), 0);
        break;
      case 'refusal-exit':
        if (v('windowSeconds') !== undefined)
          limits.refusal.windowMs = num(src, p('windowSeconds'), v('windowSeconds'), 0.001) * 1000;
        break;
      case 'premature-permission':
        if (v('windowSeconds') !== undefined)
          limits.permissionUse.windowMs = num(src, p('windowSeconds'), v('windowSeconds'), 0.001) * 1000;
        break;
      case 'associated-start':
        if (v('max') !== undefined) limits.autoStart.max = num(src, p('max'), v('max'), 0, true);
        if (v('windowSeconds') !== undefined)
          limits.autoStart.windowMs = num(src, p('windowSeconds'), v('windowSeconds'), 0.001) * 1000;
        break;
      default:
        break;
    }
  }
  return limits;
}

export function loadRulesConfig(path: string, displayName = path): RuleLimits {
  return parseRulesConfig(readInputFile(path, displayName), displayName);
}
