// The TypeScript form of a scenario. Options are camelCase here; build() turns the whole thing
// into the YAML form (kebab-case keys) and runs the same validator, so a scenario written either
// way yields the identical normalised Scenario.
//
//   export default scenario({ name: 'game', app: 'com.example.game' })
//     .launch({ clearData: true }).consent().explore({ duration: '2m', seed: 42 }).build();
import type { DataCategory } from '../../agent/protocol/messages.ts';
import { formatIssues, ScenarioInputError } from './issues.ts';
import type {
  DialogAction,
  Direction,
  ExpectationKind,
  ExploreStrategy,
  OnError,
  Scenario,
  Severity,
  StepKind,
} from './types.ts';
import { checkScenario } from './validate.ts';

export type TargetInput =
  | string
  | { text: string }
  | { id: string }
  | { accessibilityId: string }
  | { xpath: string };
/** "30s", "2m", "1m30s", "500ms", or a number of seconds. */
export type DurationInput = string | number;
/** [x, y] in pixels, or ["50%", "80%"]. */
export type PointInput = readonly [number, number] | readonly [`${number}%`, `${number}%`];

export interface StepOptions {
  label?: string;
  onError?: OnError;
}

/** One step, made by the `step` helpers or the builder; validated at build(). */
export interface StepInput {
  readonly step: StepKind;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ExpectationInput {
  readonly assert: ExpectationKind;
  readonly options: unknown;
}

export interface ScenarioHead {
  name: string;
  description?: string;
  app: string | { package: string; apk?: string; profile?: string; model?: string };
  device?: { serial?: string; minApi?: number; maxApi?: number; abi?: string; emulator?: boolean };
  onError?: OnError;
  /** Extra phases besides the implicit pre-consent and post-consent. */
  phases?: string[];
  consentLabels?: string[];
}

export interface ScenarioInput extends ScenarioHead {
  steps: StepInput[];
  expect?: ExpectationInput[];
}

export type SwipeInput =
  | ({ direction: Direction; until?: TargetInput; maxSwipes?: number } & StepOptions)
  | ({ from: PointInput; to: PointInput } & StepOptions);

const mk = (step: StepKind, options: object = {}): StepInput => ({ step, options: { ...options } });

/** Step constructors, for `defineScenario({ steps: [step.launch(), step.tap('text=OK')] })`. */
export const step = {
  install: (opts: { apk?: string } & StepOptions = {}) => mk('install', opts),
  launch: (opts: { cold?: boolean; clearData?: boolean } & StepOptions = {}) => mk('launch', opts),
  wait: (duration: DurationInput, opts: StepOptions = {}) => mk('wait', { duration, ...opts }),
  waitFor: (target: TargetInput, opts: { timeout?: DurationInput } & StepOptions = {}) =>
    mk('wait-for', { target, ...opts }),
  tap: (target: TargetInput, opts: StepOptions = {}) => mk('tap', { target, ...opts }),
  longPress: (target: TargetInput, opts: { duration?: DurationInput } & StepOptions = {}) =>
    mk('long-press', { target, ...opts }),
  type: (target: TargetInput, text: string, opts: { clear?: boolean } & StepOptions = {}) =>
    mk('type', { target, text, ...opts }),
  swipe: (how: Direction | SwipeInput) => mk('swipe', typeof how === 'string' ? { direction: how } : how),
  back: (opts: StepOptions = {}) => mk('back', opts),
  home: (opts: StepOptions = {}) => mk('home', opts),
  background: (duration: DurationInput, opts: StepOptions = {}) => mk('background', { duration, ...opts }),
  relaunch: (opts: StepOptions = {}) => mk('relaunch', opts),
  screenshot: (name: string, opts: StepOptions = {}) => mk('screenshot', { name, ...opts }),
  /** `CAMERA` or `android.permission.CAMERA`. */
  grant: (permission: string, opts: StepOptions = {}) => mk('grant', { permission, ...opts }),
  revoke: (permission: string, opts: StepOptions = {}) => mk('revoke', { permission, ...opts }),
  permissionDialog: (
    action: DialogAction,
    opts: { permission?: string; timeout?: DurationInput } & StepOptions = {},
  ) => mk('permission-dialog', { action, ...opts }),
  setLocation: (lat: number, lon: number, opts: StepOptions = {}) =>
    mk('set-location', { lat, lon, ...opts }),
  setPhase: (name: string, opts: StepOptions = {}) => mk('set-phase', { name, ...opts }),
  consent: (opts: { labels?: string[]; timeout?: DurationInput } & StepOptions = {}) => mk('consent', opts),
  explore: (
    opts: {
      duration?: DurationInput;
      seed?: number;
      maxActions?: number;
      strategy?: ExploreStrategy;
      stayInApp?: boolean;
    } & StepOptions = {},
  ) => mk('explore', opts),
  checkSetting: (opts: { labels?: string[]; maxDepth?: number } & StepOptions = {}) =>
    mk('check-setting', opts),
} as const;

/** Assertion constructors for `.expect(...)`. */
export const assert = {
  noAccess: (category: DataCategory, opts: { phase?: string } = {}): ExpectationInput => ({
    assert: 'no-access',
    options: { category, ...opts },
  }),
  maxRate: (category: DataCategory, perMinute: number, opts: { phase?: string } = {}): ExpectationInput => ({
    assert: 'max-rate',
    options: { category, perMinute, ...opts },
  }),
  maxCount: (category: DataCategory, count: number, opts: { phase?: string } = {}): ExpectationInput => ({
    assert: 'max-count',
    options: { category, count, ...opts },
  }),
  noFinding: (opts: { rule?: string; severity?: Severity } = {}): ExpectationInput => ({
    assert: 'no-finding',
    options: opts,
  }),
  /** Without labels: the default personalisation labels. */
  settingFound: (labels?: string | string[]): ExpectationInput => ({
    assert: 'setting-found',
    options: labels ?? null,
  }),
} as const;

type StepFns = typeof step;
type Chain<T> = { [K in keyof StepFns]: (...args: Parameters<StepFns[K]>) => T };

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** camelCase keys → kebab-case keys, recursively; values untouched. */
function toKebab(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toKebab);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (val !== undefined) out[kebab(k)] = toKebab(val);
  return out;
}

/** The YAML-shaped value of a TypeScript scenario (what a .yaml file would parse to). */
export function toRaw(input: ScenarioInput): Record<string, unknown> {
  const { steps, expect, ...head } = input;
  const raw = toKebab(head) as Record<string, unknown>;
  raw['steps'] = steps.map((s) => ({ [s.step]: toKebab(s.options) }));
  if (expect) raw['expect'] = expect.map((e) => ({ [e.assert]: toKebab(e.options) }));
  return raw;
}

const built = new WeakSet<object>();

/** True for a Scenario that came out of build()/defineScenario (already validated). */
export function isBuiltScenario(v: unknown): v is Scenario {
  return typeof v === 'object' && v !== null && built.has(v);
}

/** Validates a TypeScript scenario; `source` names it in errors (default: its name). */
export function defineScenario(input: ScenarioInput, source?: string): Scenario {
  const { scenario, reporter } = checkScenario(toRaw(input));
  if (!scenario) {
    const where = source ?? `scenario ${JSON.stringify(input.name)}`;
    throw new ScenarioInputError(formatIssues(reporter.issues, () => where));
  }
  built.add(scenario);
  return scenario;
}

export interface ScenarioBuilder extends Chain<ScenarioBuilder> {
  expect(...assertions: ExpectationInput[]): ScenarioBuilder;
  /** The collected input, not yet validated. */
  input(): ScenarioInput;
  build(source?: string): Scenario;
}

/** Fluent form: `scenario({ name, app }).launch().consent().build()`. */
export function scenario(head: ScenarioHead): ScenarioBuilder {
  const steps: StepInput[] = [];
  const expectations: ExpectationInput[] = [];
  const builder = {
    expect(...assertions: ExpectationInput[]) {
      expectations.push(...assertions);
      return builder;
    },
    input: (): ScenarioInput => ({ ...head, steps: [...steps], expect: [...expectations] }),
    build: (source?: string) => defineScenario(builder.input(), source),
  } as ScenarioBuilder;
  for (const name of Object.keys(step) as (keyof StepFns)[]) {
    const make = step[name] as (...args: unknown[]) => StepInput;
    (builder as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      steps.push(make(...args));
      return builder;
    };
  }
  return builder;
}

/** True for an unbuilt builder (a module may default-export one; the loader builds it). */
export function isScenarioBuilder(v: unknown): v is ScenarioBuilder {
  return typeof v === 'object' && v !== null && typeof (v as { build?: unknown }).build === 'function';
}
